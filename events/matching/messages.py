"""The e-mails and webhooks of matching sessions, written into the outbox: a request
received or answered, a meeting staff added or that left the schedule, each participant's
agenda after a schedule run (once per run and person), and the partner organisations'
"meeting confirmed" and "meeting moved" webhooks."""

from django.urls import reverse
from django.utils import translation

from companies.webhooks.models import EventType
from companies.webhooks.services import webhooks_emit
from events.matching.models import Meeting, MeetingRequest, MeetingSlot
from events.matching.selectors import Loaded
from events.messages import recipient_of
from events.models import Event, Registration
from incubator import times
from incubator.services import outbox_enqueue
from incubator.webhooks import utc_iso

REGISTERED = Registration.Status.REGISTERED


def notify_request(
    request: MeetingRequest, kind: str, to: Registration, other: Registration, *, reason=""
):
    """Tell `to` of a request between them and `other`: received, answered or withdrawn
    (`reason` "registration_cancelled": `other` cancelled their registration)."""
    email, language, _zone = recipient_of(to)
    with translation.override(language):
        payload = {
            "name": to.name,
            "other": other.name,
            "affiliation": other.affiliation_shown,
            "event": to.event.title,
            "priority": str(request.get_priority_display()),
            "status": str(request.get_status_display()),
            "message": request.message,
            "reason": reason,
            "path": reverse("events:matching-session", args=[to.event_id]),
        }
    outbox_enqueue(
        recipient=email,
        kind=kind,
        # A request declined by a cancellation stays: its sender's own withdrawal later
        # is another message.
        dedupe_key=f"{kind}:{request.pk}" + (f":{reason}" if reason else ""),
        payload=payload,
        language=language,
    )


