"""The staff side of what a company files in China: its local entity and its quarterly
reports (the columns a report shows, in its list and on its enrollment's page)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from companies import validators
from incubator.admin_mixins import ReadOnlyInline, Rows, ServiceAdmin, through_services
from incubator.rows import staff_row_save
from programs import policies
from programs.admin_display import money_or_dash as _money
from programs.journey import services as journey_services
from programs.journey.forms import LocalEntityForm as PortalLocalEntityForm
from programs.models import (
    LocalEntity,
    QuarterlyReport,
)

REPORT_COLUMNS = [
    "period",
    "revenue_display",
    "employees_china",
    "employees_korea",
    "funding_display",
    "customers_china",
    "submitted_at",
]


class ReportColumns:
    """The computed columns of REPORT_COLUMNS."""

    @admin.display(description=_("quarter"), ordering="year")
    def period(self, report):
        return str(report.period)

    @admin.display(description=_("revenue"), ordering="revenue")
    def revenue_display(self, report):
        return _money(report.revenue, report.revenue_currency)

    @admin.display(description=_("funding raised"), ordering="funding_raised")
    def funding_display(self, report):
        return _money(report.funding_raised, report.funding_currency)


class QuarterlyReportInline(ReportColumns, ReadOnlyInline):
    model = QuarterlyReport
    fields = REPORT_COLUMNS
    readonly_fields = fields
    verbose_name_plural = _("quarterly reports (the series)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("company").order_by("year", "quarter")


# --- Local entities --------------------------------------------------------------------------


class LocalEntityForm(forms.ModelForm):
    class Meta:
        model = LocalEntity
        fields = ["company", *PortalLocalEntityForm.Meta.fields]

    def clean_uscc(self):
        return validators.uscc_compact(self.cleaned_data["uscc"])


@admin.register(LocalEntity)
class LocalEntityAdmin(ServiceAdmin):
    # ServiceAdmin: the register service's refusals (a date before the company's founding)
    # come back on the form instead of an error page.
    form = LocalEntityForm
    list_display = ["name_zh", "uscc", "company", "city", "registered_on", "capital"]
    list_select_related = ["company"]
    search_fields = ["name_zh", "uscc", "company__name_ko", "company__name_en"]
    autocomplete_fields = ["company"]

    @admin.display(description=_("registered capital"), ordering="registered_capital")
    def capital(self, entity):
        return _money(entity.registered_capital, entity.capital_currency)

    def has_delete_permission(self, request, obj=None):
        return False

    @through_services
    def save_model(self, request, obj, form, change):
        if change:  # a correction: checked by the model's validation, audited
            staff_row_save(obj, actor=request.user, verb="local_entity")
            return
        entity = journey_services.local_entity_register(
            company=form.cleaned_data["company"],
            actor=request.user,
            **{name: form.cleaned_data[name] for name in form.Meta.fields if name != "company"},
        )
        obj.pk = entity.pk
        obj._state.adding = False


# --- Quarterly reports -----------------------------------------------------------------------


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(ReportColumns, ServiceAdmin):
    # Filed by the company in the portal; staff read it. Only the center manager deletes a
    # wrong one (the officers' list offers no delete), through the audited service.
    rows = Rows(
        "report",
        delete=journey_services.quarterly_report_delete,
        may_delete=policies.can_delete_quarterly_report,
    )
    list_display = ["company", *REPORT_COLUMNS]
    list_select_related = ["company"]
    list_filter = ["year", "quarter"]
    search_fields = ["company__name_ko", "company__name_zh", "company__name_en"]
    ordering = ["company__name_ko", "year", "quarter"]

    def has_add_permission(self, request):
        return False  # companies file them in the portal

    def has_change_permission(self, request, obj=None):
        return False
