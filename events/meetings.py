"""1:1 meetings of matching sessions: availability, requests, staff edits and scheduler runs.

Writes that touch the schedule (staff edits, a run's result) hold a lock on the event row,
so a person is never put in two meetings of one slot by two writers at once. While a run is
computing, staff edits are refused: the run would overwrite them.

Pairs and priorities: each accepted request is a wish to meet. A pair's priority for the
scheduler is "mutual must" when both asked each other with "must", "must" when one did,
else "would like". Asking someone who has already asked you accepts their request.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import SPOKEN_LANGUAGES
from events import matchmaking, times
from events.ics import uid_for
from events.models import (
    Availability,
    Event,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    Registration,
    ScheduleRun,
)
from incubator.services import outbox_enqueue, task_enqueue_on_commit

logger = logging.getLogger(__name__)

SCHEDULE_TASK = "events.meeting_tasks.heavy_schedule_meetings_task"
PROGRESS_STEP = 5  # percent between two progress writes
STALE_QUEUED = dt.timedelta(minutes=15)
STALE_RUNNING = dt.timedelta(minutes=30)
REGISTERED = Registration.Status.REGISTERED
PENDING = MeetingRequest.Status.PENDING
ACCEPTED = MeetingRequest.Status.ACCEPTED
DECLINED = MeetingRequest.Status.DECLINED

REASONS = {
    matchmaking.NO_COMMON_SLOT: gettext_lazy("no time slot where both are available"),
    matchmaking.NO_INTERPRETER: gettext_lazy(
        "an interpreter is needed and none works in their common slots"
    ),
    matchmaking.PARTICIPANT_BUSY: gettext_lazy(
        "one of them has other meetings in every common slot"
    ),
    matchmaking.CAPACITY: gettext_lazy("no table or interpreter left in their common slots"),
}


def reason_label(code: str) -> str:
    """Return the reason a request was not scheduled, in the active language."""
    return str(REASONS[code]) if code in REASONS else code


# --- Guards and reads ---------------------------------------------------------------------


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _refuse_unless_open(event: Event) -> None:
    if not event.is_matching_session:
        raise ValidationError(_("This event is not a matching session."))
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is cancelled."))
    if event.status == Event.Status.COMPLETED or timezone.now() >= event.ends_at:
        raise ValidationError(_("This event is over."))


def _expire_stale_runs(event: Event) -> None:
    """Fail the runs no worker took or finished in time (the broker was down, a worker died),
    so that they do not block the event's schedule for ever."""
    now = timezone.now()
    ScheduleRun.objects.filter(
        Q(status=ScheduleRun.Status.QUEUED, created_at__lt=now - STALE_QUEUED)
        | Q(status=ScheduleRun.Status.RUNNING, started_at__lt=now - STALE_RUNNING),
        event=event,
    ).update(
        status=ScheduleRun.Status.FAILED,
        finished_at=now,
        error=_("No worker finished this run in time; generate the schedule again."),
    )


def _refuse_while_running(event: Event) -> None:
    """Refuse a change while a run computes; the event row is locked by the caller."""
    _expire_stale_runs(event)
    if ScheduleRun.objects.filter(event=event, status__in=ScheduleRun.ACTIVE).exists():
        raise ValidationError(
            _("A schedule is being computed for this event; wait until it is done.")
        )


def participant_of(*, event: Event, user) -> Registration | None:
    """Return the registered participation of `user` in a matching session, or None."""
    if not getattr(user, "is_authenticated", False) or not event.is_matching_session:
        return None
    return (
        Registration.objects.filter(event=event, user=user, status=REGISTERED)
        .select_related("event", "company", "partner_organisation")
        .first()
    )


def matching_sessions_of(user):
    """Return the matching sessions `user` is registered for, latest first."""
    return Event.objects.filter(
        kind=Event.Kind.MATCHING_SESSION,
        registrations__user=user,
        registrations__status=REGISTERED,
    ).order_by("-starts_at")


def can_meet(viewer: Registration, other: Registration) -> bool:
    """Say whether `viewer` may see `other` and ask them for a meeting.

    Startups meet partners; partners meet startups that agreed to be shown to partners.
    """
    if other.pk == viewer.pk or other.event_id != viewer.event_id or other.status != REGISTERED:
        return False
    if viewer.kind == Registration.Kind.STARTUP:
        return other.kind == Registration.Kind.PARTNER
    if viewer.kind == Registration.Kind.PARTNER:
        return other.kind == Registration.Kind.STARTUP and other.company.consent_to_partners
    return False