def notify_meeting(
    meeting: Meeting,
    kind: str,
    to: Registration,
    other: Registration,
    slot: MeetingSlot,
    *,
    reason: str = "",
) -> None:
    """Tell `to` that their meeting with `other` is on the schedule ("meeting_added") or off
    it ("meeting_cancelled"; `reason`: "registration_cancelled" or "staff").

    The meeting's id names the occurrence: a pair placed again is another meeting row.
    """
    email, language, zone = recipient_of(to)
    if not email:
        return
    event = to.event
    with translation.override(language):
        payload = {
            "name": to.name,
            "other": other.name,
            "affiliation": other.affiliation_shown,
            "event": event.title,
            "venue": event.venue,
            "when": times.when(
                slot.starts_at, slot.ends_at, event_zone=event.time_zone, viewer_zone=zone
            ),
            "table": meeting.table,
            "interpreter": meeting.interpreter,
            "reason": reason,
            "path": reverse("events:meeting-agenda", args=[event.pk]),
        }
    outbox_enqueue(
        recipient=email,
        kind=kind,
        dedupe_key=f"{kind}:{meeting.pk}:{to.pk}",
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


def _by_counterpart(meetings, person: int) -> dict:
    return {
        m.registration_b_id if m.registration_a_id == person else m.registration_a_id: m
        for m in meetings
        if m.involves(person)
    }


def _change(old, new) -> str:
    """Return how a person's meeting with someone changed in a re-run: "new", "moved" (another
    slot or table) or "" (as it was)."""
    if old is None:
        return "new"
    return "moved" if (old.slot_id, old.table) != (new.slot_id, new.table) else ""


def send_agendas(run, loaded: Loaded, before, after, first_run: bool) -> None:
    """Write each participant's new agenda into the outbox (once per run and person); after a
    re-run each meeting says whether it is new or moved, and the meetings gone are listed."""
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
        had = {} if first_run else _by_counterpart(before, pk)

        def when(m, zone=zone):
            slot = loaded.slots[m.slot_id]
            return times.when(
                slot.starts_at, slot.ends_at, event_zone=event.time_zone, viewer_zone=zone
            )

        with translation.override(language):
            items = []
            for m in mine:
                other_pk = m.registration_b_id if m.registration_a_id == pk else m.registration_a_id
                other = loaded.people[other_pk]
                old = None if first_run else had.get(other_pk)
                change = "" if first_run else _change(old, m)
                items.append(
                    {
                        "when": when(m),
                        "table": m.table,
                        "counterpart": other.name,
                        "affiliation": other.affiliation_shown,
                        "interpreter": m.interpreter,
                        "change": change,
                        "was": when(old) if change == "moved" else "",
                        "was_table": old.table if change == "moved" else None,
                    }
                )
            kept = _by_counterpart(mine, pk)
            gone = []
            for other_pk, m in sorted(
                had.items(), key=lambda item: loaded.slots[item[1].slot_id].starts_at
            ):
                if other_pk in kept:
                    continue
                other = loaded.people.get(other_pk)
                gone.append(
                    {
                        "when": when(m),
                        "table": m.table,
                        "counterpart": other.name if other is not None else "",
                        "affiliation": other.affiliation_shown if other is not None else "",
                    }
                )
            payload = {
                "name": person.name,
                "event": event.title,
                "venue": event.venue,
                "meetings": items,
                "gone": gone,
                "changed": not first_run,
                "path": reverse("events:meeting-agenda", args=[event.pk]),
            }
        outbox_enqueue(
            recipient=email,
            kind="meeting_agenda",
            dedupe_key=f"meeting-agenda:{run.pk}:{pk}",
            payload=payload,
            language=language,
        )


# --- Webhooks -----------------------------------------------------------------------------


def _participant(registration: Registration) -> dict:
    # Whom the meeting is with, as a badge shows it: never an e-mail address.
    return {
        "registration_id": registration.pk,
        "kind": registration.kind,
        "name": registration.name,
        "company_id": registration.company_id,
        "organisation_id": registration.partner_organisation_id,
    }


def _meeting_data(event: Event, meeting: Meeting, slot: MeetingSlot, people) -> dict:
    return {
        "id": meeting.pk,
        "event": {
            "id": event.pk,
            "title": {code: getattr(event, f"title_{code}") for code in ("ko", "zh", "en")},
            "time_zone": event.time_zone,
        },
        "starts_at": utc_iso(slot.starts_at),
        "ends_at": utc_iso(slot.ends_at),
        "time_zone": event.time_zone,
        "table": meeting.table,
        "interpreter": meeting.interpreter is not None,
        "participants": [
            _participant(people[meeting.registration_a_id]),
            _participant(people[meeting.registration_b_id]),
        ],
    }


def _organisations(meeting: Meeting, people) -> set:
    return {
        people[pk].partner_organisation_id
        for pk in (meeting.registration_a_id, meeting.registration_b_id)
    }


def webhook_meeting_confirmed(
    event: Event, meeting: Meeting, slot: MeetingSlot, people, *, key: str
) -> list:
    """Tell the partner organisations in `meeting` that it is on the schedule.

    `people` maps registration ids to registrations; `key` names the occurrence (the
    meeting placed by hand, or the pair in a schedule run).
    """
    return webhooks_emit(
        event_type=EventType.MEETING_CONFIRMED,
        organisation_ids=_organisations(meeting, people),
        data={"meeting": _meeting_data(event, meeting, slot, people)},
        key=key,
    )


def webhooks_after_run(run, loaded: Loaded, before, after) -> None:
    """Tell the partner organisations of each pair that a run placed for the first time
    (meeting.confirmed) or moved to another slot or table (meeting.moved).

    A run replaces the rows of the meetings it keeps: a pair met before is matched by its
    two registrations, not by the meeting's id, which the payload gives as it is now.
    """
    previous = {(m.registration_a_id, m.registration_b_id): m for m in before}
    event = loaded.event
    for meeting in sorted(after, key=lambda m: (m.registration_a_id, m.registration_b_id)):
        pair = (meeting.registration_a_id, meeting.registration_b_id)
        if not all(pk in loaded.people for pk in pair):
            continue
        slot = loaded.slots[meeting.slot_id]
        old = previous.get(pair)
        key = f"run-{run.pk}:{pair[0]}-{pair[1]}"
        if old is None:
            webhook_meeting_confirmed(event, meeting, slot, loaded.people, key=key)
        elif (old.slot_id, old.table) != (meeting.slot_id, meeting.table):
            old_slot = loaded.slots.get(old.slot_id)
            data = {"meeting": _meeting_data(event, meeting, slot, loaded.people)}
            data["previous"] = {
                "id": old.pk,
                "starts_at": utc_iso(old_slot.starts_at) if old_slot else None,
                "ends_at": utc_iso(old_slot.ends_at) if old_slot else None,
                "table": old.table,
            }
            webhooks_emit(
                event_type=EventType.MEETING_MOVED,
                organisation_ids=_organisations(meeting, loaded.people),
                data=data,
                key=key,
            )
