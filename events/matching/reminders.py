"""The meeting agenda reminder (incubator/reminders.py): the evening before a matching
session, at 18:00 in each participant's own zone, their 1:1 meetings with the times in the
event's zone and their own."""

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from events.matching.models import Meeting
from events.messages import recipient_of
from events.models import Event, Registration
from events.reminders import when_for
from incubator.reminders import Occurrence, ReminderKind, local_moment

EVENING_HOUR = 18


def _agenda_items(meetings, person: Registration, event: Event, zone: str) -> list[dict]:
    items = []
    for meeting in meetings:
        other = (
            meeting.registration_b
            if meeting.registration_a_id == person.pk
            else meeting.registration_a
        )
        items.append(
            {
                "when": when_for(meeting.slot.starts_at, meeting.slot.ends_at, event, zone),
                "table": meeting.table,
                "counterpart": other.name,
                "affiliation": other.affiliation_shown,
                "interpreter": meeting.interpreter,
            }
        )
    return items


def agenda_occurrences(*, since: dt.datetime, now: dt.datetime):
    # The evening before is 6 to 31 hours before the start, whatever the zones.
    meetings = (
        Meeting.objects.filter(
            event__kind=Event.Kind.MATCHING_SESSION,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gte=since,
            event__starts_at__lte=now + dt.timedelta(days=2),
            # Nobody is reminded of a meeting with someone who cancelled.
            registration_a__status=Registration.Status.REGISTERED,
            registration_b__status=Registration.Status.REGISTERED,
        )
        .select_related(
            "event",
            "slot",
            "registration_a__user",
            "registration_b__user",
            "registration_a__company",
            "registration_a__partner_organisation",
            "registration_b__company",
            "registration_b__partner_organisation",
        )
        .order_by("slot__starts_at", "table")
    )
    agendas: dict[int, list[Meeting]] = defaultdict(list)
    people: dict[int, Registration] = {}
    for meeting in meetings:
        for person in (meeting.registration_a, meeting.registration_b):
            person.event = meeting.event
            people[person.pk] = person
            agendas[person.pk].append(meeting)
    for pk, mine in agendas.items():
        person = people[pk]
        if person.status != Registration.Status.REGISTERED:
            continue
        if person.user is not None and not person.user.is_active:
            continue
        event = person.event
        email, language, zone = recipient_of(person)
        day_before = event.starts_at.astimezone(event.tzinfo).date() - dt.timedelta(days=1)
        with translation.override(language):
            payload = {
                "name": person.name,
                "event": event.title,
                "when": when_for(event.starts_at, event.ends_at, event, zone),
                "venue": event.venue,
                "meetings": _agenda_items(mine, person, event, zone),
                "path": reverse("events:meeting-agenda", args=[event.pk]),
            }
        yield Occurrence(
            obj_id=event.pk,
            due_at=local_moment(day_before, EVENING_HOUR, zone),
            email=email,
            language=language,
            payload=payload,
            user_id=person.user_id,
        )


MEETING_AGENDA = ReminderKind(
    "meeting_agenda_eve",
    _("My 1:1 meeting agenda, the evening before a matching session"),
    agenda_occurrences,
    dt.timedelta(hours=4),
    template="reminder_meeting_agenda",
)

KINDS = (MEETING_AGENDA,)
