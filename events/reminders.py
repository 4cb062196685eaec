"""Reminders of events (incubator/reminders.py): each registrant is reminded 24 hours and
1 hour before the event starts, in their language, with the time in the event's zone and
their own. The moments are computed in UTC, so the hour between KST and CST changes nothing.
An online programme with sessions is reminded of by each session instead
(events/online/reminders.py).
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from companies.models import SPOKEN_LANGUAGES
from events.messages import recipient_of
from events.models import Event, OnlineSession, Registration
from incubator import times
from incubator.reminders import Occurrence, ReminderKind

SPEAKS = tuple(f"speaks_{code}" for code in SPOKEN_LANGUAGES)


def when_for(start: dt.datetime, end: dt.datetime | None, event: Event, zone: str) -> str:
    """Return the span in the event's zone and the reader's; a reader in the event's own
    zone sees the portal's other zone beside it (a reminder always gives KST and CST)."""
    viewer = None if zone == event.time_zone else zone
    return times.when(start, end, event_zone=event.time_zone, viewer_zone=viewer)


# A sweep runs every few minutes: within this it is on time.
ON_TIME = dt.timedelta(minutes=10)

# An online programme with sessions is reminded of by its sessions (events/online/
# reminders.py), each with its own time and link, the first one included; not by these
# reminders of the event as well. Its start is its first session's (and if the first
# session starts later, nothing happens at the event's start to remind of), and these have
# no link to give: both would go out at the same moments, the one without the link useless.
# A programme without sessions (one link, `online_url`) keeps the event's reminders.
SESSIONS_REMIND = Q(kind=Event.Kind.ONLINE_PROGRAMME) & Exists(
    OnlineSession.objects.filter(event=OuterRef("pk"))
)


def registrants(events: dict[int, Event]):
    """Yield (event, user id, name, e-mail, language, zone, badge code) of each person
    registered for `events` (id -> event), in their language and zone: a guest's by the rule
    of their other e-mails (`recipient_of`); the user id is None for a guest."""
    # Plain rows, not model instances: a sweep may read tens of thousands of them.
    registrations = (
        Registration.objects.filter(
            event_id__in=list(events), status=Registration.Status.REGISTERED
        )
        .exclude(user__is_active=False)
        .order_by("pk")
        .values_list(
            "event_id", "user_id", "name", "guest_email", "user__email", "user__language",
            "user__time_zone", "badge_code", *SPEAKS,
        )
    )  # fmt: skip
    for row in registrations.iterator(chunk_size=2_000):
        event_id, user_id, name, guest_email, email, language, zone, badge_code = row[:8]
        event = events[event_id]
        if user_id is None:
            speaks = dict(zip(SPEAKS, row[8:], strict=True))
            email, language, zone = recipient_of(
                Registration(event=event, guest_email=guest_email, **speaks)
            )
        yield event, user_id, name, email, language, zone, badge_code


def hours_ahead(lead: dt.timedelta, starts_at: dt.datetime, now: dt.datetime) -> int:
    """Return the hours of `lead` for "in one hour", or 0 when the reminder is late: one sent
    30 minutes late names the start instead."""
    return int(lead.total_seconds() // 3600) if starts_at - now > lead - ON_TIME else 0


def _registrants_before(lead: dt.timedelta):
    def occurrences(*, since: dt.datetime, now: dt.datetime):
        events = {
            event.pk: event
            for event in Event.objects.filter(
                status=Event.Status.PUBLISHED,
                starts_at__gte=since + lead,
                starts_at__lte=now + lead,
            ).exclude(SESSIONS_REMIND)
        }
        # The same event in the same language and zone reads the same: built once.
        shared: dict[tuple, dict] = {}
        for event, user_id, name, email, language, zone, badge_code in registrants(events):
            key = (event.pk, language, zone)
            if key not in shared:
                with translation.override(language):
                    shared[key] = {
                        "event": event.title,
                        "when": when_for(event.starts_at, event.ends_at, event, zone),
                        # A late sweep sends the day-before reminder hours late: it names
                        # the start, not "in 24 hours".
                        "starts": when_for(event.starts_at, None, event, zone),
                        "place": event.venue or event.online_url,
                        # Nobody comes to a door: no badge, no code to give there.
                        "online": event.held_online,
                        "hours": hours_ahead(lead, event.starts_at, now),
                        "path": reverse("events:event-detail", args=[event.pk]),
                    }
            # A guest has no badge page: the code to give at the door instead.
            guest = user_id is None
            person = {"guest": True, "badge_code": badge_code} if guest else {}
            yield Occurrence(
                obj_id=event.pk,
                due_at=event.starts_at - lead,
                email=email,
                language=language,
                payload={**shared[key], "name": name, **person},
                user_id=user_id,
            )

    return occurrences


def _before(code: str, label, lead: dt.timedelta, grace: dt.timedelta) -> ReminderKind:
    return ReminderKind(code, label, _registrants_before(lead), grace, template="event_reminder")


# A beat that was down for a few hours still sends the first well before the event; the
# second, later than 30 minutes, would arrive as the event starts: dropped instead.
EVENT_24H = _before(
    "event_24h",
    _("Events I registered for: the day before (24 hours)"),
    lead=dt.timedelta(hours=24),
    grace=dt.timedelta(hours=6),
)
EVENT_1H = _before(
    "event_1h",
    _("Events I registered for: one hour before"),
    lead=dt.timedelta(hours=1),
    grace=dt.timedelta(minutes=30),
)

KINDS = (EVENT_24H, EVENT_1H)