def participants_for(*, registration: Registration):
    """Return the participants `registration` may ask for a meeting, by name."""
    others = Registration.objects.filter(event_id=registration.event_id, status=REGISTERED).exclude(
        pk=registration.pk
    )
    if registration.kind == Registration.Kind.STARTUP:
        others = others.filter(kind=Registration.Kind.PARTNER)
    elif registration.kind == Registration.Kind.PARTNER:
        others = others.filter(kind=Registration.Kind.STARTUP, company__consent_to_partners=True)
    else:
        others = others.none()
    return others.select_related("company", "partner_organisation").order_by("search_name")


def requests_of(*, registration: Registration) -> tuple[list, list]:
    """Return (received, sent) meeting requests of a participant, newest first."""
    requests = MeetingRequest.objects.filter(
        Q(to_registration=registration) | Q(from_registration=registration)
    ).select_related("from_registration", "to_registration")
    received = [r for r in requests if r.to_registration_id == registration.pk]
    sent = [r for r in requests if r.from_registration_id == registration.pk]
    return received, sent


@dataclass
class AgendaItem:
    meeting: Meeting
    slot: MeetingSlot
    counterpart: Registration
    table: int
    interpreter: int | None


def agenda_of(*, registration: Registration) -> list[AgendaItem]:
    """Return a participant's meetings in time order."""
    meetings = (
        Meeting.objects.filter(
            Q(registration_a=registration) | Q(registration_b=registration),
            event_id=registration.event_id,
        )
        .select_related("slot", "registration_a", "registration_b")
        .order_by("slot__starts_at")
    )
    items = []
    for meeting in meetings:
        a, b = meeting.registration_a, meeting.registration_b
        other = b if a.pk == registration.pk else a
        items.append(AgendaItem(meeting, meeting.slot, other, meeting.table, meeting.interpreter))
    return items


def agenda_calendar_items(*, registration: Registration, url: str = "") -> list[dict]:
    """Return the agenda as items for `events.ics.calendar_for`, in the event's zone."""
    event = registration.event
    items = []
    for item in agenda_of(registration=registration):
        meeting = item.meeting
        description = [_("Table %(table)s") % {"table": item.table}]
        if item.counterpart.affiliation:
            description.append(item.counterpart.affiliation)
        if item.interpreter:
            description.append(_("Interpreter %(n)s") % {"n": item.interpreter})
        items.append(
            {
                "uid": _meeting_uid(meeting),
                "summary": _("Meeting: %(name)s") % {"name": item.counterpart.name},
                "start": item.slot.starts_at,
                "end": item.slot.ends_at,
                "tz": event.time_zone,
                "location": " · ".join(
                    part
                    for part in (event.venue, _("table %(table)s") % {"table": item.table})
                    if part
                ),
                "description": "\n".join(description),
                "url": url,
            }
        )
    return items


def _meeting_uid(meeting: Meeting) -> str:
    # By pair, not by row: a re-run replaces the rows, and a calendar should update its entry.
    return uid_for(
        "meeting", f"{meeting.event_id}-{meeting.registration_a_id}-{meeting.registration_b_id}"
    )


def schedule_overview(*, event: Event) -> dict:
    """Return the counts the staff scheduling page shows."""
    slots = list(event.slots.all())
    participants = event.registrations.filter(status=REGISTERED).count()
    requests = event.meeting_requests.aggregate(
        accepted=Count("pk", filter=Q(status=ACCEPTED)),
        pending=Count("pk", filter=Q(status=PENDING)),
    )
    meetings = event.meetings.aggregate(
        total=Count("pk"), locked=Count("pk", filter=Q(locked=True))
    )
    for slot in slots:
        slot.event = event
    return {
        "participants": participants,
        "accepted_requests": requests["accepted"],
        "pending_requests": requests["pending"],
        "slots": len(slots),
        "tables": sum(slot.table_count for slot in slots),
        "tables_per_slot": event.meeting_tables,
        "interpreters": sum(slot.interpreter_count for slot in slots),
        "interpreters_per_slot": event.interpreters_per_slot,
        "meetings": meetings["total"],
        "locked_meetings": meetings["locked"],
    }


