"""Every write of events: publishing, changing, cancelling, completing and deleting an
event; registration, waitlist, cancellation. Check-in at the door is written by
`events.checkin_services`, the sessions and attendance of online programmes by
`events.online.services`, delegations by `events.delegations.services`.

Capacity and the waitlist are decided under a lock on the event row
(`select_for_update`), so two people taking the last place at once get one place and one
waitlist position, a freed place goes to waitlist position 1 exactly once, and whoever leaves
the waitlist moves those behind up: it stays numbered 1..n. Statuses move only through
`StatusFlow.move_to`; each change writes its audit record, and an e-mail's dedupe key names
the change by that record ("event_promoted:<registration>:<record>"), so a retried task
never sends it twice.
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import SPOKEN_LANGUAGES
from events import messages, policies
from events.models import Event, Registration
from incubator import times
from incubator.audit import audit_record, changed
from incubator.multilingual import LANGUAGES
from incubator.rows import row_delete

REGISTERED = Registration.Status.REGISTERED
WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED


# --- Helpers ------------------------------------------------------------------------


def lock_event(event: Event) -> Event:
    """Return `event` locked for the transaction: capacity, the waitlist and the schedule are
    decided under this lock."""
    return Event.objects.select_for_update().get(pk=event.pk)


def lock_registration(registration: Registration) -> Registration:
    """Return `registration` locked for the transaction, with its event."""
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=registration.pk)
    )


def _speaks(languages: Iterable[str]) -> dict[str, bool]:
    languages = set(languages)
    unknown = languages - set(SPOKEN_LANGUAGES)
    if unknown:
        raise ValidationError(
            _("Unknown language: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        )
    return {f"speaks_{code}": code in languages for code in SPOKEN_LANGUAGES}


def _refuse_closed(event: Event, *, at: dt.datetime, walk_in: bool = False) -> None:
    """Raise the reason why `event` takes no sign-up at `at`; walk-ins are added until it ends."""
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is cancelled."), code="cancelled")
    if event.status == Event.Status.COMPLETED or at >= event.ends_at:
        raise ValidationError(_("This event is over."), code="over")
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("This event is not open for registration."), code="draft")
    closes_at = event.ends_at if walk_in else event.registration_closes_at()
    if at >= closes_at:
        raise ValidationError(
            _("Registration closed on %(when)s.")
            % {"when": times.span(closes_at, None, event.time_zone)},
            code="closed",
        )


def _registered_count(event: Event) -> int:
    return event.registrations.filter(status=REGISTERED).count()


def _next_waitlist_position(event: Event) -> int:
    top = event.registrations.aggregate(top=Max("waitlist_position"))["top"]
    return (top or 0) + 1


def _close_waitlist_gaps(event: Event) -> None:
    """Number the event's waitlist 1..n again, in its order, after people left it.

    The caller holds the event's lock, under which every waitlist change is made. Two
    UPDATEs rather than one: PostgreSQL checks the unique (event, waitlist_position) row by
    row in no set order, so moving 3 to 2 before 2 moved to 1 would collide. The first lifts
    the positions clear of the numbers they take; the second sets each to its rank.
    """
    waiting = Registration.objects.filter(event=event, status=WAITLISTED)
    numbers = waiting.aggregate(top=Max("waitlist_position"), count=Count("pk"))
    top = numbers["top"]
    if top is None or top == numbers["count"]:  # n distinct positions from 1 up to n
        return
    waiting.update(waitlist_position=F("waitlist_position") + top)
    ahead = (
        waiting.filter(waitlist_position__lte=OuterRef("waitlist_position"))
        .order_by()
        .values("event")
        .annotate(rank=Count("pk"))
        .values("rank")
    )
    waiting.update(waitlist_position=Subquery(ahead))


def _has_place(event: Event) -> bool:
    return event.capacity is None or _registered_count(event) < event.capacity


def registration_audit(registration: Registration, verb: str, actor, **changes):
    """The audit record of a change to a registration: it names the event and the company."""
    return audit_record(
        actor=actor,
        verb=verb,
        obj=registration,
        company=registration.company_id,
        changes={"event": registration.event_id, **changes},
    )


def _fill_places(event: Event, actor=None) -> list[Registration]:
    """Promote the waitlist, position 1 first, into the free places; the event is locked."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - _registered_count(event)
        if free <= 0:
            return []
    waiting = (
        event.registrations.filter(status=WAITLISTED)
        .select_related("user")
        .order_by("waitlist_position")
    )
    if free is not None:
        waiting = waiting[:free]
    promoted = []
    for registration in waiting:
        registration.event = event
        position = registration.waitlist_position
        registration.move_to(REGISTERED)
        registration.waitlist_position = None
        registration.save(update_fields=["status", "waitlist_position"])
        record = registration_audit(
            registration,
            "registration.promote",
            actor,
            status=[WAITLISTED, REGISTERED],
            waitlist_position=[position, None],
        )
        messages.notify_registration(registration, "event_promoted", record)
        promoted.append(registration)
    if promoted:
        _close_waitlist_gaps(event)
    return promoted


