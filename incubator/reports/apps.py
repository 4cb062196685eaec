from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from incubator.schedules import PeriodicJob

WEEKLY_REPORT = PeriodicJob(
    gettext_noop("Reports: e-mail last week's KPI report to the managers"),
    "incubator.reports.tasks.kpi_report_mail_task",
    daily_at_hour=8,
    day_of_week="1",
    kwargs='{"kind": "week"}',
)
MONTHLY_REPORT = PeriodicJob(
    gettext_noop("Reports: e-mail last month's KPI report to the managers"),
    "incubator.reports.tasks.kpi_report_mail_task",
    daily_at_hour=8,
    day_of_month="1",
    kwargs='{"kind": "month"}',
)


class ReportsConfig(AppConfig):
    name = "incubator.reports"
    label = "reports"
    verbose_name = _("Reports")
    periodic_jobs = [WEEKLY_REPORT, MONTHLY_REPORT]

    def ready(self):
        from incubator import message_kinds
        from incubator.attachments import register_attachments
        from incubator.reports.mail import KIND, report_message_extras

        register_attachments(KIND, report_message_extras)
        message_kinds.register({KIND: _("KPI report")})
