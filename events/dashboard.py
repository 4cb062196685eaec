"""What events puts on the staff dashboard: events held and meetings scheduled per month."""

from django.utils.translation import gettext_lazy as _

from events.matching.models import Meeting
from events.models import Event
from events.reports import events_held_per_month, meetings_scheduled_per_month
from incubator.dashboard.registry import ACTIVITY, Contribution, Figure, moments, months
from incubator.reports.period import Period


def _monthly(period: Period, counts: dict, field: str, query: dict) -> list[Figure]:
    return [
        Figure(
            first.isoformat(),
            first.isoformat(),
            counts.get(first, 0),
            {**query, **moments(field, starts_at, ends_at)},
        )
        for first, starts_at, ends_at in months(period)
    ]


def events_figures(period: Period) -> list[Figure]:
    return _monthly(period, events_held_per_month(period), "starts_at", {"held": "yes"})


def meetings_figures(period: Period) -> list[Figure]:
    counts = meetings_scheduled_per_month(period)
    return _monthly(period, counts, "slot__starts_at", {"schedule": "scheduled"})


CONTRIBUTIONS = [
    Contribution(ACTIVITY, "events", 10, Event, events_figures, _("Events held")),
    Contribution(ACTIVITY, "meetings", 20, Meeting, meetings_figures, _("Meetings scheduled")),
]