def _place(event: Event, registration: Registration, actor, over_capacity=False) -> bool:
    """Give the (unsaved or cancelled) registration a place or a waitlist position; with
    `over_capacity`, a place even when the event is full. Return whether it went beyond."""
    _fill_places(event, actor)
    has_place = _has_place(event)
    status = REGISTERED if has_place or over_capacity else WAITLISTED
    if registration.pk is None:
        registration.status = status  # a new row starts in either
    else:
        registration.move_to(status)
    registration.waitlist_position = (
        _next_waitlist_position(event) if status == WAITLISTED else None
    )
    registration.cancelled_at = None
    registration.checked_in_at = None
    registration.checked_in_by = None
    return not has_place and status == REGISTERED


def _save_and_notify(registration: Registration, actor, **changes) -> Registration:
    again = registration.pk is not None
    registration.full_clean()
    registration.save()
    record = registration_audit(
        registration,
        "registration.create",
        actor,
        status=registration.status,
        waitlist_position=registration.waitlist_position,
        again=again,
        **changes,
    )
    kind = "event_registered" if registration.status == REGISTERED else "event_waitlisted"
    messages.notify_registration(registration, kind, record)
    return registration


# --- Registration ---------------------------------------------------------------------


def registration_kind_for(user) -> str | None:
    """Return the kind of registration `user` would make, or None if they cannot register."""
    if getattr(user, "is_authenticated", False) is False:
        return None
    if hasattr(user, "partner_person"):
        return Registration.Kind.PARTNER
    if hasattr(user, "membership"):
        return Registration.Kind.STARTUP
    return None


def registration_create(
    *, event: Event, user, languages: Iterable[str] | None = None, actor=None
) -> Registration:
    """Register a startup member for their company or a partner person for their organisation.

    A partner's languages come from their partner record; a startup member says which
    languages they speak (`languages`: codes "ko", "zh", "en"). When the event is full the
    person is waitlisted. Someone who cancelled earlier gets their old row (and badge) back.
    `actor` is who registers them: the person themselves unless staff, or the API key of the
    person's partner organisation, say otherwise.
    """
    actor = actor or user
    if not policies.can_register(actor, user):
        raise PermissionDenied
    kind = registration_kind_for(user)
    if kind is None:
        raise ValidationError(
            _("Only members of a startup and people of partner organisations can register."),
            code="no_registrant",
        )
    fields = {"kind": kind, "name": user.get_full_name(), "company": None}
    fields["partner_organisation"] = None
    if kind == Registration.Kind.PARTNER:
        person = user.partner_person
        fields["partner_organisation"] = person.organisation
        fields["affiliation"] = person.organisation.name
        fields.update(_speaks(person.languages))
    else:
        company = user.membership.company
        fields["company"] = company
        fields["affiliation"] = company.name
        # A Korean startup's member speaks Korean unless they say otherwise.
        languages = {"ko"} if languages is None else set(languages)
        if not languages:
            raise ValidationError(_("Tick at least one language you speak."), code="languages")
        fields.update(_speaks(languages))
    with transaction.atomic():
        event = lock_event(event)
        _refuse_closed(event, at=timezone.now())
        registration = (
            Registration.objects.select_for_update().filter(event=event, user=user).first()
        )
        if registration is not None and registration.status in (REGISTERED, WAITLISTED):
            raise ValidationError(_already(registration, yourself=actor == user), code="twice")
        if registration is None:
            registration = Registration(event=event, user=user)
        for name, value in fields.items():
            setattr(registration, name, value)
        registration.event = event
        _place(event, registration, actor)
        return _save_and_notify(registration, actor)


