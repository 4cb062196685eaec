"""Who may make, regenerate or stop a calendar feed: plain predicates, no writes.

A person manages their own feed. A partner organisation's feed is its people's schedule,
which each of them already acts on for the organisation in the portal (the exchange's
inquiries and interests, `companies.exchange.policies`): any person of an active
organisation manages it, and so does the center manager (who alone may change feeds in the
admin, `incubator.roles.MANAGER_ONLY_MODELS`). `actor` None is the system.
"""

from companies.exchange.policies import acts_for, partner_person_of

MANAGE_PERMISSION = "events.change_calendarfeed"


def can_manage_user_feed(actor, user) -> bool:
    if actor is None:
        return True
    return bool(actor.is_authenticated and actor.is_active and actor.pk == user.pk)


def can_manage_organisation_feed(actor, organisation) -> bool:
    if actor is None:
        return True
    if getattr(actor, "is_staff", False):
        return actor.is_active and actor.has_perm(MANAGE_PERMISSION)
    return acts_for(actor, organisation)


def organisation_of(actor):
    """Return the partner organisation whose feed `actor` manages in the portal, or None."""
    person = partner_person_of(actor)
    return person.organisation if person is not None else None


def can_manage_feed(actor, feed) -> bool:
    if feed.user_id is not None:
        return can_manage_user_feed(actor, feed.user)
    return can_manage_organisation_feed(actor, feed.organisation)


def can_stop_feed(actor, feed) -> bool:
    """Who manages a feed stops it; so does the center manager, any feed (an address that
    leaked), though regenerating a person's feed is theirs alone: it shows the address."""
    if can_manage_feed(actor, feed):
        return True
    return bool(getattr(actor, "is_staff", False) and actor.has_perm(MANAGE_PERMISSION))
