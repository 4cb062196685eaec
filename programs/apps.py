from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from incubator.schedules import PeriodicJob

QUARTERLY_REMINDERS = PeriodicJob(
    "Quarterly reports: ask enrolled companies when due",
    "programs.tasks.quarterly_report_reminders_task",
    daily_at_hour=9,
)


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs and incubation")
    periodic_jobs = [QUARTERLY_REMINDERS]