def _already(registration: Registration, *, yourself: bool) -> str:
    # "You" only to the person themselves: staff or an API key registering a colleague
    # would read that they are registered.
    waitlisted = {"n": registration.waitlist_position, "name": registration.name}
    if yourself:
        if registration.status == WAITLISTED:
            return _("You are on the waitlist of this event already (position %(n)s).") % waitlisted
        return _("You are registered for this event already.")
    if registration.status == WAITLISTED:
        return _("%(name)s is on the waitlist of this event already (position %(n)s).") % waitlisted
    return _("%(name)s is already registered for this event.") % waitlisted


def registration_refusal(*, event: Event, user=None, email: str = "") -> str | None:
    """Return why staff cannot register this account (or guest e-mail) now, or None.

    The admin asks before saving, so that its form shows the reason; the services check
    the same again under the lock.
    """
    try:
        _refuse_closed(event, at=timezone.now(), walk_in=user is None)
    except ValidationError as error:
        return error.messages[0]
    if user is not None:
        if registration_kind_for(user) is None:
            return _("This account belongs to no startup and no partner organisation.")
        existing = Registration.objects.filter(event=event, user=user).first()
    else:
        existing = Registration.objects.filter(
            event=event, user__isnull=True, guest_email__iexact=email.strip()
        ).first()
    if existing is not None and existing.status != CANCELLED:
        return _("This person is already registered for the event (%(status)s).") % {
            "status": existing.get_status_display()
        }
    return None


def registration_create_guest(
    *,
    event: Event,
    name: str,
    email: str,
    actor,
    affiliation: str = "",
    languages: Iterable[str] = (),
    notes: str = "",
    over_capacity: bool = False,
) -> Registration:
    """Register a guest without an account (staff only), until the event ends.

    Capacity and the waitlist apply as for everyone, unless staff at the door give a full
    event's walk-in a place `over_capacity` (the audit record says so); a cancelled guest
    comes back on their old row.
    """
    if not policies.can_add_guest(actor, event):
        raise PermissionDenied
    email = email.strip()
    with transaction.atomic():
        event = lock_event(event)
        refusal = registration_refusal(event=event, email=email)
        if refusal:
            raise ValidationError(refusal)
        registration = (
            Registration.objects.select_for_update()
            .filter(event=event, user__isnull=True, guest_email__iexact=email)
            .first()
        ) or Registration(event=event, kind=Registration.Kind.GUEST, guest_email=email)
        registration.event = event
        registration.name = name
        registration.affiliation = affiliation
        if notes:
            registration.notes = notes
        for field, value in _speaks(languages).items():
            setattr(registration, field, value)
        if _place(event, registration, actor, over_capacity=over_capacity):
            return _save_and_notify(registration, actor, over_capacity=True)
        return _save_and_notify(registration, actor)


REGISTRATION_DETAILS = ("name", "affiliation", "speaks_ko", "speaks_zh", "speaks_en", "notes")


def registration_update(*, registration: Registration, actor, data: dict) -> Registration:
    """Change what staff may correct on a registration: the name on the badge, the
    affiliation, the languages and the notes (the status has its own services)."""
    if not policies.may_handle_registration(actor, registration):
        raise PermissionDenied
    unknown = set(data) - set(REGISTRATION_DETAILS)
    if unknown:
        raise ValidationError(_("These fields change through their own services."))
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        before = {name: getattr(registration, name) for name in data}
        for name, value in data.items():
            setattr(registration, name, value)
        registration.full_clean()
        changes = changed(registration, data, before)
        if changes:
            registration.save(update_fields=list(changes))
            registration_audit(registration, "registration.update", actor, **changes)
    return registration


