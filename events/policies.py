"""Who may do what to events and registrations: plain predicates, no writes.

The services enforce them (PermissionDenied); pages, templates (`{% can %}` of
`events_tags`) and the admin ask the same functions. `actor` None is the system (a task,
the demo data), which the services let through.
"""

from django.utils import timezone

from events.models import Event, Registration


def staff_with(actor, permission: str) -> bool:
    """Say whether `actor` is the system or staff holding `permission`."""
    return actor is None or bool(actor.is_staff and actor.has_perm(permission))


def can_manage_event(actor, event: Event | None = None) -> bool:
    """Create, change, publish, cancel or complete events: the event coordinators."""
    return staff_with(actor, "events.change_event")


def can_publish_event(actor, event: Event) -> bool:
    return can_manage_event(actor, event) and event.can_move_to(Event.Status.PUBLISHED)


def can_cancel_event(actor, event: Event) -> bool:
    return can_manage_event(actor, event) and event.can_move_to(Event.Status.CANCELLED)


def can_complete_event(actor, event: Event) -> bool:
    return can_manage_event(actor, event) and event.can_move_to(Event.Status.COMPLETED)


def may_handle_registration(actor, registration: Registration) -> bool:
    """The registrant themselves, or staff who handle registrations."""
    if actor is None:
        return True
    if registration.user_id is not None and registration.user_id == actor.pk:
        return True
    return staff_with(actor, "events.change_registration")


def can_cancel_registration(actor, registration: Registration, at=None) -> bool:
    """Whether `actor` may cancel `registration` now: it stands, nobody checked it in, the
    event is not over, and the actor is the registrant or staff who handle registrations."""
    if registration.status == Registration.Status.CANCELLED or registration.is_checked_in:
        return False
    if (at or timezone.now()) >= registration.event.ends_at:
        return False
    return may_handle_registration(actor, registration)
