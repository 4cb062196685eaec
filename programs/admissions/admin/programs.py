"""The staff side of programs and their intakes (and the cohorts they lead to).

A programme, its intakes and cohorts are saved and deleted by `staff_row_save` and
`staff_row_delete` (the role's permission of each model, an audit record of each row).
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incubator.admin_mixins import Rows, ServiceAdmin, ServiceInline
from incubator.multilingual import translated_names
from programs.admissions.models import Intake, Program
from programs.models import Cohort


class IntakeInline(ServiceInline):
    model = Intake
    rows = Rows.kept_by_staff("intake")
    fields = [*translated_names("label"), "opens_at", "closes_at", "is_open_now"]
    readonly_fields = ["is_open_now"]

    def get_queryset(self, request):
        # A row's name ("program · label") reads its program.
        return super().get_queryset(request).select_related("program")

    @admin.display(description=_("open now"), boolean=True)
    def is_open_now(self, intake):
        return intake.is_open() if intake.pk else None


class CohortInline(ServiceInline):
    model = Cohort
    rows = Rows.kept_by_staff("cohort")
    fields = [*translated_names("label"), "intake", "starts_on", "ends_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("program")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "intake":
            kwargs["queryset"] = Intake.objects.select_related("program")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The intakes read once for the page: every row's select offers the same ones
        # (a field's choices are otherwise read again for each row it renders).
        intake = formset.form.base_fields.get("intake")  # not a field when read-only
        if intake is not None:
            intake.choices = list(intake.choices)
        return formset


@admin.register(Program)
class ProgramAdmin(ServiceAdmin):
    rows = Rows.kept_by_staff("program")
    list_display = ["name_ko", "name_zh", "name_en", "intake_count", "open_intakes", "cohorts"]
    search_fields = ["name_ko", "name_zh", "name_en"]
    fieldsets = [
        (_("Names"), {"fields": ["name_ko", "name_zh", "name_en"]}),
        (_("Description"), {"fields": ["description_ko", "description_zh", "description_en"]}),
        (_("Selection"), {"fields": ["screening_policy"]}),
    ]
    inlines = [IntakeInline, CohortInline]

    def get_queryset(self, request):
        now = timezone.now()
        return (
            super()
            .get_queryset(request)
            .annotate(
                intake_total=Count("intakes", distinct=True),
                intakes_open=Count(
                    "intakes",
                    filter=Q(intakes__opens_at__lte=now, intakes__closes_at__gt=now),
                    distinct=True,
                ),
                cohort_total=Count("cohorts", distinct=True),
            )
        )

    @admin.display(description=_("intakes"), ordering="intake_total")
    def intake_count(self, program):
        return program.intake_total

    @admin.display(description=_("open intakes"), ordering="intakes_open")
    def open_intakes(self, program):
        return program.intakes_open

    @admin.display(description=_("cohorts"), ordering="cohort_total")
    def cohorts(self, program):
        return program.cohort_total
