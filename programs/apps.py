from django.apps import AppConfig
from django.db.models.signals import post_migrate
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

    def ready(self):
        from programs.portal import register_destinations

        register_destinations()
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="programs-defaults")


def ensure_defaults(sender, **kwargs):
    # A flush (as after a transactional test) empties the tables and then
    # sends post_migrate: the first policy comes back with it.
    from programs.admissions.defaults import ensure_first_policy
    from programs.models import ScreeningPolicy

    ensure_first_policy(ScreeningPolicy)
