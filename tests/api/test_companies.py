"""The company directory of the partner API: who is shown, with which fields, filtered how."""

import datetime as dt

import pytest
from django.utils import timezone

from companies import policies
from companies.models import Company
from programs.models import Enrollment
from tests.api.keys import client_with, key_for
from tests.companies.factories import (
    CertificationFactory,
    CompanyFactory,
    FundingRoundFactory,
    MembershipFactory,
    PatentFactory,
)
from tests.events.factories import PartnerOrganisationFactory
from tests.programs.factories import CohortFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/companies/"


def enrolled(stage="incubation", **fields) -> Company:
    company = CompanyFactory(consent_to_partners=True, **fields)
    Enrollment.objects.create(
        company=company, cohort=CohortFactory(), stage=stage, started_on=timezone.localdate()
    )
    return company


@pytest.fixture
def key():
    return key_for(PartnerOrganisationFactory(), scopes=["companies:read"])[1]


@pytest.fixture
def partner(key):
    return client_with(key)


def ids(answer) -> set[int]:
    assert answer.status_code == 200, answer.content
    return {row["id"] for row in answer.json()["results"]}


def test_only_consenting_companies_at_stages_open_to_partners_are_listed(partner):
    shown = [enrolled(stage) for stage in ("incubation", "industrialization", "graduated")]
    enrolled("withdrawn")
    CompanyFactory(consent_to_partners=True)  # an applicant, not enrolled
    hidden = enrolled()
    Company.objects.filter(pk=hidden.pk).update(consent_to_partners=False)
    assert ids(partner.get(URL)) == {c.pk for c in shown}
    assert partner.get(f"{URL}{hidden.pk}/").status_code == 404


def test_a_company_shows_public_fields_only(partner):
    company = enrolled(stage="acceleration", employees=14)
    PatentFactory(company=company, number="10-2020-0123456")
    FundingRoundFactory(company=company)
    MembershipFactory(company=company, user__email="owner@startup.example")
    listed = partner.get(URL).json()["results"][0]
    assert listed["stage"] == "acceleration" and listed["has_registered_patent"] is True
    detail = partner.get(f"{URL}{company.pk}/").json()
    assert detail["name"]["ko"] == company.name_ko
    assert [p["number"] for p in detail["patents"]] == ["10-2020-0123456"]
    assert detail["contacts"] is None
    text = str(detail)
    for secret in (company.brn, "owner@startup.example", "amount", "documents"):
        assert secret not in text


def test_contacts_appear_once_an_opener_says_so(partner, monkeypatch):
    company = enrolled()
    MembershipFactory(company=company, user__email="owner@startup.example")
    opened = set()
    monkeypatch.setattr(policies, "_CONTACT_OPENERS", [])
    policies.register_contact_opener(lambda organisation_id, company_id: company_id in opened)
    assert partner.get(f"{URL}{company.pk}/").json()["contacts"] is None
    opened.add(company.pk)
    contacts = partner.get(f"{URL}{company.pk}/").json()["contacts"]
    assert [c["email"] for c in contacts] == ["owner@startup.example"]


def test_the_filters_of_an_investor_looking_for_ai_companies(partner):
    today = timezone.localdate()
    wanted = enrolled(sector="ai", founded_on=today - dt.timedelta(days=4 * 365), speaks_zh=True)
    PatentFactory(company=wanted)
    CertificationFactory(company=wanted, kind="venture")
    young = enrolled(sector="ai", founded_on=today - dt.timedelta(days=365))
    PatentFactory(company=young)
    applied_only = enrolled(sector="ai", founded_on=today - dt.timedelta(days=5 * 365))
    PatentFactory(company=applied_only, status="application", registered_on=None)
    enrolled(sector="bio_health", founded_on=today - dt.timedelta(days=6 * 365))

    query = "?sector=ai&min_years=3&has_registered_patent=true"
    assert ids(partner.get(URL + query)) == {wanted.pk}
    assert ids(partner.get(URL + "?certification=venture")) == {wanted.pk}
    assert ids(partner.get(URL + "?language=zh")) == {wanted.pk}
    before = (today - dt.timedelta(days=2 * 365)).isoformat()
    assert young.pk not in ids(partner.get(URL + f"?founded_before={before}"))
    assert ids(partner.get(URL + f"?search={wanted.name_en[-6:]}")) == {wanted.pk}
    assert ids(partner.get(URL + "?stage=acceleration")) == set()


def test_a_wrong_filter_is_a_400_naming_the_field(key):
    answer = client_with(key, "ko").get(URL + "?sector=space&founded_before=yesterday")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid" and set(body["fields"]) == {"sector", "founded_before"}


def test_pages_hold_up_to_100_rows(partner):
    for _ in range(3):
        enrolled()
    page = partner.get(URL + "?page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert len(partner.get(URL + "?page_size=500").json()["results"]) == 3


def test_a_list_costs_the_same_queries_for_1_and_100_companies(partner, django_assert_num_queries):
    # key lookup + last use (first call only) + count + page + certifications prefetch
    enrolled()
    partner.get(URL)  # records the key's last use
    with django_assert_num_queries(4) as one:
        partner.get(URL + "?page_size=100")
    for _ in range(99):
        enrolled()
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(partner.get(URL + "?page_size=100").json()["results"]) == 100


def test_a_page_number_is_a_whole_number_from_1_and_past_the_last_says_so(api_client):
    client = api_client("companies:read")
    for bad in ("0", "-1", "abc", "1.5"):
        refused = client.get("/api/v1/companies/", {"page": bad})
        assert refused.status_code == 400, bad
        assert refused.json()["fields"] == {"page": ["Pages count from 1."]}
    past = client.get("/api/v1/companies/", {"page": "7"})
    assert past.status_code == 404
    assert past.json() == {
        "code": "not_found",
        "message": "There is no page 7: the last is 1.",
        "fields": {},
    }
    assert client.get("/api/v1/companies/", {"page": "last"}).status_code == 200


def test_an_ordering_the_list_does_not_take_is_a_400_naming_those_it_does(api_client):
    # DRF dropped it silently: the caller read the default order as if it were theirs.
    client = api_client("companies:read")
    refused = client.get("/api/v1/companies/", {"ordering": "bogus"})
    assert refused.status_code == 400
    assert refused.json()["fields"] == {
        "ordering": [
            "Order by one of founded_on, name_ko, name_zh, name_en, id; a leading - reverses "
            "the order."
        ]
    }
    assert client.get("/api/v1/companies/", {"ordering": "-founded_on,id"}).status_code == 200


def test_a_yes_or_no_filter_takes_true_or_false_and_refuses_anything_else(api_client):
    # "maybe" read as no filter at all: every company, as if the filter had held.
    client = api_client("companies:read")
    refused = client.get("/api/v1/companies/", {"has_registered_patent": "maybe"})
    assert refused.status_code == 400
    assert refused.json()["fields"] == {"has_registered_patent": ["Say true or false."]}
    for answer in ("true", "false", "1", "0"):
        assert (
            client.get("/api/v1/companies/", {"has_registered_patent": answer}).status_code == 200
        )


def test_no_cache_keeps_a_companys_page_which_may_hold_its_contacts(partner):
    company = enrolled()
    answer = partner.get(f"{URL}{company.pk}/")
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
