"""Reminders of online sessions (incubator/reminders.py). An online programme is its
sessions, each with its own time and link: each registrant is reminded of each session the
day before (24 hours) and one hour before it starts, in their language, with the session's
time in the event's zone and their own and the link to join. The event's own reminders
leave a programme with sessions to these (events/reminders.py, `SESSIONS_REMIND`).
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from events.models import Event, OnlineSession
from events.reminders import hours_ahead, registrants, when_for
from incubator.reminders import Occurrence, ReminderKind


def _sessions_before(lead: dt.timedelta, *, not_within: dt.timedelta | None = None):
    """The occurrences of the reminder `lead` before each session; with `not_within`, not
    for a session that another session of its programme starts less than that before."""

    def occurrences(*, since: dt.datetime, now: dt.datetime):
        sessions = (
            OnlineSession.objects.filter(
                event__kind=Event.Kind.ONLINE_PROGRAMME,
                event__status=Event.Status.PUBLISHED,
                starts_at__gte=since + lead,
                starts_at__lte=now + lead,
            )
            .select_related("event")
            .order_by("starts_at", "pk")
        )
        if not_within is not None:
            sessions = sessions.exclude(
                Exists(
                    OnlineSession.objects.filter(
                        event=OuterRef("event"),
                        starts_at__lt=OuterRef("starts_at"),
                        starts_at__gte=OuterRef("starts_at") - not_within,
                    )
                )
            )
        events: dict[int, Event] = {}
        of_event: dict[int, list[OnlineSession]] = defaultdict(list)
        for session in sessions:
            events.setdefault(session.event_id, session.event)
            of_event[session.event_id].append(session)
        # The same session in the same language and zone reads the same: built once.
        shared: dict[tuple, dict] = {}
        for event, user_id, name, email, language, zone, _badge in registrants(events):
            for session in of_event[event.pk]:
                key = (session.pk, language, zone)
                if key not in shared:
                    with translation.override(language):
                        shared[key] = {
                            "event": event.title,
                            "session": session.title,
                            "when": when_for(session.starts_at, session.ends_at, event, zone),
                            "starts": when_for(session.starts_at, None, event, zone),
                            "link": session.link,
                            "hours": hours_ahead(lead, session.starts_at, now),
                            "path": reverse("events:event-detail", args=[event.pk]),
                        }
                yield Occurrence(
                    obj_id=session.pk,
                    due_at=session.starts_at - lead,
                    email=email,
                    language=language,
                    payload={**shared[key], "name": name, "guest": user_id is None},
                    user_id=user_id,
                )

    return occurrences


# As the event's reminders (the same leads and grace). The day before a session that comes
# less than 24 hours after another of its programme (a programme of daily sessions, or two
# in a day), its day-before reminder would arrive around that other session, whose own
# reminders the reader has just had: only the hour-before one goes.
ONLINE_SESSION_24H = ReminderKind(
    "online_session_24h",
    _("Sessions of online programmes I registered for: the day before (24 hours)"),
    _sessions_before(dt.timedelta(hours=24), not_within=dt.timedelta(hours=24)),
    dt.timedelta(hours=6),
    template="online_session_reminder",
)
ONLINE_SESSION_1H = ReminderKind(
    "online_session_1h",
    _("Sessions of online programmes I registered for: one hour before"),
    _sessions_before(dt.timedelta(hours=1)),
    dt.timedelta(minutes=30),
    template="online_session_reminder",
)

KINDS = (ONLINE_SESSION_24H, ONLINE_SESSION_1H)
