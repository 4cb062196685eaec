"""The KPI report's sections of events: events held, registrations and attendance, meetings."""

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.matching.models import Meeting, MeetingRequest
from events.models import Event, Registration
from events.online.models import SessionAttendance
from incubator.reports.figures import counts_table, figures_table, grid_table
from incubator.reports.period import Period, center_zone
from incubator.reports.registry import Section

FIELD_EVENTS = (Event.Kind.ROADSHOW, Event.Kind.MATCHING_SESSION)


def held(prefix: str = "") -> Q:
    """Return the filter of events held: completed, or published and over."""
    return Q(**{f"{prefix}status": Event.Status.COMPLETED}) | Q(
        **{f"{prefix}status": Event.Status.PUBLISHED, f"{prefix}ends_at__lte": timezone.now()}
    )


def scheduled(prefix: str = "") -> Q:
    """Return the filter of meetings on the schedule: their event is not cancelled."""
    return ~Q(**{f"{prefix}event__status": Event.Status.CANCELLED})


def events_tables(period: Period) -> list:
    in_period = Q(**period.lookup("starts_at"))
    # 1 query: events held by kind.
    by_kind = dict(
        Event.objects.filter(in_period & held())
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # 1 query: cancelled events.
    cancelled = Event.objects.filter(in_period, status=Event.Status.CANCELLED).count()
    return [
        figures_table(
            "totals",
            _("Events"),
            [
                ("held", _("Events held"), sum(by_kind.values())),
                (
                    "roadshows_and_matching",
                    _("Roadshows and matching sessions held"),
                    sum(by_kind.get(kind, 0) for kind in FIELD_EVENTS),
                ),
                ("cancelled", _("Events cancelled"), cancelled),
            ],
        ),
        counts_table("held_by_kind", _("Events held, by kind"), Event.Kind.choices, by_kind),
    ]


def registrations_tables(period: Period) -> list:
    status = Registration.Status
    # A cancelled event keeps its registrations' statuses: counted as registered, they would
    # lower the attendance rate and show a waitlist nobody waits on. Its registered and
    # waitlisted people are counted on their own, the cancellations they made before as
    # cancellations.
    held_on = ~Q(event__status=Event.Status.CANCELLED)
    standing = Q(status__in=(status.REGISTERED, status.WAITLISTED))
    # 1 query: registrations of the events of the period, by the event's kind.
    rows = {
        row["event__kind"]: row
        for row in Registration.objects.filter(**period.lookup("event__starts_at"))
        .values("event__kind")
        .annotate(
            registered=Count("pk", filter=held_on & Q(status=status.REGISTERED)),
            waitlisted=Count("pk", filter=held_on & Q(status=status.WAITLISTED)),
            cancelled=Count("pk", filter=Q(status=status.CANCELLED)),
            attended=Count("pk", filter=held_on & Q(checked_in_at__isnull=False)),
            event_cancelled=Count("pk", filter=~held_on & standing),
        )
        .order_by()
    }
    # 1 query: attendance of online sessions held in the period.
    online = SessionAttendance.objects.filter(**period.lookup("session__starts_at")).aggregate(
        attendances=Count("pk"), people=Count("registration", distinct=True)
    )
    columns = ("registered", "waitlisted", "cancelled", "attended", "event_cancelled")
    return [
        grid_table(
            "by_kind",
            _("Registrations and attendance, by kind of event"),
            [
                ("registered", _("Registered")),
                ("waitlisted", _("Waitlisted")),
                ("cancelled", _("Cancelled")),
                ("attended", _("Checked in")),
                ("event_cancelled", _("Registrations of cancelled events")),
            ],
            [
                (kind, label, [rows[kind][c] for c in columns])
                for kind, label in Event.Kind.choices
                if kind in rows
            ],
            chart="column",
        ),
        figures_table(
            "online",
            _("Online sessions"),
            [
                ("attendances", _("Session attendances"), online["attendances"]),
                ("people", _("People who attended online"), online["people"]),
            ],
        ),
    ]


def meetings_tables(period: Period) -> list:
    # 1 query: meeting requests of the matching sessions of the period.
    requests = MeetingRequest.objects.filter(**period.lookup("event__starts_at")).aggregate(
        requested=Count("pk"),
        accepted=Count("pk", filter=Q(status=MeetingRequest.Status.ACCEPTED)),
        declined=Count("pk", filter=Q(status=MeetingRequest.Status.DECLINED)),
    )
    # 1 query: meetings on the schedule in the period, and those held (both checked in).
    meetings = Meeting.objects.filter(**period.lookup("slot__starts_at")).aggregate(
        scheduled=Count("pk", filter=scheduled()),
        held=Count(
            "pk",
            filter=held("event__")
            & Q(
                slot__ends_at__lte=timezone.now(),
                registration_a__checked_in_at__isnull=False,
                registration_b__checked_in_at__isnull=False,
            ),
        ),
    )
    return [
        figures_table(
            "totals",
            _("1:1 meetings"),
            [
                ("requested", _("Meetings requested"), requests["requested"]),
                ("accepted", _("Requests accepted"), requests["accepted"]),
                ("declined", _("Requests declined"), requests["declined"]),
                ("scheduled", _("Meetings scheduled"), meetings["scheduled"]),
                ("held", _("Meetings held"), meetings["held"]),
            ],
        )
    ]


SECTIONS = [
    Section("events", _("Events"), 70, events_tables),
    Section("registrations", _("Registrations and attendance"), 75, registrations_tables),
    Section("meetings", _("Meetings"), 80, meetings_tables),
]


def per_month(queryset, field: str) -> dict[dt.date, int]:
    """Return the rows of `queryset` per month of `field` in the center's zone (1 query)."""
    months = (
        queryset.annotate(month=TruncMonth(field, tzinfo=center_zone()))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {month.date(): n for month, n in months}


def events_held_per_month(period: Period) -> dict[dt.date, int]:
    """The report's events held (`events_tables`), per month of the period."""
    return per_month(Event.objects.filter(held(), **period.lookup("starts_at")), "starts_at")


def meetings_scheduled_per_month(period: Period) -> dict[dt.date, int]:
    """The report's meetings scheduled (`meetings_tables`), per month of the period."""
    meetings = Meeting.objects.filter(scheduled(), **period.lookup("slot__starts_at"))
    return per_month(meetings, "slot__starts_at")
