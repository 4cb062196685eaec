"""1:1 meetings of matching sessions: availability, requests and staff edits.

Writes that touch the schedule (staff edits here, a run's result in `runs.py`) hold a lock
on the event row, so a person is never put in two meetings of one slot by two writers at
once. While a run is computing, staff edits are refused: the run would overwrite them.

Pairs and priorities: each accepted request is a wish to meet. A pair's priority for the
scheduler is "mutual must" when both asked each other with "must", "must" when one did,
else "would like". Asking someone who has already asked you accepts their request.
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import SPOKEN_LANGUAGES
from events.matching import messages, policies
from events.matching.models import Availability, Meeting, MeetingRequest, MeetingSlot
from events.matching.policies import can_meet
from events.matching.runs import free_number, refuse_unless_open, refuse_while_running
from events.models import Event, Registration
from events.services import lock_event, lock_registration
from incubator import times
from incubator.audit import audit_record
from incubator.rows import row_delete, row_save

REGISTERED = Registration.Status.REGISTERED
PENDING = MeetingRequest.Status.PENDING
ACCEPTED = MeetingRequest.Status.ACCEPTED
DECLINED = MeetingRequest.Status.DECLINED


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
        registration = lock_registration(registration)
        event = registration.event
        if not policies.can_set_availability(actor, registration):
            raise PermissionDenied
        refuse_unless_open(event)
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
        audit_record(
            actor=actor or registration.user,
            verb="availability.set",
            obj=registration,
            company=registration.company_id,
            changes={"slots": sorted(wanted), "languages": sorted(registration.languages)},
        )
    return registration


def meeting_request_create(
    *,
    from_registration: Registration,
    to_registration: Registration,
    priority: str = MeetingRequest.Priority.WOULD_LIKE,
    message: str = "",
    actor=None,
) -> MeetingRequest:
    """Ask another participant of the same matching session for a 1:1 meeting.

    `actor` is who asks: the sender (by default), or their partner organisation's API key.
    """
    if priority not in MeetingRequest.Priority.values:
        raise ValidationError(_("Choose how much you want this meeting."))
    if from_registration.pk == to_registration.pk:
        raise ValidationError(_("You cannot request a meeting with yourself."))
    with transaction.atomic():
        event = lock_event(from_registration.event)
        refuse_unless_open(event)
        people = {
            r.pk: r
            for r in Registration.objects.select_related("company", "event", "user").filter(
                pk__in=[from_registration.pk, to_registration.pk]
            )
        }
        sender, recipient = people[from_registration.pk], people.get(to_registration.pk)
        actor = actor or sender.user
        if not policies.can_request_meeting(actor, sender):
            raise PermissionDenied
        if sender.status != REGISTERED:
            if actor == sender.user:
                refusal = _("You are not registered for this event.")
            else:
                refusal = _("%(name)s is not registered for this event.") % {"name": sender.name}
            raise ValidationError(refusal, code="not_registered")
        if recipient is None or recipient.event_id != event.pk or recipient.status != REGISTERED:
            # Say nothing of a person the sender cannot see among the participants.
            raise ValidationError(_("This person is not registered for this event."))
        if event.meeting_requests_deadline and timezone.now() >= event.meeting_requests_deadline:
            raise ValidationError(
                _("Meeting requests closed on %(when)s.")
                % {"when": times.span(event.meeting_requests_deadline, None, event.time_zone)},
                code="closed",
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
                _asked_twice(sender, recipient, actor),
                code="twice",
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
                _asked_twice(sender, recipient, actor),
                code="twice",
            ) from None
        audit_record(
            actor=actor,
            verb="meeting_request.create",
            obj=request,
            company=sender.company_id or recipient.company_id,
            changes={"to": recipient.pk, "priority": priority, "status": request.status},
        )
        if reverse_request is not None and reverse_request.status == PENDING:
            reverse_request.status = ACCEPTED
            reverse_request.responded_at = now
            reverse_request.save(update_fields=["status", "responded_at"])
            messages.notify_request(reverse_request, "meeting_request_answered", recipient, sender)
        elif reverse_request is None:
            messages.notify_request(request, "meeting_request_received", recipient, sender)
    return request


def _asked_twice(sender: Registration, recipient: Registration, actor) -> str:
    # "You" only to the sender themselves: their organisation's API key asks for a colleague.
    names = {"name": recipient.name, "sender": sender.name}
    if actor == sender.user:
        return _("You have already asked %(name)s for a meeting.") % names
    return _("%(sender)s has already asked %(name)s for a meeting.") % names


def meeting_request_respond(*, request: MeetingRequest, actor, accept: bool) -> MeetingRequest:
    """Accept or decline a request: `actor` is its recipient, or the recipient's partner
    organisation's API key. The sender is told by e-mail."""
    with transaction.atomic():
        request = (
            MeetingRequest.objects.select_for_update(of=("self",))
            .select_related("event", "from_registration", "to_registration")
            .get(pk=request.pk)
        )
        if not policies.can_answer_request(actor, request):
            raise PermissionDenied(_("This request was not sent to you."))
        refuse_unless_open(request.event)
        if request.status != PENDING:
            raise ValidationError(
                _("You answered this request already (%(status)s).")
                % {"status": request.get_status_display()},
                code="answered",
            )
        request.status = ACCEPTED if accept else DECLINED
        request.responded_at = timezone.now()
        request.save(update_fields=["status", "responded_at"])
        audit_record(
            actor=actor,
            verb="meeting_request.answer",
            obj=request,
            company=request.from_registration.company_id or request.to_registration.company_id,
            changes={"status": [PENDING, request.status]},
        )
        sender = request.from_registration
        sender.event = request.event
        messages.notify_request(
            request, "meeting_request_answered", sender, request.to_registration
        )
    return request


