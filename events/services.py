"""Every write of events: registration, waitlist, cancellation, check-in, attendance.

Capacity and the waitlist are decided under a lock on the event row
(`select_for_update`), so two people taking the last place at once get one place and one
waitlist position, and a freed place goes to waitlist position 1 exactly once.
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from companies.models import SPOKEN_LANGUAGES
from events import times
from events.models import Event, OnlineSession, Registration, SessionAttendance
from incubator.services import outbox_enqueue

REGISTERED = Registration.Status.REGISTERED
WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED


# --- Helpers ------------------------------------------------------------------------


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


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


def _has_place(event: Event) -> bool:
    return event.capacity is None or _registered_count(event) < event.capacity


def _recipient(registration: Registration) -> tuple[str, str, str]:
    """Return (e-mail, language, time zone) of the registrant."""
    user = registration.user
    if user is not None:
        return user.email, user.language, user.time_zone
    return registration.guest_email, settings.LANGUAGE_CODE, registration.event.time_zone


def _notify(registration: Registration, kind: str) -> None:
    """Write the e-mail `kind` ("event_registered"...) of the registration into the outbox."""
    event = registration.event
    email, language, zone = _recipient(registration)
    with translation.override(language):
        payload = {
            "name": registration.name,
            "event": event.title,
            "when": times.when(
                event.starts_at, event.ends_at, event_zone=event.time_zone, viewer_zone=zone
            ),
            "place": event.venue or event.online_url,
            "badge_code": registration.badge_code,
            "waitlist_position": registration.waitlist_position,
            "guest": registration.user_id is None,
            "path": reverse("events:event-detail", args=[event.pk]),
        }
    # One message per change: registering again after cancelling is another occurrence.
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    outbox_enqueue(
        recipient=email,
        kind=kind,
        dedupe_key=f"{kind}:{registration.pk}:{stamp}",
        payload=payload,
        language=language,
    )


def _fill_places(event: Event) -> list[Registration]:
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
        registration.status = REGISTERED
        registration.waitlist_position = None
        registration.save(update_fields=["status", "waitlist_position"])
        _notify(registration, "event_promoted")
        promoted.append(registration)
    return promoted


def _place(event: Event, registration: Registration) -> None:
    """Give the (unsaved or cancelled) registration a place or a waitlist position."""
    _fill_places(event)
    if _has_place(event):
        registration.status = REGISTERED
        registration.waitlist_position = None
    else:
        registration.status = WAITLISTED
        registration.waitlist_position = _next_waitlist_position(event)
    registration.cancelled_at = None
    registration.checked_in_at = None
    registration.checked_in_by = None


def _save_and_notify(registration: Registration) -> Registration:
    registration.full_clean()
    registration.save()
    kind = "event_registered" if registration.status == REGISTERED else "event_waitlisted"
    _notify(registration, kind)
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
    *, event: Event, user, languages: Iterable[str] | None = None
) -> Registration:
    """Register a startup member for their company or a partner person for their organisation.

    A partner's languages come from their partner record; a startup member says which
    languages they speak (`languages`: codes "ko", "zh", "en"). When the event is full the
    person is waitlisted. Someone who cancelled earlier gets their old row (and badge) back.
    """
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
        event = _lock_event(event)
        _refuse_closed(event, at=timezone.now())
        registration = (
            Registration.objects.select_for_update().filter(event=event, user=user).first()
        )
        if registration is not None and registration.status == REGISTERED:
            raise ValidationError(_("You are registered for this event already."), code="twice")
        if registration is not None and registration.status == WAITLISTED:
            raise ValidationError(
                _("You are on the waitlist of this event already (position %(n)s).")
                % {"n": registration.waitlist_position},
                code="twice",
            )
        if registration is None:
            registration = Registration(event=event, user=user)
        for name, value in fields.items():
            setattr(registration, name, value)
        registration.event = event
        _place(event, registration)
        return _save_and_notify(registration)


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
) -> Registration:
    """Register a guest without an account (staff only), until the event ends.

    Capacity and the waitlist apply as for everyone; a cancelled guest comes back on
    their old row.
    """
    email = email.strip()
    with transaction.atomic():
        event = _lock_event(event)
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
        _place(event, registration)
        return _save_and_notify(registration)


def registration_cancel(*, registration: Registration, actor) -> Registration:
    """Cancel a registration or a waitlist place; a freed place goes to the waitlist's first.

    `actor` is the registrant or a staff member (the caller checks who may).
    """
    with transaction.atomic():
        event = _lock_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.event = event
        if registration.status == CANCELLED:
            raise ValidationError(_("This registration is cancelled already."), code="cancelled")
        if registration.is_checked_in:
            raise ValidationError(
                _("%(name)s is checked in already; the registration cannot be cancelled.")
                % {"name": registration.name},
                code="checked_in",
            )
        if timezone.now() >= event.ends_at:
            raise ValidationError(_("This event is over."), code="over")
        was_registered = registration.status == REGISTERED
        registration.status = CANCELLED
        registration.waitlist_position = None
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "waitlist_position", "cancelled_at"])
        _notify(registration, "registration_cancelled")
        if was_registered and event.status == Event.Status.PUBLISHED:
            _fill_places(event)
    return registration


def event_fill_places(*, event: Event) -> list[Registration]:
    """Promote the waitlist into free places (after staff raise the capacity); return them."""
    with transaction.atomic():
        event = _lock_event(event)
        if event.status != Event.Status.PUBLISHED:
            return []
        return _fill_places(event)


def events_complete_ended(*, at: dt.datetime | None = None) -> int:
    """Mark the published events that ended before `at` as completed; return how many."""
    at = at or timezone.now()
    return Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__lte=at).update(
        status=Event.Status.COMPLETED, updated_at=at
    )


# --- Check-in -------------------------------------------------------------------------


def registration_check_in(*, registration: Registration, actor) -> tuple[Registration, bool]:
    """Check a registered person in at the door; return (registration, newly checked in).

    Idempotent: checking in twice keeps the first time and says so (False).
    """
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=registration.pk)
        )
        event = registration.event
        if registration.is_checked_in:
            return registration, False
        if event.status == Event.Status.CANCELLED:
            raise ValidationError(_("This event is cancelled."), code="cancelled")
        if registration.status == CANCELLED:
            raise ValidationError(
                _("%(name)s cancelled their registration; they cannot be checked in.")
                % {"name": registration.name},
                code="cancelled",
            )
        if registration.status == WAITLISTED:
            raise ValidationError(
                _(
                    "%(name)s is on the waitlist (position %(n)s), not registered; "
                    "they cannot be checked in."
                )
                % {"name": registration.name, "n": registration.waitlist_position},
                code="waitlisted",
            )
        registration.checked_in_at = timezone.now()
        registration.checked_in_by = actor
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
    return registration, True


# --- Online programmes ------------------------------------------------------------------


def session_attendance_set(
    *, session: OnlineSession, registration_ids: Iterable[int], actor
) -> tuple[int, int]:
    """Record who attended an online session: exactly `registration_ids`; return (added, removed).

    Only people registered for the session's programme can be recorded.
    """
    wanted = set(registration_ids)
    with transaction.atomic():
        allowed = set(
            Registration.objects.filter(
                event_id=session.event_id, status=REGISTERED, pk__in=wanted
            ).values_list("pk", flat=True)
        )
        if wanted - allowed:
            raise ValidationError(
                _("Only people registered for this programme can be recorded as attending.")
            )
        present = set(session.attendances.values_list("registration_id", flat=True))
        removed, _counts = session.attendances.exclude(registration_id__in=wanted).delete()
        SessionAttendance.objects.bulk_create(
            [
                SessionAttendance(session=session, registration_id=pk, recorded_by=actor)
                for pk in sorted(wanted - present)
            ]
        )
    return len(wanted - present), removed