def meetings_of_event(*, event: Event) -> list[Meeting]:
    return list(
        event.meetings.select_related("slot", "registration_a", "registration_b").order_by(
            "slot__starts_at", "table"
        )
    )


def table_plan(*, event: Event) -> tuple[list[MeetingSlot], list[int], dict]:
    """Return (slots, table numbers, {(slot id, table): meeting}) for the printed plan."""
    slots = list(event.slots.all())
    for slot in slots:
        slot.event = event
    tables = list(range(1, max((s.table_count for s in slots), default=0) + 1))
    grid = {(m.slot_id, m.table): m for m in meetings_of_event(event=event)}
    return slots, tables, grid


def interpreter_plan(*, event: Event) -> tuple[list[MeetingSlot], list[int], dict]:
    """Return (slots, interpreter numbers, {(slot id, interpreter): meeting})."""
    slots = list(event.slots.all())
    for slot in slots:
        slot.event = event
    numbers = list(range(1, max((s.interpreter_count for s in slots), default=0) + 1))
    grid = {}
    for m in meetings_of_event(event=event):
        if m.interpreter is not None:
            m.languages_a = ", ".join(sorted(m.registration_a.languages)).upper()
            m.languages_b = ", ".join(sorted(m.registration_b.languages)).upper()
            grid[(m.slot_id, m.interpreter)] = m
    return slots, numbers, grid


# --- Participants: availability and requests ----------------------------------------------


def availability_set(
    *, registration: Registration, slot_ids, languages=None, actor=None
) -> Registration:
    """Replace the slots a participant is available in (and the languages they speak).

    `languages` are codes of SPOKEN_LANGUAGES; None keeps them. Meetings already scheduled
    stay until the next schedule run moves what no longer fits.
    """
    wanted = {int(pk) for pk in slot_ids}
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=registration.pk)
        )
        event = registration.event
        if actor is not None and not actor.is_staff and registration.user_id != actor.pk:
            raise PermissionDenied
        _refuse_unless_open(event)
        if registration.status != REGISTERED:
            raise ValidationError(_("Only registered participants give their availability."))
        found = set(
            MeetingSlot.objects.filter(event=event, pk__in=wanted).values_list("pk", flat=True)
        )
        if found != wanted:
            raise ValidationError(_("A chosen time slot is not part of this event."))
        if languages is not None:
            languages = set(languages)
            if languages - set(SPOKEN_LANGUAGES):
                raise ValidationError(_("Unknown language."))
            if not languages:
                raise ValidationError(_("Choose at least one language you speak."))
            for code in SPOKEN_LANGUAGES:
                setattr(registration, f"speaks_{code}", code in languages)
            registration.save(update_fields=[f"speaks_{code}" for code in SPOKEN_LANGUAGES])
        present = set(registration.availabilities.values_list("slot_id", flat=True))
        registration.availabilities.exclude(slot_id__in=wanted).delete()
        Availability.objects.bulk_create(
            [Availability(registration=registration, slot_id=pk) for pk in sorted(wanted - present)]
        )
    return registration


def _recipient(registration: Registration) -> tuple[str, str, str]:
    """Return (e-mail, language, time zone) of a participant."""
    user = registration.user
    if user is not None:
        return user.email, user.language, user.time_zone
    return registration.guest_email, settings.LANGUAGE_CODE, registration.event.time_zone


def _notify_request(request: MeetingRequest, kind: str, to: Registration, other: Registration):
    email, language, _zone = _recipient(to)
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