def registration_cancel(*, registration: Registration, actor) -> Registration:
    """Cancel a registration or a waitlist place; a freed place goes to the waitlist's first,
    and those behind move up.

    `actor` is the registrant or a staff member who handles registrations.
    """
    with transaction.atomic():
        event = lock_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.event = event
        if not policies.may_handle_registration(actor, registration):
            raise PermissionDenied
        if registration.status == CANCELLED:
            raise ValidationError(_("This registration is cancelled already."), code="cancelled")
        if registration.is_checked_in:
            raise ValidationError(
                _("%(name)s is checked in already; the registration cannot be cancelled.")
                % {"name": registration.name},
                code="checked_in",
            )
        refused = policies.registration_cancel_refused_because(registration)
        if refused:
            code = "event_cancelled" if event.status == Event.Status.CANCELLED else "over"
            raise ValidationError(refused, code=code)
        was = registration.status
        registration.move_to(CANCELLED)
        registration.waitlist_position = None
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "waitlist_position", "cancelled_at"])
        record = registration_audit(
            registration, "registration.cancel", actor, status=[was, CANCELLED]
        )
        # "You may register again" only while one may (and, says the e-mail, not a guest).
        messages.notify_registration(
            registration,
            "registration_cancelled",
            record,
            registration_closed=not event.is_registration_open(),
        )
        if was == REGISTERED and event.is_matching_session:
            # Imported here: the matching services import this module (lock_event).
            from events.matching.services import (
                meeting_requests_close_of_cancelled,
                meetings_remove_of_cancelled,
            )

            # Requests first: who had a meeting on the schedule is told of that one instead.
            meeting_requests_close_of_cancelled(registration=registration, actor=actor)
            meetings_remove_of_cancelled(registration=registration, actor=actor)
        if was == REGISTERED and event.status == Event.Status.PUBLISHED:
            _fill_places(event, actor)
        elif was == WAITLISTED:
            _close_waitlist_gaps(event)
    return registration


def event_fill_places(*, event: Event, actor=None) -> list[Registration]:
    """Promote the waitlist into free places (after staff raise the capacity); return them."""
    if not policies.can_manage_event(actor, event):
        raise PermissionDenied
    with transaction.atomic():
        event = lock_event(event)
        if event.status != Event.Status.PUBLISHED:
            return []
        return _fill_places(event, actor)


# --- Events: create, change, publish, cancel, complete ----------------------------------

# A change of these may tell the registrants of a published event (`messages.tell_changed`).
TELLING_FIELDS = messages.CHANGE_FIELDS


def _refuse_unless_manager(actor, event=None) -> None:
    if not policies.can_manage_event(actor, event):
        raise PermissionDenied


def event_create(*, actor, data: dict) -> Event:
    """Create a draft event from `data` (field -> value)."""
    _refuse_unless_manager(actor)
    data = {name: value for name, value in data.items() if name != "status"}
    with transaction.atomic():
        event = Event(**data, status=Event.Status.DRAFT, created_by=actor)
        event.full_clean()
        event.save()
        audit_record(actor=actor, verb="event.create", obj=event, changes={"kind": event.kind})
    return event


