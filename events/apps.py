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

    def ready(self):
        from companies.policies import register_contact_opener
        from events.matching.selectors import organisation_met_company
        from events.portal import register_destinations

        register_destinations()

        # A meeting on the schedule with one of its people opens a company's contacts to a
        # partner organisation (the company directory of the partner API).
        register_contact_opener(organisation_met_company)