def meeting_request_create(
    *,
    from_registration: Registration,
    to_registration: Registration,
    priority: str = MeetingRequest.Priority.WOULD_LIKE,
    message: str = "",
) -> MeetingRequest:
    """Ask another participant of the same matching session for a 1:1 meeting."""
    if priority not in MeetingRequest.Priority.values:
        raise ValidationError(_("Choose how much you want this meeting."))
    if from_registration.pk == to_registration.pk:
        raise ValidationError(_("You cannot request a meeting with yourself."))
    with transaction.atomic():
        event = _lock_event(from_registration.event)
        _refuse_unless_open(event)
        people = {
            r.pk: r
            for r in Registration.objects.select_related("company", "event").filter(
                pk__in=[from_registration.pk, to_registration.pk]
            )
        }
        sender, recipient = people[from_registration.pk], people.get(to_registration.pk)
        if sender.status != REGISTERED:
            raise ValidationError(_("You are not registered for this event."))
        if recipient is None or recipient.event_id != event.pk or recipient.status != REGISTERED:
            # Say nothing of a person the sender cannot see among the participants.
            raise ValidationError(_("This person is not registered for this event."))
        if event.meeting_requests_deadline and timezone.now() >= event.meeting_requests_deadline:
            raise ValidationError(
                _("Meeting requests closed on %(when)s.")
                % {"when": times.span(event.meeting_requests_deadline, None, event.time_zone)}
            )
        if not can_meet(sender, recipient):
            raise ValidationError(
                _("%(name)s cannot be asked for a meeting: startups meet partners here.")
                % {"name": recipient.name}
            )
        if MeetingRequest.objects.filter(
            from_registration=sender, to_registration=recipient
        ).exists():
            raise ValidationError(
                _("You have already asked %(name)s for a meeting.") % {"name": recipient.name}
            )
        reverse_request = (
            MeetingRequest.objects.select_for_update()
            .filter(from_registration=recipient, to_registration=sender)
            .exclude(status=DECLINED)
            .first()
        )
        now = timezone.now()
        try:
            with transaction.atomic():
                request = MeetingRequest.objects.create(
                    event=event,
                    from_registration=sender,
                    to_registration=recipient,
                    priority=priority,
                    message=message.strip(),
                    # They asked first: both want the meeting.
                    status=ACCEPTED if reverse_request else PENDING,
                    responded_at=now if reverse_request else None,
                )
        except IntegrityError:
            raise ValidationError(
                _("You have already asked %(name)s for a meeting.") % {"name": recipient.name}
            ) from None
        if reverse_request is not None and reverse_request.status == PENDING:
            reverse_request.status = ACCEPTED
            reverse_request.responded_at = now
            reverse_request.save(update_fields=["status", "responded_at"])
            _notify_request(reverse_request, "meeting_request_answered", recipient, sender)
        elif reverse_request is None:
            _notify_request(request, "meeting_request_received", recipient, sender)
    return request


def meeting_request_respond(
    *, request: MeetingRequest, registration: Registration, accept: bool
) -> MeetingRequest:
    """Accept or decline a request received by `registration`."""
    with transaction.atomic():
        request = (
            MeetingRequest.objects.select_for_update(of=("self",))
            .select_related("event", "from_registration", "to_registration")
            .get(pk=request.pk)
        )
        if request.to_registration_id != registration.pk:
            raise PermissionDenied(_("This request was not sent to you."))
        _refuse_unless_open(request.event)
        if request.status != PENDING:
            raise ValidationError(
                _("You answered this request already (%(status)s).")
                % {"status": request.get_status_display()}
            )
        request.status = ACCEPTED if accept else DECLINED
        request.responded_at = timezone.now()
        request.save(update_fields=["status", "responded_at"])
        sender = request.from_registration
        sender.event = request.event
        _notify_request(request, "meeting_request_answered", sender, request.to_registration)
    return request


# --- Staff: meetings by hand --------------------------------------------------------------


def _free_number(taken: set[int], capacity: int) -> int | None:
    return next((n for n in range(1, capacity + 1) if n not in taken), None)


