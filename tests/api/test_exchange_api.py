"""The technology exchange and interests through the partner API."""

import pytest
from django.utils import timezone

from companies.exchange import partner_services, services
from companies.exchange.models import PartnerInterest, TechnologyInquiry, TechnologyListing
from companies.models import Membership
from companies.webhooks.services import webhook_endpoint_create
from incubator.models import OutboxMessage
from programs.models import Enrollment
from tests.api.keys import client_with, key_for
from tests.companies.factories import (
    CompanyFactory,
    MembershipFactory,
    TechnologyListingFactory,
)
from tests.events.factories import PartnerPersonFactory
from tests.programs.factories import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    company = CompanyFactory(consent_to_partners=True, sector="ai", name_en="Orangsimhan")
    Enrollment.objects.create(
        company=company,
        cohort=CohortFactory(),
        stage="acceleration",
        started_on=timezone.localdate(),
    )
    return company


@pytest.fixture
def founder(company):
    return MembershipFactory(company=company, role=Membership.Role.OWNER, user__language="ko").user


@pytest.fixture
def listing(company, founder):
    return TechnologyListingFactory(
        company=company,
        status=TechnologyListing.Status.APPROVED,
        sector="ai",
        title_en="Speech recognition model",
        offers_license=True,
    )


@pytest.fixture
def person():
    return PartnerPersonFactory()


@pytest.fixture
def partner(person):
    return client_with(key_for(person.organisation)[1])


def test_listings_are_searched_by_deal_kind_sector_and_text(partner, listing, company):
    TechnologyListingFactory(company=company, status=TechnologyListing.Status.SUBMITTED)
    rows = partner.get("/api/v1/technologies/?deal_kind=license&sector=ai&search=speech")
    assert [r["id"] for r in rows.json()["results"]] == [listing.pk]
    assert rows.json()["results"][0]["deal_kinds"] == ["license"]
    assert partner.get("/api/v1/technologies/?deal_kind=transfer").json()["count"] == 0
    assert partner.get(f"/api/v1/technologies/{listing.pk}/").status_code == 200


