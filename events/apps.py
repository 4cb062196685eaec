from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from incubator.schedules import PeriodicJob

COMPLETE_ENDED = PeriodicJob(
    "Events: mark ended events completed",
    "events.tasks.events_complete_ended_task",
    every_minutes=60,
)


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and matching")
    periodic_jobs = [COMPLETE_ENDED]