def meeting_add(
    *,
    event: Event,
    registration_a: Registration,
    registration_b: Registration,
    slot: MeetingSlot,
    actor,
    table: int | None = None,
    interpreter: int | None = None,
    locked: bool = True,
) -> Meeting:
    """Place a meeting by hand (locked by default, so the next run keeps it).

    The table and, when the two share no language, the interpreter default to the lowest free.
    """
    if registration_a.pk == registration_b.pk:
        raise ValidationError(_("A meeting is between two different people."))
    with transaction.atomic():
        event = _lock_event(event)
        if not event.is_matching_session:
            raise ValidationError(_("This event is not a matching session."))
        _refuse_while_running(event)
        slot = MeetingSlot.objects.filter(pk=slot.pk, event=event).first()
        if slot is None:
            raise ValidationError(_("This time slot is not part of the event."))
        slot.event = event
        people = list(
            Registration.objects.filter(
                pk__in=[registration_a.pk, registration_b.pk], event=event, status=REGISTERED
            ).order_by("pk")
        )
        if len(people) != 2:
            raise ValidationError(_("Both people must be registered for this event."))
        a, b = people
        if Meeting.objects.filter(event=event, registration_a=a, registration_b=b).exists():
            raise ValidationError(
                _("%(a)s and %(b)s already meet at this event; move or remove that meeting.")
                % {"a": a.name, "b": b.name}
            )
        in_slot = list(Meeting.objects.filter(slot=slot))
        busy = [m for m in in_slot if m.involves(a.pk) or m.involves(b.pk)]
        if busy:
            raise ValidationError(_("One of the two already has a meeting in this slot."))
        tables_taken = {m.table for m in in_slot}
        if table is None:
            table = _free_number(tables_taken, slot.table_count)
            if table is None:
                raise ValidationError(_("Every table is taken in this slot."))
        elif not 1 <= table <= slot.table_count or table in tables_taken:
            raise ValidationError(_("Table %(table)s is not free in this slot.") % {"table": table})
        interpreters_taken = {m.interpreter for m in in_slot if m.interpreter}
        if interpreter is None and not (a.languages & b.languages):
            interpreter = _free_number(interpreters_taken, slot.interpreter_count)
            if interpreter is None:
                raise ValidationError(
                    _("The two share no language and no interpreter is free in this slot.")
                )
        elif interpreter is not None and (
            not 1 <= interpreter <= slot.interpreter_count or interpreter in interpreters_taken
        ):
            raise ValidationError(
                _("Interpreter %(n)s is not free in this slot.") % {"n": interpreter}
            )
        meeting = Meeting(
            event=event,
            registration_a=a,
            registration_b=b,
            slot=slot,
            table=table,
            interpreter=interpreter,
            locked=locked,
            created_by=actor,
        )
        meeting.full_clean()
        meeting.save()
    return meeting


def meeting_lock(*, meeting: Meeting, locked: bool, actor) -> Meeting:
    """Lock a meeting (the next run keeps it where it is) or unlock it."""
    with transaction.atomic():
        _lock_event(meeting.event)
        _refuse_while_running(meeting.event)
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.locked != locked:
            meeting.locked = locked
            meeting.save(update_fields=["locked", "updated_at"])
    return meeting


def meeting_remove(*, meeting: Meeting, actor) -> None:
    """Remove a meeting from the schedule (an accepted request comes back at the next run)."""
    with transaction.atomic():
        _lock_event(meeting.event)
        _refuse_while_running(meeting.event)
        Meeting.objects.filter(pk=meeting.pk).delete()


# --- Scheduler runs -----------------------------------------------------------------------


def schedule_run_start(*, event: Event, actor, pin_previous: bool = True) -> ScheduleRun:
    """Queue a schedule computation for a matching session; a worker runs it."""
    with transaction.atomic():
        event = _lock_event(event)
        if not event.is_matching_session:
            raise ValidationError(_("This event is not a matching session."))
        if event.status == Event.Status.CANCELLED:
            raise ValidationError(_("This event is cancelled."))
        _refuse_while_running(event)
        slots = list(event.slots.all())
        for slot in slots:
            slot.event = event
        if not slots:
            raise ValidationError(_("Add the meeting time slots of the event first."))
        if not any(slot.table_count for slot in slots):
            raise ValidationError(_("Give the number of meeting tables first."))
        try:
            with transaction.atomic():
                run = ScheduleRun.objects.create(
                    event=event, requested_by=actor, pin_previous=pin_previous
                )
        except IntegrityError:
            raise ValidationError(
                _("A schedule is being computed for this event; wait until it is done.")
            ) from None
        task_enqueue_on_commit(SCHEDULE_TASK, run.pk)
    return run


def pair_priorities(requests) -> dict[tuple[int, int], str]:
    """Return {(a, b): scheduler priority} with a < b, from (from, to, priority) of accepted
    requests."""
    musts: dict[tuple[int, int], set[int]] = defaultdict(set)
    pairs: set[tuple[int, int]] = set()
    for sender, recipient, priority in requests:
        pair = (min(sender, recipient), max(sender, recipient))
        pairs.add(pair)
        if priority == MeetingRequest.Priority.MUST:
            musts[pair].add(sender)
    result = {}
    for pair in pairs:
        asked = len(musts.get(pair, ()))
        result[pair] = (
            matchmaking.MUTUAL_MUST
            if asked == 2
            else matchmaking.MUST
            if asked == 1
            else matchmaking.WOULD_LIKE
        )
    return result


