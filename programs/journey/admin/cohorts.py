"""The staff side of cohorts, milestone templates and milestones (the overdue filter,
rescheduling and completing through the journey's services)."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from incubator.admin_mixins import Rows, ServiceAdmin, through_services
from incubator.forms import DateInput
from incubator.multilingual import translated_names
from programs import stages
from programs.admin_display import overdue as _overdue
from programs.journey import selectors as journey_selectors
from programs.journey import services as journey_services
from programs.models import (
    Cohort,
    Intake,
    Milestone,
    MilestoneTemplate,
)

# --- Programs and cohorts ------------------------------------------------------------------


@admin.register(Cohort)
class CohortAdmin(ServiceAdmin):
    rows = Rows.kept_by_staff("cohort")
    list_display = ["label", "program", "starts_on", "ends_on", "enrolled", "open_now"]
    list_filter = ["program"]
    search_fields = [
        *translated_names("label"),
        "program__name_ko",
        "program__name_zh",
        "program__name_en",
    ]
    list_select_related = ["program"]
    fields = ["program", *translated_names("label"), "intake", "starts_on", "ends_on"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                enrolled_total=Count("enrollments", distinct=True),
                open_total=Count(
                    "enrollments",
                    filter=Q(enrollments__stage__in=stages.WORKING_STAGES),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("enrolled"), ordering="enrolled_total")
    def enrolled(self, cohort):
        return cohort.enrolled_total

    @admin.display(description=_("still in the program"), ordering="open_total")
    def open_now(self, cohort):
        return cohort.open_total

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "intake":
            kwargs["queryset"] = Intake.objects.select_related("program")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Milestone templates and milestones ---------------------------------------------------------


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(ServiceAdmin):
    rows = Rows.kept_by_staff("milestone_template")
    list_display = [
        "title_ko",
        "title_zh",
        "title_en",
        "stage",
        "due_days",
        "required",
        "position",
        "is_active",
    ]
    list_editable = ["due_days", "required", "position", "is_active"]
    list_filter = ["stage", "required", "is_active"]
    fields = [
        "code",
        "stage",
        "title_ko",
        "title_zh",
        "title_en",
        "due_days",
        "required",
        "position",
        "is_active",
    ]


class OverdueMilestoneFilter(admin.SimpleListFilter):
    title = _("progress")
    parameter_name = "progress"

    def lookups(self, request, model_admin):
        # "open" of a milestone is "not done yet", not a request's "open" (ko 접수, received).
        not_done = pgettext_lazy("milestone", "open")
        return [("open", not_done), ("overdue", _("overdue")), ("done", _("done"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "open":
            return queryset.filter(done_at__isnull=True)
        if self.value() == "overdue":
            return queryset.filter(journey_selectors.overdue_milestones_q(today))
        if self.value() == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset


class MilestoneKindFilter(admin.SimpleListFilter):
    """The milestones of one kind (their code), named by their title in the reader's
    language: the codes themselves are words of the code, not of the reader."""

    title = _("milestone")
    parameter_name = "code"

    def lookups(self, request, model_admin):
        named = {}
        for template in MilestoneTemplate.objects.order_by("position", "pk"):
            named.setdefault(template.code, template.title)
        # A milestone whose template is gone keeps its code: named by one of its rows.
        gone = Milestone.objects.exclude(code__in=list(named)).values_list("code", flat=True)
        for code in sorted(set(gone.order_by().distinct())):
            named[code] = Milestone.objects.filter(code=code).first().title
        return list(named.items())

    def queryset(self, request, queryset):
        return queryset.filter(code=self.value()) if self.value() else queryset


class MilestoneForm(forms.ModelForm):
    mark_done = forms.BooleanField(label=_("mark as done"), required=False)
    new_evidence = forms.CharField(
        label=_("evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("What was done, when, with which document; needed to mark it done."),
    )
    evidence_upload = forms.FileField(label=_("evidence file"), required=False)

    class Meta:
        model = Milestone
        fields = ["due_on"]
        widgets = {"due_on": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("mark_done") and not (data.get("new_evidence") or "").strip():
            self.add_error("new_evidence", _("Describe the evidence to mark the milestone done."))
        return data


@admin.register(Milestone)
class MilestoneAdmin(ServiceAdmin):
    form = MilestoneForm
    list_display = ["title_display", "company", "stage", "due", "required", "done_at", "done_by"]
    list_select_related = ["company", "done_by", "enrollment"]
    list_filter = [OverdueMilestoneFilter, "stage", "required", MilestoneKindFilter]
    search_fields = ["company__name_ko", "company__name_zh", "company__name_en", "title_ko"]
    ordering = ["done_at", "due_on"]
    readonly_fields = [
        "enrollment",
        "company",
        "title_display",
        "stage",
        "required",
        "done_at",
        "done_by",
        "evidence",
        "evidence_link",
    ]

    def get_fields(self, request, obj=None):
        fields = ["enrollment", "title_display", "stage", "required", "due_on"]
        if obj is not None and obj.is_done:
            return [*fields, "done_at", "done_by", "evidence", "evidence_link"]
        if not self.has_change_permission(request, obj):
            # The form's own fields (mark done, the evidence) exist only on a form to fill:
            # a reader's page has none, and would show them as English names and "None".
            return fields
        return [*fields, "mark_done", "new_evidence", "evidence_upload"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_done:
            return [*self.readonly_fields, "due_on"]
        return self.readonly_fields

    def has_add_permission(self, request):
        return False  # copied from the templates when a company is enrolled

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("milestone"), ordering="title_ko")
    def title_display(self, milestone):
        return milestone.title

    @admin.display(description=_("due on"), ordering="due_on")
    def due(self, milestone):
        return _overdue(milestone.due_on.isoformat(), milestone.is_overdue())

    @admin.display(description=_("evidence file"))
    def evidence_link(self, milestone):
        if not milestone.evidence_file:
            return "—"
        url = reverse("programs:milestone-evidence", args=[milestone.pk])
        return format_html('<a href="{}">{}</a>', url, milestone.evidence_name)

    @through_services
    def save_model(self, request, obj, form, change):
        # The admin's save runs in one transaction, and ServiceAdmin shows a refusal on the
        # form after rolling it back: a refused "done" leaves the new due date unsaved too.
        try:
            if "due_on" in form.changed_data:
                journey_services.milestone_reschedule(
                    milestone=obj, due_on=form.cleaned_data["due_on"], actor=request.user
                )
            if form.cleaned_data.get("mark_done"):
                journey_services.milestone_complete(
                    milestone=obj,
                    actor=request.user,
                    evidence=form.cleaned_data["new_evidence"],
                    uploaded_file=form.cleaned_data.get("evidence_upload"),
                    max_bytes=settings.UPLOAD_MAX_BYTES,
                )
        except ValidationError as error:
            raise _on_form_fields(error) from None


# The services' names of the fields that this form names otherwise.
_FORM_FIELDS = {"evidence": "new_evidence", "file": "evidence_upload"}


def _on_form_fields(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {_FORM_FIELDS.get(field, field): errors for field, errors in error.error_dict.items()}
    )
