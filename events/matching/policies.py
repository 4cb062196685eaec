"""Who may do what in 1:1 meetings: plain predicates, no writes."""

from events.matching.models import MeetingRequest
from events.models import Registration
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