def meeting_request_withdraw(*, request: MeetingRequest, actor) -> None:
    """Withdraw a meeting request before the two are scheduled to meet; tell the recipient.

    `actor` is the sender or their partner organisation's API key. The request is deleted
    (its audit record stays), so the sender may ask again. Withdrawing says the sender no
    longer wants the meeting: a request the other sent them, which stood accepted, waits
    for their answer again, and the scheduler no longer pairs the two.
    """
    with transaction.atomic():
        event = lock_event(request.event)
        request = (
            MeetingRequest.objects.select_for_update(of=("self",))
            .select_related("from_registration__user", "to_registration__user")
            .filter(pk=request.pk)
            .first()
        )
        if request is None:
            raise ValidationError(
                _("This meeting request was withdrawn already."), code="withdrawn"
            )
        sender, recipient = request.from_registration, request.to_registration
        if not policies.can_withdraw_request(actor, request):
            raise PermissionDenied
        refuse_unless_open(event)
        refuse_while_running(event)
        a, b = sorted((sender.pk, recipient.pk))
        if Meeting.objects.filter(event=event, registration_a_id=a, registration_b_id=b).exists():
            raise ValidationError(
                _(
                    "The meeting with %(name)s is scheduled already: ask the center to take it "
                    "off the schedule."
                )
                % {"name": recipient.name},
                code="scheduled",
            )
        answered = (
            MeetingRequest.objects.select_for_update()
            .filter(from_registration=recipient, to_registration=sender, status=ACCEPTED)
            .first()
        )
        if answered is not None:
            answered.status = PENDING
            answered.responded_at = None
            answered.save(update_fields=["status", "responded_at"])
        _withdraw(
            request, event, actor, tell=True, answer_taken_back=answered.pk if answered else None
        )


def _withdraw(request: MeetingRequest, event: Event, actor, *, tell: bool, reason="", **changes):
    """Delete `request` with its audit record; tell its recipient when `tell`."""
    sender, recipient = request.from_registration, request.to_registration
    if reason:
        changes["reason"] = reason
    audit_record(
        actor=actor,
        verb="meeting_request.withdraw",
        obj=request,
        company=sender.company_id or recipient.company_id,
        changes={"to": recipient.pk, "status": request.status, **changes},
    )
    if tell:
        recipient.event = event
        messages.notify_request(
            request, "meeting_request_withdrawn", recipient, sender, reason=reason
        )
    request.delete()


