"""Who may do what on the technology exchange: plain predicates the services enforce.

Startups (owner or member) manage their company's listings and answer the inquiries about
them; the center's reviewers (center managers and program officers: the roles that may
change a listing) approve or reject; a partner person acts for their own organisation only,
on approved listings and on companies that consented to be shown to partners.
"""

from companies.exchange.models import TechnologyInquiry
from companies.policies import is_member

REVIEW_PERMISSION = "companies.change_technologylisting"


def partner_person_of(user):
    """Return the user's PartnerPerson when they may act for an active organisation, else None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    person = getattr(user, "partner_person", None)
    if person is None or not person.organisation.is_active:
        return None
    return person


def acts_for(user, organisation) -> bool:
    """Say whether the user is a person of `organisation` (the partner API names the person)."""
    person = partner_person_of(user)
    return person is not None and person.organisation_id == getattr(
        organisation, "pk", organisation
    )


def can_manage_listings(user, company) -> bool:
    """Create, change, submit and withdraw the company's listings: its owner and members."""
    return user is not None and user.is_authenticated and is_member(user, company)


def can_review_listing(user, listing=None) -> bool:
    return bool(getattr(user, "is_staff", False)) and user.has_perm(REVIEW_PERMISSION)


def is_shown_to_partners(listing) -> bool:
    return listing.status == listing.Status.APPROVED and listing.company.consent_to_partners


def can_see_listing(user, listing) -> bool:
    """A partner person sees an approved listing of a company that consented."""
    return partner_person_of(user) is not None and is_shown_to_partners(listing)


def can_send_inquiry(user, listing) -> bool:
    return can_see_listing(user, listing)


def can_answer_inquiry(user, inquiry) -> bool:
    return can_manage_listings(user, inquiry.listing.company_id)


def can_mark_interest(user, company) -> bool:
    return partner_person_of(user) is not None and company.consent_to_partners


def can_withdraw_interest(user, interest) -> bool:
    """The organisation's people withdraw its interest, whatever the company's consent now."""
    return acts_for(user, interest.organisation_id)


def companies_with_contacts_open_to(organisation):
    """Return the ids of the companies that accepted an inquiry of the organisation (a
    queryset): their contacts are open to it."""
    return (
        TechnologyInquiry.objects.filter(organisation=organisation, accepted=True)
        .values_list("listing__company_id", flat=True)
        .distinct()
    )


def contacts_open_to(organisation, company) -> bool:
    """Say whether the company accepted an inquiry of the organisation: its contacts are open."""
    return companies_with_contacts_open_to(organisation).filter(listing__company=company).exists()


def contacts_opened_by_inquiry(organisation_id: int, company_id: int) -> bool:
    """The contact opener of the partner API: an inquiry the company accepted."""
    return TechnologyInquiry.objects.filter(
        organisation_id=organisation_id, listing__company_id=company_id, accepted=True
    ).exists()
