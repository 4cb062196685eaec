"""Who may do what to events and registrations: plain predicates, no writes.

The services enforce them (PermissionDenied); pages, templates (`{% can %}` of
`events_tags`) and the admin ask the same functions. `actor` None is the system (a task,
the demo data), which the services let through.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from companies.policies import can_act_for
from events.models import Event, JudgeAssignment, Registration
from incubator import times
from incubator.api.auth import Partner
from incubator.roles import staff_with


def can_manage_event(actor, event: Event | None = None) -> bool:
    """Create, change, publish, cancel or complete events: the event coordinators."""
    return staff_with(actor, "events.change_event")


def can_send_delegation_programme(actor, delegation=None) -> bool:
    """E-mail a delegation's programme to its members: whoever may change the delegation
    (`delegation_save`'s rule), since they are who build the programme."""
    return can_manage_event(actor)


def delegation_programme_unsendable_because(delegation) -> str | None:
    """Return why `delegation`'s programme cannot be e-mailed now, or None: it has no item
    yet, or no member has an address to send it to."""
    if not delegation.programme.exists():
        return _("This delegation has no programme item yet: add the programme, then send it.")
    if not delegation.members.exclude(email="").exists():
        return _(
            "No member of this delegation has an e-mail address: add their addresses, then "
            "send the programme."
        )
    return None


def can_publish_event(actor, event: Event) -> bool:
    return can_manage_event(actor, event) and event.can_move_to(Event.Status.PUBLISHED)


def can_cancel_event(actor, event: Event) -> bool:
    return can_manage_event(actor, event) and event.can_move_to(Event.Status.CANCELLED)


def can_complete_event(actor, event: Event) -> bool:
    """Mark a published event as completed once it has started (`Event.not_yet_because`)."""
    return can_manage_event(actor, event) and event.can_move_to(Event.Status.COMPLETED)


def event_move_refused_because(actor, event: Event, status: str) -> str | None:
    """Return why `actor`, who may manage events, may not move `event` to `status` now (its
    status, or too early), for the page that refuses it to say so; None when they may, or
    when they may not manage events at all (their role, not the event, refuses)."""
    if not can_manage_event(actor, event):
        return None
    return event.move_refused_because(status)


def can_see_online_link(actor, event: Event, registration: Registration | None = None) -> bool:
    """An online event's meeting link: the person of `registration` while it stands (not
    waitlisted, not cancelled), and staff who see events. Everyone else, an API key
    included, reads only that the event is online: the link lets anyone into the call."""
    if (
        registration is not None
        and registration.event_id == event.pk
        and registration.status == Registration.Status.REGISTERED
    ):
        return True
    return actor is not None and staff_with(actor, "events.view_event")


def can_check_in(actor, registration: Registration | None = None) -> bool:
    """Check people in at the door (the door page, the admin's action): staff who handle
    registrations (of any event: None asks about every registration)."""
    return staff_with(actor, "events.change_registration")


def can_undo_check_in(actor, registration: Registration) -> bool:
    """Undo a check-in made by mistake: whoever may check people in."""
    return can_check_in(actor, registration)


def can_see_badge(actor, registration: Registration) -> bool:
    """Show and print a badge, or read its code: its holder, and the staff at the door, who
    check people in (the badge's code and QR code are what the door scans). Staff who only
    read registrations, the viewer among them, print nobody's badge."""
    if actor is None or not actor.is_authenticated:
        return False
    if registration.user_id is not None and registration.user_id == actor.pk:
        return registration.status != Registration.Status.CANCELLED
    return can_see_badges(actor)


def can_see_badges(actor) -> bool:
    """Read every registration's badge code (the admin's list, its search by code, the
    record): `can_see_badge`'s staff at the door. Anyone holding a code can remake its QR
    code, so the staff who may not check people in neither read nor look up anyone's."""
    if actor is None or not actor.is_authenticated:
        return False
    return actor.is_staff and can_check_in(actor)


def check_in_opens_at(event: Event):
    """Return when the door opens: midnight of the event's first day in its own zone.

    People come early and staff open the desk before the start; a check-in on another
    day is a mistake (the wrong event picked on the door page).
    """
    start = timezone.localtime(event.starts_at, event.tzinfo)
    return start.replace(hour=0, minute=0, second=0, microsecond=0)


def check_in_refused_because(event: Event, at=None) -> str | None:
    """Return why nobody can be checked in to `event` (or have a check-in undone) at `at`,
    or None: the door is open on the event's day(s), until it ends."""
    at = at or timezone.now()
    if event.status == Event.Status.CANCELLED:
        return _("This event is cancelled.")
    opens_at = check_in_opens_at(event)
    if at < opens_at:
        return _("Check-in opens on %(when)s, the day of the event.") % {
            "when": times.span(opens_at, None, event.time_zone)
        }
    if at >= event.ends_at:
        return _("This event ended on %(when)s; check-in is closed.") % {
            "when": times.span(event.ends_at, None, event.time_zone)
        }
    return None


def can_record_attendance(actor, session) -> bool:
    """Record who attended an online programme's session: staff who add attendance."""
    return staff_with(actor, "events.add_sessionattendance")


def event_kept_because(event: Event) -> str | None:
    """Return why `event` stays rather than being deleted, or None when nothing is lost.

    Deleting tells nobody: registrants are told by cancelling, and what took place, was
    cancelled with registrants told, or was judged stays on record.
    """
    if event.status == Event.Status.COMPLETED:
        return _("This event took place; it stays on record.")
    standing = (Registration.Status.REGISTERED, Registration.Status.WAITLISTED)
    if event.registrations.filter(status__in=standing).exists():
        if event.status == Event.Status.CANCELLED:
            return _("This event's registrants were told it is cancelled; it stays on record.")
        return _("People are registered for this event: cancel it instead, so that they are told.")
    if JudgeAssignment.objects.filter(
        entry__round__event=event, submitted_at__isnull=False
    ).exists():
        return _("Judges submitted scores in this event's competition; they stay on record.")
    return None


def can_delete_event(actor, event: Event | None = None) -> bool:
    """Delete an event with all it holds: the event coordinators, when nothing is lost."""
    return staff_with(actor, "events.delete_event") and (
        event is None or event_kept_because(event) is None
    )


def _key_acts_for(key: Partner, user) -> bool:
    # A partner organisation's API key acts for the organisation's people only.
    return can_act_for(key.organisation_id, getattr(user, "partner_person", None))


def acts_for_registrant(actor, registration: Registration) -> bool:
    """The registrant themselves, or the API key of the partner organisation they registered
    for, while they still belong to it."""
    if registration.user_id is None:
        return False
    if isinstance(actor, Partner):
        return registration.partner_organisation_id == actor.organisation_id and _key_acts_for(
            actor, registration.user
        )
    return actor is not None and registration.user_id == actor.pk


def can_register(actor, user) -> bool:
    """Register `user`: the person themselves, staff who add registrations, or the API key
    of the person's partner organisation."""
    if isinstance(actor, Partner):
        return _key_acts_for(actor, user)
    return actor == user or staff_with(actor, "events.add_registration")


def can_add_guest(actor, event: Event) -> bool:
    """Register a guest without an account: staff who add registrations."""
    return staff_with(actor, "events.add_registration")


def may_handle_registration(actor, registration: Registration) -> bool:
    """The registrant themselves (or their organisation's API key), or staff who handle
    registrations."""
    if actor is None:
        return True
    if acts_for_registrant(actor, registration):
        return True
    return staff_with(actor, "events.change_registration")


def registration_cancel_refused_because(registration: Registration, at=None) -> str | None:
    """Return why nobody can cancel `registration` at `at` because of its event, or None.

    A cancelled event's registrations were told it is cancelled and hold no place to give
    back; an event that is over (completed, or past its end) has nothing left to cancel.
    """
    event = registration.event
    if event.status == Event.Status.CANCELLED:
        return _("This event is cancelled.")
    if event.status == Event.Status.COMPLETED or (at or timezone.now()) >= event.ends_at:
        return _("This event is over.")
    return None


def can_cancel_registration(actor, registration: Registration, at=None) -> bool:
    """Whether `actor` may cancel `registration` now: it stands, nobody checked it in, its
    event is neither cancelled nor over (`registration_cancel_refused_because`), and the
    actor is the registrant or staff who handle registrations."""
    if registration.status == Registration.Status.CANCELLED or registration.is_checked_in:
        return False
    if registration_cancel_refused_because(registration, at) is not None:
        return False
    return may_handle_registration(actor, registration)
