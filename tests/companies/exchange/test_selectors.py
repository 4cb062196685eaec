"""The exchange's shared reads: what partners find, and what each list costs in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from companies.exchange import selectors
from companies.exchange.models import (
    PartnerInterest,
    TechnologyInquiry,
    TechnologyListing,
)
from companies.models import Company
from tests.companies.factories import CompanyFactory, PatentFactory, TechnologyListingFactory
from tests.events.factories import PartnerPersonFactory

pytestmark = pytest.mark.django_db

APPROVED = TechnologyListing.Status.APPROVED


def titles(listings) -> set[str]:
    return {listing.title_en for listing in listings}


def test_partners_find_only_approved_listings_of_consenting_companies():
    shown = CompanyFactory(consent_to_partners=True)
    hidden = CompanyFactory(consent_to_partners=False)
    TechnologyListingFactory(company=shown, status=APPROVED, title_en="Shown")
    TechnologyListingFactory(company=hidden, status=APPROVED, title_en="No consent")
    for status in ("draft", "submitted", "rejected", "withdrawn"):
        TechnologyListingFactory(company=shown, status=status, title_en=status)
    assert titles(selectors.listings_for_partners()) == {"Shown"}


@pytest.fixture
def catalogue():
    company = CompanyFactory(
        consent_to_partners=True, name_ko="한빛로보틱스", name_zh="韩光机器人", name_en="Hanbit"
    )
    rows = [
        ("Robot arm", "intelligent_manufacturing", "KR", {"offers_license": True}),
        (
            "Welding path",
            "intelligent_manufacturing",
            "CN",
            {"offers_license": False, "offers_transfer": True},
        ),
        (
            "Tutor bot",
            "education",
            "PCT",
            {"offers_license": False, "offers_joint_development": True, "title_zh": "辅导机器人"},
        ),
    ]
    for title, sector, jurisdiction, fields in rows:
        TechnologyListingFactory(
            company=company,
            status=APPROVED,
            title_en=title,
            sector=sector,
            jurisdiction=jurisdiction,
            reviewed_at=timezone.now(),
            **fields,
        )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"deal_kind": "license"}, {"Robot arm"}),
        ({"deal_kind": "transfer"}, {"Welding path"}),
        ({"deal_kind": "joint_development"}, {"Tutor bot"}),
        ({"jurisdiction": "CN"}, {"Welding path"}),
        ({"sector": "education"}, {"Tutor bot"}),
        ({"sector": "intelligent_manufacturing", "deal_kind": "license"}, {"Robot arm"}),
        ({"text": "辅导"}, {"Tutor bot"}),  # Chinese title
        ({"text": "welding"}, {"Welding path"}),  # English, any case
        ({"text": "한빛로보틱스"}, {"Robot arm", "Welding path", "Tutor bot"}),  # company name
        ({"text": "robot arm"}, {"Robot arm"}),  # every word must match
        ({"text": "robot nothing"}, set()),
    ],
)
def test_partners_filter_by_deal_jurisdiction_sector_and_text(catalogue, filters, expected):
    assert titles(selectors.listings_for_partners(**filters)) == expected


def test_a_kind_of_deal_is_one_lookup_on_an_index():
    """The partial index of the kind serves the filter (SQLite and PostgreSQL alike)."""
    sql, params = selectors.listings_for_partners(deal_kind="transfer").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # An empty table is read whole otherwise: ask whether the index can serve it.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "listing_approved_transfer_idx" in plan


# --- Query counts: the same for 1 row and for 100 --------------------------------------------


def many_listings(count: int, company: Company) -> list[TechnologyListing]:
    patents = [PatentFactory(company=company) for _ in range(min(count, 3))]
    return TechnologyListing.objects.bulk_create(
        [
            TechnologyListingFactory.build(
                company=company,
                patent=patents[n % len(patents)],
                status=APPROVED,
                reviewed_at=timezone.now(),
            )
            for n in range(count)
        ]
    )


def many_inquiries(listings, organisation) -> None:
    people = [PartnerPersonFactory(organisation=organisation) for _ in range(2)]
    TechnologyInquiry.objects.bulk_create(
        [
            TechnologyInquiry(
                listing=listing, organisation=organisation, person=people[n % 2], message="Hi"
            )
            for n, listing in enumerate(listings)
        ]
    )


def many_interests(count: int, organisation, company) -> None:
    """`count` interests of the organisation, and `count` in the company (one is both)."""
    person = PartnerPersonFactory(organisation=organisation)
    companies = [company, *Company.objects.bulk_create(CompanyFactory.build_batch(count - 1))]
    others = [PartnerPersonFactory() for _ in range(count - 1)]
    PartnerInterest.objects.bulk_create(
        [
            PartnerInterest(
                organisation=organisation, company=c, person=person, marked_at=timezone.now()
            )
            for c in companies
        ]
        + [
            PartnerInterest(
                organisation=p.organisation, company=company, person=p, marked_at=timezone.now()
            )
            for p in others
        ]
    )


def queries_of(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        rows = list(read())
        for row in rows:  # what a page or the API shows of each row
            str(row)
            getattr(row, "patent", None)
            if isinstance(row, TechnologyInquiry):
                row.person.user.get_full_name(), row.listing.company.name, row.organisation.name
            if isinstance(row, PartnerInterest):
                row.person.user.get_full_name(), row.company.name
    return len(captured), len(rows)


@pytest.mark.parametrize("count", [1, 100])
def test_each_list_costs_one_query_for_1_row_as_for_100(count):
    company = CompanyFactory(consent_to_partners=True)
    organisation = PartnerPersonFactory().organisation
    listings = many_listings(count, company)
    many_inquiries(listings, organisation)
    many_interests(count, organisation, company)
    # Each: 1 query of the rows with what they show joined (company, patent, person, user...).
    reads = {
        "listings_for_partners": lambda: selectors.listings_for_partners(),
        "listings_of_company": lambda: selectors.listings_of_company(company),
        "inquiries_of_organisation": lambda: selectors.inquiries_of_organisation(organisation),
        "inquiries_of_company": lambda: selectors.inquiries_of_company(company),
        "interests_of_organisation": lambda: selectors.interests_of_organisation(organisation),
        "interests_in_company": lambda: selectors.interests_in_company(company),
    }
    for name, read in reads.items():
        assert queries_of(read) == (1, count), name
