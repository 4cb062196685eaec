"""Check-in at the door: a registered person checked in on the event's day(s), and a
check-in made by mistake undone; each under the registration's lock, with its audit record."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import policies
from events.models import Registration
from events.services import CANCELLED, WAITLISTED, lock_registration, registration_audit


def registration_check_in(*, registration: Registration, actor) -> tuple[Registration, bool]:
    """Check a registered person in at the door; return (registration, newly checked in).

    Only on the event's day(s), until it ends (`policies.check_in_refused_because`).
    Idempotent: checking in twice keeps the first time and says so (False).
    """
    if not policies.can_check_in(actor, registration):
        raise PermissionDenied
    with transaction.atomic():
        registration = lock_registration(registration)
        event = registration.event
        if registration.is_checked_in:
            return registration, False
        refused = policies.check_in_refused_because(event)
        if refused:
            raise ValidationError(refused, code="door_closed")
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
        registration_audit(
            registration, "registration.check_in", actor, checked_in_at=registration.checked_in_at
        )
    return registration, True


def registration_check_in_undo(*, registration: Registration, actor) -> Registration:
    """Undo a check-in made by mistake, while the door is open; the person may then be
    checked in again, or cancel."""
    if not policies.can_undo_check_in(actor, registration):
        raise PermissionDenied
    with transaction.atomic():
        registration = lock_registration(registration)
        if not registration.is_checked_in:
            raise ValidationError(
                _("%(name)s is not checked in.") % {"name": registration.name},
                code="not_checked_in",
            )
        refused = policies.check_in_refused_because(registration.event)
        if refused:
            raise ValidationError(refused, code="door_closed")
        was = registration.checked_in_at
        registration.checked_in_at = None
        registration.checked_in_by = None
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
        registration_audit(
            registration, "registration.check_in_undo", actor, checked_in_at=[was, None]
        )
    return registration
