"""Who may do what in 1:1 meetings: plain predicates, no writes."""

from django.utils import timezone
from django.utils.translation import gettext as _

from events.matching.models import MeetingRequest
from events.models import Event, Registration
from events.policies import acts_for_registrant
from incubator.roles import staff_with

REGISTERED = Registration.Status.REGISTERED


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


def matching_closed_because(event: Event) -> str | None:
    """Return why the meetings of `event` can no longer change, or None while it is open.

    One rule for both sides: participants' availability and requests, and the staff's
    schedule runs and meetings by hand. A schedule of an event that is over is what was
    held: a new run would move every meeting off it (the dashboard's figures with them)
    and e-mail everyone an agenda months late.
    """
    if not event.is_matching_session:
        return _("This event is not a matching session.")
    if event.status == Event.Status.CANCELLED:
        return _("This event is cancelled.")
    if event.status == Event.Status.COMPLETED or timezone.now() >= event.ends_at:
        return _("This event is over.")
    return None


def can_schedule(actor, event=None) -> bool:
    """Generate a schedule, add, lock or remove meetings: the event coordinators."""
    return staff_with(actor, "events.change_meeting")


def can_set_availability(actor, registration: Registration) -> bool:
    """The participant themselves, or staff whose role changes availability."""
    if actor is not None and actor.is_staff:
        return staff_with(actor, "events.change_availability")
    return actor is None or registration.user_id == actor.pk


def can_manage_slots(actor, event=None) -> bool:
    """Add, change or delete a matching session's meeting slots: the event coordinators."""
    return staff_with(actor, "events.change_meetingslot")


def can_request_meeting(actor, registration: Registration) -> bool:
    """Ask for meetings as `registration`: the participant, or their organisation's API key."""
    return acts_for_registrant(actor, registration)


def can_withdraw_request(actor, request: MeetingRequest) -> bool:
    """Withdraw a request: its sender, or the sender's organisation's API key; never the
    person who received it."""
    return acts_for_registrant(actor, request.from_registration)


def can_answer_request(actor, request: MeetingRequest) -> bool:
    """Accept or decline a request: its recipient, or the recipient's organisation's API
    key; never its sender."""
    return acts_for_registrant(actor, request.to_registration)