def meeting_requests_close_of_cancelled(*, registration: Registration, actor) -> int:
    """Close the pending and accepted requests of a registration being cancelled: withdraw
    those it sent (deleted, as its own withdrawal would, so it may ask again if it registers
    again), decline those sent to it; tell each counterpart once. Return how many.

    A counterpart whose meeting with it is on the schedule is told that the meeting is off by
    `meetings_remove_of_cancelled`, not here: call this one first. Called by
    `events.services.registration_cancel` in its transaction, which holds the event lock and
    asked who may cancel; like a withdrawal's, each change has its audit record.
    """
    event = lock_event(registration.event)
    mine = Q(from_registration=registration) | Q(to_registration=registration)
    standing = list(
        MeetingRequest.objects.select_for_update(of=("self",))
        .filter(mine, event=event, status__in=[PENDING, ACCEPTED])
        .select_related("from_registration__user", "to_registration__user")
        .order_by("pk")
    )
    scheduled = Meeting.objects.filter(
        Q(registration_a=registration) | Q(registration_b=registration), event=event
    ).values_list("registration_a_id", "registration_b_id")
    told = {pk for pair in scheduled for pk in pair} - {registration.pk}
    reason = "registration_cancelled"
    now = timezone.now()
    for request in standing:
        sent = request.from_registration_id == registration.pk
        other = request.to_registration if sent else request.from_registration
        # One e-mail per counterpart, also when the two had asked each other.
        tell = other.pk not in told and other.status == REGISTERED
        told.add(other.pk)
        if sent:
            _withdraw(request, event, actor, tell=tell, reason=reason)
            continue
        was = request.status
        request.status = DECLINED
        request.responded_at = now
        request.save(update_fields=["status", "responded_at"])
        audit_record(
            actor=actor,
            verb="meeting_request.answer",
            obj=request,
            company=other.company_id or registration.company_id,
            changes={"status": [was, DECLINED], "reason": reason},
        )
        if tell:
            other.event = event
            messages.notify_request(
                request, "meeting_request_withdrawn", other, registration, reason=reason
            )
    return len(standing)


# --- Staff: slots ---------------------------------------------------------------------------


@contextmanager
def _slots_of(event: Event, actor):
    if not policies.can_manage_slots(actor, event):
        raise PermissionDenied
    with transaction.atomic():
        refuse_while_running(lock_event(event))
        yield


def meeting_slot_save(*, slot: MeetingSlot, actor) -> MeetingSlot:
    """Add or change a meeting slot, unless a schedule is being computed for its event."""
    with _slots_of(slot.event, actor):
        return row_save(slot, actor=actor, verb="meeting_slot")


def meeting_slot_delete(*, slot: MeetingSlot, actor) -> None:
    """Delete a slot that holds no meeting; the availability given for it goes with it."""
    with _slots_of(slot.event, actor):
        row_delete(slot, actor=actor, verb="meeting_slot")


# --- Staff: meetings by hand --------------------------------------------------------------


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
    if not policies.can_schedule(actor, event):
        raise PermissionDenied
    if registration_a.pk == registration_b.pk:
        raise ValidationError(_("A meeting is between two different people."))
    with transaction.atomic():
        event = lock_event(event)
        refuse_unless_open(event)
        refuse_while_running(event)
        slot = MeetingSlot.objects.filter(pk=slot.pk, event=event).first()
        if slot is None:
            raise ValidationError(_("This time slot is not part of the event."))
        slot.event = event
        people = list(
            Registration.objects.filter(
                pk__in=[registration_a.pk, registration_b.pk], event=event, status=REGISTERED
            )
            .select_related("company", "partner_organisation", "user")
            .order_by("pk")
        )
        if len(people) != 2:
            raise ValidationError(_("Both people must be registered for this event."))
        a, b = people
        a.event = b.event = event
        # Either direction: a startup may ask any partner, even when it is not shown to them.
        if not (can_meet(a, b) or can_meet(b, a)):
            raise ValidationError(
                _("%(a)s and %(b)s cannot meet here: startups meet partners.")
                % {"a": a.name, "b": b.name}
            )
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
            table = free_number(tables_taken, slot.table_count)
            if table is None:
                raise ValidationError(_("Every table is taken in this slot."))
        elif not 1 <= table <= slot.table_count or table in tables_taken:
            raise ValidationError(_("Table %(table)s is not free in this slot.") % {"table": table})
        interpreters_taken = {m.interpreter for m in in_slot if m.interpreter}
        if interpreter is None and not (a.languages & b.languages):
            interpreter = free_number(interpreters_taken, slot.interpreter_count)
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
        # Allowed, with a warning: a coordinator places a meeting by hand to override the
        # form (a participant phoned to say they can come after all), and refusing would
        # make them edit the person's availability in their name first.
        free = set(
            Availability.objects.filter(slot=slot, registration__in=people).values_list(
                "registration_id", flat=True
            )
        )
        meeting.unavailable = [person for person in people if person.pk not in free]
        _audit_meeting(
            meeting,
            "meeting.add",
            actor,
            slot=slot.pk,
            table=table,
            locked=locked,
            unavailable=[person.pk for person in meeting.unavailable],
        )
        messages.webhook_meeting_confirmed(
            event, meeting, slot, {a.pk: a, b.pk: b}, key=f"meeting-{meeting.pk}"
        )
        messages.notify_meeting(meeting, "meeting_added", a, b, slot)
        messages.notify_meeting(meeting, "meeting_added", b, a, slot)
    return meeting