def event_update(*, event: Event, actor, data: dict) -> Event:
    """Change an event's fields (not its status: that has its own services).

    A raised capacity gives its new places to the waitlist (`event.promoted`); a published
    event whose time or venue changed tells by e-mail those registrants who read the change
    (`event.told`: how many), and whose public fields changed tells the registered partner
    organisations' systems by webhook.
    """
    _refuse_unless_manager(actor, event)
    if "status" in data:
        raise ValidationError(_("The status changes by publishing, cancelling or completing."))
    with transaction.atomic():
        event = lock_event(event)
        before = {name: getattr(event, name) for name in data}
        for name, value in data.items():
            setattr(event, name, value)
        event.full_clean()
        changes = changed(event, data, before)
        if not changes:
            return event
        event.save(update_fields=[*changes, "updated_at"])
        record = audit_record(actor=actor, verb="event.update", obj=event, changes=changes)
        if event.status == Event.Status.PUBLISHED:
            if "capacity" in changes:
                event.promoted = _fill_places(event, actor)
            if set(changes) & set(TELLING_FIELDS):
                # Each is told what changed of what they read: the time, or the venue in
                # their language; the count is for the page that saved the change to say.
                event.told = messages.tell_changed(event, before, record)
            messages.webhook_event_changed(event, record, changes)
    return event


def _event_move(event: Event, status: str, actor, verb: str, **changes):
    """Lock `event`, move it to `status` through its guard, save and audit; return both."""
    _refuse_unless_manager(actor, event)
    event = lock_event(event)
    was = event.status
    event.move_to(status)
    if status == Event.Status.PUBLISHED:
        event.full_clean()  # a published event needs a place: say so on the form
    event.save(update_fields=["status", "updated_at"])
    record = audit_record(
        actor=actor, verb=verb, obj=event, changes={"status": [was, status], **changes}
    )
    return event, record


def event_publish(*, event: Event, actor) -> Event:
    """Publish a draft: it shows in the portal and takes registrations."""
    with transaction.atomic():
        event, _record = _event_move(event, Event.Status.PUBLISHED, actor, "event.publish")
    return event


def event_cancel(*, event: Event, actor, reason: str | Mapping[str, str]) -> Event:
    """Cancel an event; every registered and waitlisted person is told by e-mail, with the
    reason, in their language, and their partner organisations' systems by webhook.

    `reason` is one text for every reader, or a text per language ({"ko": ..., "zh": ...,
    "en": ...}, at least one), each reader's taken with the fallback of the event's texts.
    """
    if isinstance(reason, str):
        reason = (reason or "").strip()
        recorded = reason
        reasons = dict.fromkeys(LANGUAGES, reason)
    else:
        reasons = {code: (reason.get(code) or "").strip() for code in LANGUAGES}
        recorded = {code: text for code, text in reasons.items() if text}
    if not any(reasons.values()):
        raise ValidationError({"reason": _("Write why the event is cancelled.")})
    with transaction.atomic():
        event, record = _event_move(
            event, Event.Status.CANCELLED, actor, "event.cancel", reason=recorded
        )
        messages.tell_cancelled(event, record, reasons)
        # Partners' systems read the English text (webhooks are written in English).
        messages.webhook_event_cancelled(event, record, messages.reason_in(reasons, "en"))
    return event


def event_complete(*, event: Event, actor) -> Event:
    """Mark a published event that has started as completed (it took place)."""
    with transaction.atomic():
        event, _record = _event_move(event, Event.Status.COMPLETED, actor, "event.complete")
    return event


def event_delete(*, event: Event, actor) -> None:
    """Delete an event with its slots, sessions and rounds, when nobody is to be told and no
    record is lost (`policies.event_kept_because`); otherwise it is cancelled or kept."""
    with transaction.atomic():
        event = lock_event(event)
        if not policies.staff_with(actor, "events.delete_event"):
            raise PermissionDenied
        kept_because = policies.event_kept_because(event)
        if kept_because:
            raise ValidationError(kept_because, code="kept")
        row_delete(event, actor=actor, verb="event")


def events_complete_ended(*, at: dt.datetime | None = None) -> int:
    """Mark the published events that ended before `at` as completed; return how many."""
    at = at or timezone.now()
    ended = Event.objects.filter(
        status__in=Event.statuses_leading_to(Event.Status.COMPLETED), ends_at__lte=at
    )
    done = 0
    for event in ended:
        try:
            event_complete(event=event, actor=None)
        except ValidationError:  # cancelled meanwhile: the guard refuses, the others go on
            continue
        done += 1
    return done
