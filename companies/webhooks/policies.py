"""Who may manage an organisation's webhook endpoints: plain predicates, no writes.

The actor is a staff member, the system (None: the demo loader), or a partner's API
principal: the partner organisation itself, or anything that carries the id of the
organisation it acts for (`organisation_id`, as an API key does). The API's scopes
(`webhooks:manage`) are checked by the API before it calls the services.
"""

from companies.models import PartnerOrganisation
from incubator.models import User

MANAGE_PERMISSION = "companies.change_webhookendpoint"


def acting_organisation_id(actor) -> int | None:
    """Return the id of the organisation an API principal acts for; None for a person."""
    if actor is None or isinstance(actor, User) or not getattr(actor, "is_authenticated", True):
        return None
    if isinstance(actor, PartnerOrganisation):
        return actor.pk
    return getattr(actor, "organisation_id", None)


def can_manage_webhooks(actor, organisation: PartnerOrganisation) -> bool:
    """Create, change, delete endpoints and rotate their secrets.

    The center manager for any organisation (the only role holding the permission); a
    partner's principal for its own organisation while that is active.
    """
    if actor is None:
        return True
    if isinstance(actor, User):
        return bool(actor.is_staff and actor.has_perm(MANAGE_PERMISSION))
    organisation_id = acting_organisation_id(actor)
    return (
        organisation_id is not None
        and organisation_id == organisation.pk
        and organisation.is_active
    )


def can_manage_endpoint(actor, endpoint) -> bool:
    return can_manage_webhooks(actor, endpoint.organisation)