@dataclass
class _Loaded:
    event: Event
    problem: matchmaking.Problem
    slots: dict[int, MeetingSlot]
    people: dict[int, Registration]
    meetings: list[Meeting]  # the schedule before the run, locked and not
    priorities: dict[tuple[int, int], str]


def load_schedule_problem(event: Event) -> _Loaded:
    """Load what the scheduler needs for `event` in five queries, whatever its size.

    slots + meetings + participants + availability + accepted requests.
    """
    slots = {
        slot.pk: slot for slot in MeetingSlot.objects.filter(event=event).order_by("starts_at")
    }
    for slot in slots.values():
        slot.event = event
    meetings = list(Meeting.objects.filter(event=event))
    locked = [m for m in meetings if m.locked]
    locked_people = {pk for m in locked for pk in (m.registration_a_id, m.registration_b_id)}
    people = {
        r.pk: r
        for r in Registration.objects.filter(event=event)
        .filter(Q(status=REGISTERED) | Q(pk__in=locked_people))
        .select_related("user")
    }
    available: dict[int, set] = defaultdict(set)
    for registration_id, slot_id in Availability.objects.filter(slot__event=event).values_list(
        "registration_id", "slot_id"
    ):
        available[registration_id].add(slot_id)
    accepted = MeetingRequest.objects.filter(event=event, status=ACCEPTED).values_list(
        "from_registration_id", "to_registration_id", "priority"
    )
    priorities = {
        pair: priority
        for pair, priority in pair_priorities(accepted).items()
        if pair[0] in people and pair[1] in people
    }
    problem = matchmaking.Problem(
        slots=list(slots),
        tables={pk: slot.table_count for pk, slot in slots.items()},
        interpreters={pk: slot.interpreter_count for pk, slot in slots.items()},
        participants={
            pk: matchmaking.Participant(
                available=frozenset(available.get(pk, ())), languages=person.languages
            )
            for pk, person in people.items()
        },
        requests=[matchmaking.Request(a, b, priority) for (a, b), priority in priorities.items()],
        locked=[
            matchmaking.LockedMeeting(
                m.registration_a_id, m.registration_b_id, m.slot_id, m.table - 1
            )
            for m in locked
        ],
        previous={
            (m.registration_a_id, m.registration_b_id): (m.slot_id, m.table - 1)
            for m in meetings
            if not m.locked
        },
    )
    return _Loaded(event, problem, slots, people, meetings, priorities)


