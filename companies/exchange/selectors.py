"""Reads of the technology exchange shared by the portal, the admin and the partner API.

Each list is one query whatever its length (what a row shows is joined, not fetched row by
row); the tests count them for 1 and for 100 rows.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from companies.exchange.models import (
    PartnerInterest,
    TechnologyInquiry,
    TechnologyListing,
    deal_kind_q,
)
from companies.models import Company, Membership
from incubator import roles
from incubator.multilingual import translated_names

# The center's staff who look after companies: told of listings to review, inquiries and
# interests. The event coordinator and the viewer are not.
CENTER_ROLES = (roles.CENTER_MANAGER, roles.PROGRAM_OFFICER)


def center_staff() -> list:
    """Return the active staff accounts of the center managers and program officers."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name__in=CENTER_ROLES)
        .distinct()
        .order_by("pk")
    )


def company_owners(company_id: int) -> list:
    """Return the active portal accounts of the company's owners."""
    return [
        m.user
        for m in Membership.objects.filter(
            company_id=company_id, role=Membership.Role.OWNER, user__is_active=True
        ).select_related("user")
    ]


# --- Listings -----------------------------------------------------------------------------

TEXT_FIELDS = [
    *translated_names("title"),
    *translated_names("summary"),
    *(f"company__{name}" for name in translated_names("name")),
]


def _text_q(text: str) -> Q:
    words = text.split()
    query = Q()
    for word in words:
        query &= Q.create([(f"{name}__icontains", word) for name in TEXT_FIELDS], connector=Q.OR)
    return query


def listings_for_partners(
    *,
    jurisdiction: str = "",
    deal_kind: str = "",
    sector: str = "",
    text: str = "",
) -> QuerySet[TechnologyListing]:
    """Return the approved listings of consenting companies, newest approval first.

    `deal_kind` is a DealKind value; `text` matches every word in the titles, summaries or
    company names, in any of the three languages.
    """
    listings = TechnologyListing.objects.filter(
        status=TechnologyListing.Status.APPROVED, company__consent_to_partners=True
    )
    if deal_kind:
        listings = listings.filter(deal_kind_q(deal_kind))
    if jurisdiction:
        listings = listings.filter(jurisdiction=jurisdiction)
    if sector:
        listings = listings.filter(sector=sector)
    if text.strip():
        listings = listings.filter(_text_q(text))
    return listings.select_related("company", "patent").order_by("-reviewed_at", "-pk")


def listing_for_partners(pk: int) -> TechnologyListing:
    """Return one listing partners may see, or raise TechnologyListing.DoesNotExist."""
    return listings_for_partners().get(pk=pk)


def listings_of_company(company: Company) -> QuerySet[TechnologyListing]:
    """Return the company's listings with their count of inquiries and of unanswered ones."""
    return (
        TechnologyListing.objects.filter(company=company)
        .select_related("patent", "reviewed_by")
        .annotate(
            inquiry_count=Count("inquiries"),
            open_inquiry_count=Count(
                "inquiries", filter=Q(inquiries__status=TechnologyInquiry.Status.SENT)
            ),
        )
        .order_by("-created_at", "-pk")
    )


def listing_of_company(company: Company, pk: int) -> TechnologyListing:
    """Return one of the company's listings, or raise TechnologyListing.DoesNotExist."""
    return TechnologyListing.objects.select_related("company", "patent").get(company=company, pk=pk)


# --- Inquiries ----------------------------------------------------------------------------


def _inquiries() -> QuerySet[TechnologyInquiry]:
    return TechnologyInquiry.objects.select_related(
        "listing__company", "organisation", "person__user", "answered_by"
    )


def inquiries_of_organisation(organisation) -> QuerySet[TechnologyInquiry]:
    """Return the inquiries the organisation's people sent, newest first."""
    return _inquiries().filter(organisation=organisation).order_by("-created_at", "-pk")


def inquiries_of_company(company: Company) -> QuerySet[TechnologyInquiry]:
    """Return the inquiries about the company's listings, unanswered first, newest first."""
    return (
        _inquiries()
        .filter(listing__company=company)
        .order_by("-status", "-created_at", "-pk")  # descending: "sent" comes first
    )


def partner_contacts(company_ids) -> dict[int, list[Membership]]:
    """Return, per company, the members a partner organisation may contact, the owner
    first (1 query).

    The people the partner API's company detail lists once the company accepted an
    inquiry (`policies.companies_with_contacts_open_to`), without deactivated accounts;
    only of companies that consent to be shown to partners, as there.
    """
    found: dict[int, list[Membership]] = {}
    for membership in (
        Membership.objects.filter(
            company_id__in=company_ids, company__consent_to_partners=True, user__is_active=True
        )
        .select_related("user")
        .order_by("company_id", "-role", "pk")  # descending: "owner" before "member"
    ):
        found.setdefault(membership.company_id, []).append(membership)
    return found


# --- Interests ----------------------------------------------------------------------------


def interests_of_organisation(
    organisation, *, include_withdrawn: bool = False
) -> QuerySet[PartnerInterest]:
    """Return the organisation's interests in companies (the active ones unless asked)."""
    interests = PartnerInterest.objects.filter(organisation=organisation)
    if not include_withdrawn:
        interests = interests.filter(withdrawn_at__isnull=True)
    return interests.select_related("company", "organisation", "person__user").order_by(
        "-marked_at", "-pk"
    )


def interests_in_company(company: Company) -> QuerySet[PartnerInterest]:
    """Return the active interests of partner organisations in the company."""
    return (
        PartnerInterest.objects.filter(company=company, withdrawn_at__isnull=True)
        .select_related("company", "organisation", "person__user")
        .order_by("-marked_at", "-pk")
    )