def test_an_inquiry_reaches_the_startup_and_opens_contacts_once_accepted(
    partner, person, listing, founder, company
):
    endpoint, _secret = webhook_endpoint_create(
        actor=person.organisation,
        organisation=person.organisation,
        url="https://127.0.0.1:8443/h",
        event_types=["inquiry.answered"],
    )
    body = {"listing": listing.pk, "person": person.pk, "message": "라이선스 조건이 궁금합니다."}
    sent = partner.post("/api/v1/inquiries/", body, format="json")
    assert sent.status_code == 201, sent.content
    inquiry = TechnologyInquiry.objects.get()
    assert OutboxMessage.objects.filter(recipient=founder.email).exists()
    again = partner.post("/api/v1/inquiries/", body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert partner.get(f"/api/v1/companies/{company.pk}/").json()["contacts"] is None

    partner_services.inquiry_answer(actor=founder, inquiry=inquiry, answer="좋습니다.", accept=True)
    detail = partner.get(f"/api/v1/inquiries/{inquiry.pk}/").json()
    assert detail["status"] == "answered" and detail["accepted"] is True
    contacts = partner.get(f"/api/v1/companies/{company.pk}/").json()["contacts"]
    assert [c["email"] for c in contacts] == [founder.email]
    (webhook,) = OutboxMessage.objects.filter(
        channel="webhook", recipient=f"webhook:{endpoint.pk}", kind__contains="inquiry"
    )
    # In UTC with "Z", as every time of the API and the webhooks (the guide says so).
    assert webhook.payload["data"]["answered_at"] == detail["answered_at"]
    assert detail["answered_at"].endswith("Z")


def test_another_organisations_person_and_inquiries_are_404(partner, listing):
    stranger = PartnerPersonFactory()
    body = {"listing": listing.pk, "person": stranger.pk, "message": "Hello"}
    assert partner.post("/api/v1/inquiries/", body, format="json").status_code == 404
    theirs = partner_services.inquiry_send(actor=stranger.user, listing=listing, message="Hello")
    assert partner.get(f"/api/v1/inquiries/{theirs.pk}/").status_code == 404
    assert partner.get("/api/v1/inquiries/").json()["count"] == 0


def test_a_listing_not_approved_cannot_be_asked_about(partner, person, company):
    draft = TechnologyListingFactory(company=company, status=TechnologyListing.Status.SUBMITTED)
    body = {"listing": draft.pk, "person": person.pk, "message": "Hello"}
    assert partner.post("/api/v1/inquiries/", body, format="json").status_code == 404
    assert not TechnologyInquiry.objects.exists()


def test_interest_is_marked_listed_and_withdrawn(partner, person, company, founder):
    body = {"company": company.pk, "person": person.pk, "note": "Met at the roadshow."}
    marked = partner.post("/api/v1/interests/", body, format="json")
    assert marked.status_code == 201, marked.content
    interest = PartnerInterest.objects.get()
    assert [r["id"] for r in partner.get("/api/v1/interests/").json()["results"]] == [interest.pk]
    assert OutboxMessage.objects.filter(recipient=founder.email).exists()
    assert partner.delete(f"/api/v1/interests/{interest.pk}/").status_code == 204
    interest.refresh_from_db()
    assert interest.withdrawn_at is not None
    assert partner.get("/api/v1/interests/").json()["count"] == 0


def test_interest_in_a_company_outside_the_directory_is_404(partner, person):
    hidden = CompanyFactory(consent_to_partners=True)  # an applicant: not enrolled
    body = {"company": hidden.pk, "person": person.pk}
    assert partner.post("/api/v1/interests/", body, format="json").status_code == 404
    assert not PartnerInterest.objects.exists()


def test_an_approved_listing_is_announced_to_subscribed_partners_once(person, company, founder):
    from tests.api.keys import a_manager

    endpoint, _secret = webhook_endpoint_create(
        actor=person.organisation,
        organisation=person.organisation,
        url="https://127.0.0.1:8443/h",
        event_types=["listing.published"],
    )
    listing = TechnologyListingFactory(company=company, status=TechnologyListing.Status.SUBMITTED)
    services.listing_approve(actor=a_manager(), listing=listing)
    rows = OutboxMessage.objects.filter(channel="webhook", recipient=f"webhook:{endpoint.pk}")
    assert rows.count() == 1
    assert rows.get().payload["data"]["listing"] == listing.pk


def test_an_id_that_does_not_exist_answers_as_one_out_of_sight(partner, person, company):
    # Both 404 alike: a 400 "object does not exist" for the one only told which ids exist.
    hidden = CompanyFactory(consent_to_partners=False)
    draft = TechnologyListingFactory(company=company, status=TechnologyListing.Status.SUBMITTED)
    stranger = PartnerPersonFactory()
    calls = {
        "/api/v1/interests/": [
            {"company": hidden.pk, "person": person.pk},
            {"company": 2**40, "person": person.pk},
            {"company": company.pk, "person": stranger.pk},
            {"company": company.pk, "person": 2**40},
        ],
        "/api/v1/inquiries/": [
            {"listing": draft.pk, "person": person.pk, "message": "Hello"},
            {"listing": 2**40, "person": person.pk, "message": "Hello"},
        ],
    }
    for url, bodies in calls.items():
        answers = [partner.post(url, body, format="json") for body in bodies]
        assert [a.status_code for a in answers] == [404] * len(bodies), url
        assert len({a.content for a in answers}) == 1, url
    assert not PartnerInterest.objects.exists() and not TechnologyInquiry.objects.exists()


def test_marking_an_interest_again_changes_its_note_and_answers_200(partner, person, company):
    colleague = PartnerPersonFactory(organisation=person.organisation)
    first = partner.post(
        "/api/v1/interests/", {"company": company.pk, "person": person.pk}, format="json"
    )
    again = partner.post(
        "/api/v1/interests/",
        {"company": company.pk, "person": colleague.pk, "note": "Second look."},
        format="json",
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["person"] == person.pk  # the one who marked it
    assert again.json()["note"] == "Second look."


def test_a_listing_without_a_patent_gives_null_as_its_schema_says(partner, listing):
    from incubator.api.schema import PublicSchemaGenerator

    field = PublicSchemaGenerator().get_schema(public=True)["components"]["schemas"]["Listing"]
    row = partner.get(f"/api/v1/technologies/{listing.pk}/").json()

    assert listing.patent_id is None and row["patent_number"] is None
    assert field["properties"]["patent_number"].get("nullable") is True


def test_a_note_or_a_message_over_2000_characters_is_a_400_and_e_mails_nobody(
    partner, person, company, listing
):
    # A 2.4 MB note went out in three e-mails of 14.8 MB each, and came back on every list.
    before = OutboxMessage.objects.count()
    note = partner.post(
        "/api/v1/interests/",
        {"company": company.pk, "person": person.pk, "note": "한" * 2001},
        format="json",
    )
    message = partner.post(
        "/api/v1/inquiries/",
        {"listing": listing.pk, "person": person.pk, "message": "中" * 2001},
        format="json",
    )

    for answer, field in ((note, "note"), (message, "message")):
        assert answer.status_code == 400
        assert answer.json()["fields"] == {
            field: ["Ensure this field has no more than 2000 characters."]
        }
    assert not PartnerInterest.objects.exists() and not TechnologyInquiry.objects.exists()
    assert OutboxMessage.objects.count() == before
    fitting = {"listing": listing.pk, "person": person.pk, "message": "中" * 2000}
    assert partner.post("/api/v1/inquiries/", fitting, format="json").status_code == 201


def test_the_schema_says_how_long_a_note_or_a_message_may_be():
    from incubator.api.schema import PublicSchemaGenerator

    schemas = PublicSchemaGenerator().get_schema(public=True)["components"]["schemas"]
    assert schemas["InterestRequest"]["properties"]["note"]["maxLength"] == 2000
    assert schemas["InquiryRequest"]["properties"]["message"]["maxLength"] == 2000


def test_the_services_refuse_a_longer_text_whoever_calls_them(person, company, listing):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        partner_services.inquiry_send(actor=person.user, listing=listing, message="x" * 2001)
    assert set(refused.value.message_dict) == {"message"}
    with pytest.raises(ValidationError):
        partner_services.interest_mark(actor=person.user, company=company, note="x" * 2001)


def test_marking_an_interest_again_without_a_note_keeps_its_note(partner, person, company):
    colleague = PartnerPersonFactory(organisation=person.organisation)
    url, body = "/api/v1/interests/", {"company": company.pk, "person": person.pk}
    first = partner.post(url, {**body, "note": "관심 있습니다 很感兴趣"}, format="json")

    again = partner.post(url, {**body, "person": colleague.pk}, format="json")
    cleared = partner.post(url, {**body, "note": ""}, format="json")

    assert (first.status_code, again.status_code, cleared.status_code) == (201, 200, 200)
    assert again.json()["note"] == "관심 있습니다 很感兴趣"
    assert cleared.json()["note"] == ""  # an empty note, said so, clears it


def test_the_schema_gives_marking_again_its_200():
    from incubator.api.schema import PublicSchemaGenerator

    schema = PublicSchemaGenerator().get_schema(public=True)
    responses = schema["paths"]["/api/v1/interests/"]["post"]["responses"]
    assert {"200", "201"} <= set(responses)
    assert (
        responses["200"]["content"]["application/json"]["schema"]
        == (responses["201"]["content"]["application/json"]["schema"])
    )


def test_a_second_open_inquiry_gives_its_reason(partner, person, listing):
    body = {"listing": listing.pk, "person": person.pk, "message": "Terms?"}
    assert partner.post("/api/v1/inquiries/", body, format="json").status_code == 201
    again = partner.post("/api/v1/inquiries/", body, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "conflict" and again.json()["reason"] == "open_inquiry"


def test_listings_are_ordered_by_their_publication(partner, company):
    older, newer = (
        TechnologyListingFactory(company=company, status=TechnologyListing.Status.APPROVED)
        for _ in range(2)
    )
    now = timezone.now()
    TechnologyListing.objects.filter(pk=older.pk).update(reviewed_at=now.replace(year=2025))
    TechnologyListing.objects.filter(pk=newer.pk).update(reviewed_at=now)
    rows = partner.get("/api/v1/technologies/?ordering=published_at").json()["results"]
    assert [row["id"] for row in rows] == [older.pk, newer.pk]
    rows = partner.get("/api/v1/technologies/").json()["results"]
    assert [row["id"] for row in rows] == [newer.pk, older.pk]  # the latest first