def meeting_lock(*, meeting: Meeting, locked: bool, actor) -> Meeting:
    """Lock a meeting (the next run keeps it where it is) or unlock it."""
    if not policies.can_schedule(actor, meeting.event):
        raise PermissionDenied
    with transaction.atomic():
        event = lock_event(meeting.event)
        refuse_unless_open(event)
        refuse_while_running(event)
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.locked != locked:
            meeting.locked = locked
            meeting.save(update_fields=["locked", "updated_at"])
            _audit_meeting(meeting, "meeting.lock", actor, locked=[not locked, locked])
    return meeting


def _meetings_with_people(**filters):
    return Meeting.objects.filter(**filters).select_related(
        "slot",
        "registration_a__company",
        "registration_a__partner_organisation",
        "registration_a__user",
        "registration_b__company",
        "registration_b__partner_organisation",
        "registration_b__user",
    )


def _take_off(meeting: Meeting, event: Event, actor, reason: str, tell: list) -> None:
    """Delete `meeting` with its audit record; e-mail the people of `tell` (registrations)."""
    _audit_meeting(
        meeting,
        "meeting.remove",
        actor,
        pair=[meeting.registration_a_id, meeting.registration_b_id],
        slot=meeting.slot_id,
        table=meeting.table,
        reason=reason,
    )
    meeting.slot.event = event
    for person in tell:
        other = (
            meeting.registration_b
            if person.pk == meeting.registration_a_id
            else meeting.registration_a
        )
        person.event = other.event = event
        if person.status == REGISTERED:
            messages.notify_meeting(
                meeting, "meeting_cancelled", person, other, meeting.slot, reason=reason
            )
    meeting.delete()


def meeting_remove(*, meeting: Meeting, actor) -> None:
    """Remove a meeting from the schedule (an accepted request comes back at the next run);
    tell both people."""
    if not policies.can_schedule(actor, meeting.event):
        raise PermissionDenied
    with transaction.atomic():
        event = lock_event(meeting.event)
        refuse_unless_open(event)
        refuse_while_running(event)
        meeting = _meetings_with_people(pk=meeting.pk).first()
        if meeting is None:
            return
        people = [meeting.registration_a, meeting.registration_b]
        _take_off(meeting, event, actor, "staff", tell=people)


def meetings_remove_of_cancelled(*, registration: Registration, actor) -> int:
    """Take the meetings of a registration being cancelled off the schedule and tell each
    counterpart; return how many.

    Called by `events.services.registration_cancel` in its transaction, which holds the
    event lock and asked who may cancel. Not refused while a run computes: a person may
    always cancel, and the run's result leaves out who is no longer registered.
    """
    event = lock_event(registration.event)
    meetings = list(
        _meetings_with_people(event=event)
        .filter(Q(registration_a=registration) | Q(registration_b=registration))
        .order_by("pk")
    )
    for meeting in meetings:
        other = (
            meeting.registration_b
            if meeting.registration_a_id == registration.pk
            else meeting.registration_a
        )
        _take_off(meeting, event, actor, "registration_cancelled", tell=[other])
    return len(meetings)


def _audit_meeting(meeting: Meeting, verb: str, actor, **changes) -> None:
    audit_record(
        actor=actor, verb=verb, obj=meeting, changes={"event": meeting.event_id, **changes}
    )
