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
        from events.reports import SECTIONS
        from incubator.reports.registry import register_sections

        register_sections(SECTIONS)
        from events.dashboard import CONTRIBUTIONS
        from incubator.dashboard.registry import register_contributions

        register_contributions(CONTRIBUTIONS)
        from companies.policies import register_contact_opener
        from events.matching.selectors import organisation_met_company
        from events.portal import register_destinations

        register_destinations()

        # A meeting on the schedule with one of its people opens a company's contacts to a
        # partner organisation (the company directory of the partner API).
        register_contact_opener(organisation_met_company)

        from events import reminders
        from events.judging import reminders as judging_reminders
        from events.matching import reminders as matching_reminders
        from incubator.reminders import register

        register(*reminders.KINDS, *matching_reminders.KINDS, *judging_reminders.KINDS)
