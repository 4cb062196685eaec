"""Who may do what to which company: plain predicates the services enforce."""

from django.utils import timezone
from django.utils.translation import gettext as _

from incubator.roles import staff_with


def has_other_portal_role(user, *, than: str = "member") -> bool:
    """Return True when `user`'s portal is another role's than `than`: "member" (of a
    company: a partner's person or a judge), or "partner" (a partner organisation's
    person: a company's member or a judge).

    Portal roles are exclusive: one account that is both a startup's and an investor's
    would read, as "our organisation", the other startups' listings. Judges are assigned in
    the events app; the reverse accessor keeps this module free of importing it.
    """
    if than != "member" and hasattr(user, "membership"):
        return True
    if than != "partner" and hasattr(user, "partner_person"):
        return True
    return user.judge_assignments.exists()


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


def can_remove_member(user, membership) -> bool:
    """The company's owner takes a colleague out of it; never themselves (they leave). The
    owner who removes stays, so a company never loses its last owner this way."""
    return can_invite(user, membership.company_id) and membership.user_id != user.pk


def is_last_owner(membership) -> bool:
    others = (
        type(membership)
        ._default_manager.filter(company_id=membership.company_id, role="owner")
        .exclude(pk=membership.pk)
    )
    return membership.role == "owner" and not others.exists()


def can_leave_company(user, membership) -> bool:
    """A person leaves their own company, except its last owner: nobody would be left to
    invite or remove the others (the center makes a colleague the owner first)."""
    return membership.user_id == user.pk and not is_last_owner(membership)


# What keeps a person from joining a company (joining_obstacle); its words depend on who
# reads them: the person invited (invitation_refusal) or the owner inviting them.
MEMBER_ELSEWHERE, OTHER_PORTAL = "member", "other_role"


def joining_obstacle(user) -> str | None:
    """Return MEMBER_ELSEWHERE for a member of a company (one company per person),
    OTHER_PORTAL for staff, a partner's person or a judge (their portal is not a company's),
    or None when `user` may become a member.

    Asked when an invitation is sent and when it is accepted: an invitation that could never
    be accepted is not sent.
    """
    if hasattr(user, "membership"):
        return MEMBER_ELSEWHERE
    if user.is_staff or has_other_portal_role(user):
        return OTHER_PORTAL
    return None


def invitation_refusal(user, invitation, now=None) -> str | None:
    """Return why `user` may not accept `invitation`, or None when they may.

    The invitation's page says it before anyone presses the button; the service refuses
    with the same words.
    """
    if invitation.accepted_at:
        return _("This invitation was used already.")
    if invitation.is_expired(now):
        return invitation_expired_words(invitation)
    obstacle = joining_obstacle(user)
    if obstacle == MEMBER_ELSEWHERE:
        return _("You belong to a company already.")
    if obstacle == OTHER_PORTAL:
        return _("Staff, partners' people and judges cannot be members of a company.")
    if invitation.email.lower() != user.email.lower():
        return _("This invitation was sent to another e-mail address.")
    return None


def invitation_expired_words(invitation) -> str:
    """What the page of an expired invitation says: when, and who renews it."""
    on = f"{timezone.localtime(invitation.expires_at):%Y-%m-%d}"
    if invitation.invited_by is not None:
        return _(
            "This invitation expired on %(date)s. Ask %(inviter)s to send it again: the new "
            "e-mail's link works for another %(days)s days."
        ) % {
            "date": on,
            "inviter": invitation.invited_by.get_full_name(),
            "days": invitation.VALID_FOR.days,
        }
    return _(
        "This invitation expired on %(date)s. Ask the company's owner to send it again: the "
        "new e-mail's link works for another %(days)s days."
    ) % {"date": on, "days": invitation.VALID_FOR.days}


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