def _progress_writer(run_id: int):
    last = [0]

    def report(done: int, total: int) -> None:
        # 100 is written with the result; a bar at 100% must mean "done".
        value = min(99, done * 100 // max(total, 1))
        if value >= last[0] + PROGRESS_STEP:
            last[0] = value
            ScheduleRun.objects.filter(pk=run_id, status=ScheduleRun.Status.RUNNING).update(
                progress=value
            )

    return report


def _fail(run_id: int, message: str) -> None:
    ScheduleRun.objects.filter(pk=run_id, status__in=ScheduleRun.ACTIVE).update(
        status=ScheduleRun.Status.FAILED, finished_at=timezone.now(), error=message[:4000]
    )


def schedule_run_execute(*, run_id: int, time_limit: float = 4.0) -> ScheduleRun | None:
    """Compute the schedule of a queued run and write it; return the run.

    Idempotent: a finished run is left alone (a redelivered task does nothing). Locked
    meetings stay; the meetings of the last schedule keep their slot and table unless they
    no longer fit (with `run.pin_previous`). The result replaces the unlocked meetings in one
    transaction under the event lock, and each participant whose agenda changed gets it by
    e-mail in their language and time zone.
    """
    with transaction.atomic():
        run = (
            ScheduleRun.objects.select_for_update(of=("self",))
            .select_related("event")
            .filter(pk=run_id)
            .first()
        )
        if run is None or run.status not in ScheduleRun.ACTIVE:
            return run
        run.status = ScheduleRun.Status.RUNNING
        run.started_at = run.started_at or timezone.now()
        run.progress = 0
        run.save(update_fields=["status", "started_at", "progress"])
    try:
        loaded = load_schedule_problem(run.event)
        result = matchmaking.schedule(
            loaded.problem,
            _progress_writer(run.pk),
            time_limit=time_limit,
            pin_previous=run.pin_previous,
        )
    except Exception as error:  # noqa: BLE001 - any failure is shown on the run's page
        logger.exception("Schedule run %s failed", run_id)
        _fail(run.pk, f"{type(error).__name__}: {error}")
        run.refresh_from_db()
        return run
    try:
        with transaction.atomic():
            _write_result(run, loaded, result)
    except ValidationError as error:
        _fail(run.pk, " ".join(error.messages))
    except Exception as error:  # noqa: BLE001 - the old schedule stays; the page says why
        logger.exception("Schedule run %s could not be written", run_id)
        _fail(run.pk, f"{type(error).__name__}: {error}")
    run.refresh_from_db()
    return run


def _signature(meetings) -> set:
    return {
        (m.registration_a_id, m.registration_b_id, m.slot_id, m.table, m.interpreter)
        for m in meetings
        if m.locked
    }


def _write_result(run: ScheduleRun, loaded: _Loaded, result: matchmaking.ScheduleResult):
    event = _lock_event(run.event)
    run = ScheduleRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ScheduleRun.Status.RUNNING:
        return
    current = list(Meeting.objects.filter(event=event))
    if _signature(current) != _signature(loaded.meetings):
        raise ValidationError(_("Locked meetings changed while the schedule was computed."))
    locked = {(m.registration_a_id, m.registration_b_id): m for m in current if m.locked}
    before = {(m.registration_a_id, m.registration_b_id): m for m in loaded.meetings}
    interpreters_taken: dict[int, set[int]] = defaultdict(set)
    for m in locked.values():
        if m.interpreter:
            interpreters_taken[m.slot_id].add(m.interpreter)

    Meeting.objects.filter(event=event, locked=False).delete()
    new = []
    for pair, (slot_id, table) in sorted(
        result.assignments.items(), key=lambda item: (item[1], sorted(item[0]))
    ):
        a, b = sorted(pair)
        if (a, b) in locked:
            continue
        interpreter = None
        if pair in result.interpreters:
            slot = loaded.slots[slot_id]
            interpreter = _free_number(interpreters_taken[slot_id], slot.interpreter_count)
            interpreters_taken[slot_id].add(interpreter)
        new.append(
            Meeting(
                event=event,
                registration_a_id=a,
                registration_b_id=b,
                slot_id=slot_id,
                table=table + 1,
                interpreter=interpreter,
                schedule_run=run,
            )
        )
    Meeting.objects.bulk_create(new)
    after = {**{(m.registration_a_id, m.registration_b_id): m for m in new}, **locked}
    moved = sum(
        1
        for pair, old in before.items()
        if not old.locked
        and (
            pair not in after
            or (after[pair].slot_id, after[pair].table) != (old.slot_id, old.table)
        )
    )
    unscheduled = [
        {"a": min(pair), "b": max(pair), "reason": reason}
        for pair, reason in sorted(result.unscheduled.items(), key=lambda item: sorted(item[0]))
    ]
    first_run = not ScheduleRun.objects.filter(event=event, status=ScheduleRun.Status.DONE).exists()
    run.status = ScheduleRun.Status.DONE
    run.progress = 100
    run.finished_at = timezone.now()
    run.requests_count = len(loaded.priorities)
    run.scheduled_count = len(after)
    run.unscheduled_count = len(unscheduled)
    run.moved_count = moved
    run.total_weight = result.total_weight
    run.idle_gaps = result.idle_gaps
    run.unscheduled = unscheduled
    run.error = ""
    run.save()
    _send_agendas(run, loaded, before.values(), after.values(), first_run)


def _agenda_key(meetings, person: int) -> set:
    return {
        (m.slot_id, m.table, m.interpreter, m.registration_b_id)
        if m.registration_a_id == person
        else (m.slot_id, m.table, m.interpreter, m.registration_a_id)
        for m in meetings
        if m.involves(person)
    }


def _send_agendas(run, loaded: _Loaded, before, after, first_run: bool) -> None:
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
        email, language, zone = _recipient(person)
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
