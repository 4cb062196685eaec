from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Intake, Program


class IntakeInline(admin.TabularInline):
    model = Intake
    extra = 0
    fields = ["label", "opens_at", "closes_at", "is_open_now"]
    readonly_fields = ["is_open_now"]

    @admin.display(description=_("open now"), boolean=True)
    def is_open_now(self, intake):
        return intake.is_open() if intake.pk else None


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name_ko", "name_zh", "name_en", "intake_count", "open_intakes"]
    search_fields = ["name_ko", "name_zh", "name_en"]
    fieldsets = [
        (_("Names"), {"fields": ["name_ko", "name_zh", "name_en"]}),
        (_("Description"), {"fields": ["description_ko", "description_zh", "description_en"]}),
    ]
    inlines = [IntakeInline]

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
            )
        )

    @admin.display(description=_("intakes"), ordering="intake_total")
    def intake_count(self, program):
        return program.intake_total

    @admin.display(description=_("open intakes"), ordering="intakes_open")
    def open_intakes(self, program):
        return program.intakes_open
