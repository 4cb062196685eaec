from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from incubator.schedules import PeriodicJob

COMPLETE_ENDED = PeriodicJob(
    gettext_noop("Events: mark ended events completed"),
    "events.tasks.events_complete_ended_task",
    every_minutes=60,
)


# The kinds of messages the app sends (incubator.message_kinds).
MESSAGE_KINDS = {
    "event_registered": _("event registration confirmed"),
    "event_waitlisted": _("placed on an event's waiting list"),
    "event_promoted": _("moved from the waiting list into an event"),
    "event_changed": _("event changed"),
    "event_cancelled": _("event cancelled"),
    "registration_cancelled": _("event registration cancelled"),
    "event_reminder": _("event reminder"),
    "online_session_reminder": _("online session reminder"),
    "online_session_added": _("online session added"),
    "online_session_changed": _("online session changed"),
    "online_session_cancelled": _("online session cancelled"),
    "meeting_agenda": _("1:1 meeting agenda"),
    "meeting_request_received": _("meeting request received"),
    "meeting_request_answered": _("meeting request answered"),
    "meeting_request_withdrawn": _("meeting request withdrawn"),
    "meeting_added": _("1:1 meeting added by the center"),
    "meeting_cancelled": _("1:1 meeting taken off the schedule"),
    "judge_assigned": _("judging assignment"),
    "judge_unassigned": _("judging assignment withdrawn"),
    "competition_results": _("competition results"),
    "delegation_programme": _("delegation programme"),
}


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and matching")
    periodic_jobs = [COMPLETE_ENDED]

    def ready(self):
        from incubator import message_kinds

        message_kinds.register(MESSAGE_KINDS)
        # A delegation's programme comes with its calendar file, made at delivery.
        from events.delegations.messages import KIND, programme_extras
        from incubator.attachments import register_attachments

        register_attachments(KIND, programme_extras)
        # The audit trail shows each of the app's verbs by its label.
        from events import audit_verbs
        from events.delegations import audit_verbs as delegation_verbs
        from events.feeds import audit_verbs as feed_verbs
        from events.judging import audit_verbs as judging_verbs
        from events.matching import audit_verbs as matching_verbs
        from events.online import audit_verbs as online_verbs
        from incubator.audit_verbs import register as register_verbs

        register_verbs(
            audit_verbs.VERBS,
            online_verbs.VERBS,
            delegation_verbs.VERBS,
            feed_verbs.VERBS,
            matching_verbs.VERBS,
            judging_verbs.VERBS,
        )
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
        from events.online import reminders as online_reminders
        from incubator.reminders import register

        register(
            *reminders.KINDS,
            *online_reminders.KINDS,
            *matching_reminders.KINDS,
            *judging_reminders.KINDS,
        )
