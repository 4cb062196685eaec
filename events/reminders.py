"""Reminders of events (incubator/reminders.py): each registrant is reminded 24 hours and
1 hour before the event starts, in their language, with the time in the event's zone and
their own. The moments are computed in UTC, so the hour between KST and CST changes nothing.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from events import times
from events.models import Event, Registration
from incubator.reminders import Occurrence, ReminderKind


def both_zones(event: Event, zone: str) -> str | None:
    """Return the viewer zone to show beside the event's: theirs, or when it is the event's
    own, None, so that the other zone of the portal is shown (a reminder always gives both
    KST and CST)."""
    return None if zone == event.time_zone else zone


def _registrants_before(lead: dt.timedelta):
    def occurrences(*, since: dt.datetime, now: dt.datetime):
        events = {
            event.pk: event
            for event in Event.objects.filter(
                status=Event.Status.PUBLISHED,
                starts_at__gte=since + lead,
                starts_at__lte=now + lead,
            )
        }
        # Plain rows, not model instances: a sweep may read tens of thousands of them.
        registrations = (
            Registration.objects.filter(
                event_id__in=list(events), status=Registration.Status.REGISTERED
            )
            .exclude(user__is_active=False)
            .order_by("pk")
            .values_list(
                "event_id", "user_id", "name", "guest_email", "user__email", "user__language",
                "user__time_zone",
            )
        )  # fmt: skip
        # The same event in the same language and zone reads the same: built once.
        shared: dict[tuple, dict] = {}
        for event_id, user_id, name, guest_email, email, language, zone in registrations.iterator(
            chunk_size=2_000
        ):
            event = events[event_id]
            if user_id is None:
                email, language, zone = guest_email, settings.LANGUAGE_CODE, event.time_zone
            key = (event_id, language, zone)
            if key not in shared:
                with translation.override(language):
                    shared[key] = {
                        "event": event.title,
                        "when": times.when(
                            event.starts_at,
                            event.ends_at,
                            event_zone=event.time_zone,
                            viewer_zone=both_zones(event, zone),
                        ),
                        "place": event.venue or event.online_url,
                        "hours": int(lead.total_seconds() // 3600),
                        "path": reverse("events:event-detail", args=[event_id]),
                    }
            yield Occurrence(
                obj_id=event_id,
                due_at=event.starts_at - lead,
                email=email,
                language=language,
                payload={**shared[key], "name": name},
                user_id=user_id,
            )

    return occurrences


EVENT_24H = ReminderKind(
    code="event_24h",
    label=_("Events I registered for: the day before (24 hours)"),
    occurrences=_registrants_before(dt.timedelta(hours=24)),
    # A beat that was down for a few hours still sends it, well before the event.
    grace=dt.timedelta(hours=6),
    template="event_reminder",
)
EVENT_1H = ReminderKind(
    code="event_1h",
    label=_("Events I registered for: one hour before"),
    occurrences=_registrants_before(dt.timedelta(hours=1)),
    # Later than this it would arrive as the event starts: dropped instead.
    grace=dt.timedelta(minutes=30),
    template="event_reminder",
)

KINDS = (EVENT_24H, EVENT_1H)
