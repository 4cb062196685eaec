"""The e-mails of matching sessions, written into the outbox: a request received or
answered, and each participant's agenda after a schedule run (once per run and person)."""

from django.urls import reverse
from django.utils import translation

from events import times
from events.matching.models import MeetingRequest
from events.matching.selectors import Loaded
from events.messages import recipient_of
from events.models import Registration
from incubator.services import outbox_enqueue

REGISTERED = Registration.Status.REGISTERED


def notify_request(request: MeetingRequest, kind: str, to: Registration, other: Registration):
    email, language, _zone = recipient_of(to)
    with translation.override(language):
        payload = {
            "name": to.name,
            "other": other.name,
            "affiliation": other.affiliation,
            "event": to.event.title,
            "priority": str(request.get_priority_display()),
            "status": str(request.get_status_display()),
            "message": request.message,
            "path": reverse("events:matching-session", args=[to.event_id]),
        }
    outbox_enqueue(
        recipient=email,
        kind=kind,
        dedupe_key=f"{kind}:{request.pk}",
        payload=payload,
        language=language,
    )


def _agenda_key(meetings, person: int) -> set:
    return {
        (m.slot_id, m.table, m.interpreter, m.registration_b_id)
        if m.registration_a_id == person
        else (m.slot_id, m.table, m.interpreter, m.registration_a_id)
        for m in meetings
        if m.involves(person)
    }


def send_agendas(run, loaded: Loaded, before, after, first_run: bool) -> None:
    """Write each participant's new agenda into the outbox (once per run and person)."""
    before, after = list(before), list(after)
    wanted = {pk for pair in loaded.priorities for pk in pair}
    involved = {pk for m in [*before, *after] for pk in (m.registration_a_id, m.registration_b_id)}
    event = loaded.event
    for pk in sorted(wanted | involved):
        person = loaded.people.get(pk)
        if person is None or person.status != REGISTERED:
            continue
        new_agenda = _agenda_key(after, pk)
        if not first_run and new_agenda == _agenda_key(before, pk):
            continue
        email, language, zone = recipient_of(person)
        if not email:
            continue
        mine = sorted(
            (m for m in after if m.involves(pk)), key=lambda m: loaded.slots[m.slot_id].starts_at
        )
        with translation.override(language):
            items = []
            for m in mine:
                slot = loaded.slots[m.slot_id]
                other = loaded.people[
                    m.registration_b_id if m.registration_a_id == pk else m.registration_a_id
                ]
                items.append(
                    {
                        "when": times.when(
                            slot.starts_at,
                            slot.ends_at,
                            event_zone=event.time_zone,
                            viewer_zone=zone,
                        ),
                        "table": m.table,
                        "counterpart": other.name,
                        "affiliation": other.affiliation,
                        "interpreter": m.interpreter,
                    }
                )
            payload = {
                "name": person.name,
                "event": event.title,
                "venue": event.venue,
                "meetings": items,
                "path": reverse("events:meeting-agenda", args=[event.pk]),
            }
        outbox_enqueue(
            recipient=email,
            kind="meeting_agenda",
            dedupe_key=f"meeting-agenda:{run.pk}:{pk}",
            payload=payload,
            language=language,
        )
