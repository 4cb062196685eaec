"""Who may do what to which company: plain predicates the services enforce."""

from django.utils.translation import gettext as _

from incubator.roles import staff_with


def has_other_portal_role(user) -> bool:
    """Return True for a partner's person or a judge: their portal is not a company's.

    Judges are assigned in the events app; the reverse accessor keeps this module
    free of importing it.
    """
    return hasattr(user, "partner_person") or user.judge_assignments.exists()


def can_create_company(user) -> bool:
    # Portal roles are exclusive: the center, not the user, makes a partner or a
    # judge a company member too (a membership added in the admin).
    return (
        user.is_authenticated
        and not user.is_staff
        and not hasattr(user, "membership")
        and not has_other_portal_role(user)
    )


def _membership_in(user, company):
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    company_id = getattr(company, "pk", company)
    return membership if membership is not None and membership.company_id == company_id else None


def is_member(user, company) -> bool:
    """Return True for the company's owner or one of its members."""
    return _membership_in(user, company) is not None


def can_invite(user, company) -> bool:
    """The company's owner invites colleagues; staff add members in the admin."""
    membership = _membership_in(user, company)
    return membership is not None and membership.role == "owner"


def can_revoke_invitation(user, invitation) -> bool:
    """Who invites takes a pending invitation back: the company's owner."""
    return can_invite(user, invitation.company_id)


def invitation_refusal(user, invitation) -> str | None:
    """Return why `user` may not accept `invitation`, or None when they may.

    The invitation's page says it before anyone presses the button; the service refuses
    with the same words. It speaks of the person who opened the link only: nothing here
    tells an inviter whether an address has an account, or a company elsewhere.
    """
    if invitation.accepted_at:
        return _("This invitation was used already.")
    if hasattr(user, "membership"):
        return _("You belong to a company already.")
    if user.is_staff or has_other_portal_role(user):
        return _("Staff, partners' people and judges cannot be members of a company.")
    if invitation.email.lower() != user.email.lower():
        return _("This invitation was sent to another e-mail address.")
    return None


def can_update_company(user, company) -> bool:
    """Members change their company's profile and evidence; staff whose role changes
    companies change any company (the demo loader and data imports act as None)."""
    if user is None or user.is_staff:
        return staff_with(user, "companies.change_company")
    return _membership_in(user, company) is not None


# Rooms and apps that can open a company's contact details to a partner organisation
# (an accepted inquiry, a confirmed meeting) register a predicate here: companies imports
# none of them.
_CONTACT_OPENERS = []


def register_contact_opener(opener) -> None:
    """Add `opener(organisation_id, company_id) -> bool`."""
    if opener not in _CONTACT_OPENERS:
        _CONTACT_OPENERS.append(opener)


def partner_sees_contacts(organisation_id: int, company) -> bool:
    """Return whether a confirmed meeting or an accepted inquiry opened the contacts."""
    company_id = getattr(company, "pk", company)
    return any(opener(organisation_id, company_id) for opener in _CONTACT_OPENERS)


def can_act_for(organisation_id: int, person) -> bool:
    """An API call acts for one of its organisation's people, never another's."""
    return person is not None and person.organisation_id == organisation_id


def can_import(user, kind: str) -> bool:
    """Staff who may add companies (or leads) import them from a spreadsheet."""
    model = "company" if kind == "companies" else "lead"
    return bool(user.is_authenticated and user.is_staff and user.has_perm(f"companies.add_{model}"))
