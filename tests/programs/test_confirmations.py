"""A button that cannot be taken back asks first: its data-confirm holds the question, which
the site's script puts to confirm(); the form itself posts with or without the script."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies import services as company_services
from companies.models import Document
from events.models import Registration
from programs.concierge import services as concierge_services
from tests.companies.factories import (
    ApplicationFactory,
    CertificationFactory,
    FundingRoundFactory,
    MarketValidationFactory,
    PatentFactory,
    TechnologyListingFactory,
)
from tests.events.factories import EventFactory, StartupRegistrationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class _PostedButtons(HTMLParser):
    """The data-confirm of each submit button, by the action of the POST form it is in."""

    def __init__(self):
        super().__init__()
        self.confirm, self._action = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self._action = attrs.get("action")
        elif tag == "button" and self._action and attrs.get("type", "submit") == "submit":
            self.confirm[self._action] = attrs.get("data-confirm")

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None


def confirmations(response) -> dict:
    assert response.status_code == 200
    parser = _PostedButtons()
    parser.feed(response.content.decode())
    return parser.confirm


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    client.cookies["lang"] = "en"
    return client


def test_deleting_any_evidence_of_a_draft_asks_first(signed_in, company, member):
    application = ApplicationFactory(company=company, created_by=member)
    patent = PatentFactory(company=company, number="10-2020-0012345")
    funding = FundingRoundFactory(company=company)
    market = MarketValidationFactory(company=company, description='Pilot with "Hanbit" & co')
    certification = CertificationFactory(company=company)
    document = company_services.document_upload(
        company=company,
        uploaded_file=SimpleUploadedFile("pitch.pdf", PDF),
        kind=Document.Kind.PITCH,
        user=member,
        max_bytes=10_000_000,
    )
    pages = {
        "patents": [("patent", patent)],
        "financing": [("funding", funding), ("market", market)],
        "certifications": [("certification", certification)],
        "documents": [("document", document)],
    }
    for step, entries in pages.items():
        page = signed_in.get(reverse("programs:application-step", args=[application.pk, step]))
        asked = confirmations(page)
        for kind, entry in entries:
            entry.refresh_from_db()  # its amount as the page reads it: 500000000.00
            url = reverse("programs:evidence-delete", args=[application.pk, kind, entry.pk])
            assert asked[url] == f"Delete {entry}? This cannot be undone.", (step, kind)


def test_cancelling_a_registration_or_leaving_the_waitlist_asks_first(signed_in, member):
    registered = StartupRegistrationFactory(membership=member.membership)
    waitlisted = StartupRegistrationFactory(
        membership=member.membership,
        event=EventFactory(title_en="Seoul demo day"),
        status=Registration.Status.WAITLISTED,
        waitlist_position=1,
    )
    for registration, question in (
        (registered, f"Cancel your registration for {registered.event.title_en}?"),
        (waitlisted, "Leave the waitlist of Seoul demo day?"),
    ):
        page = signed_in.get(reverse("events:event-detail", args=[registration.event_id]))
        cancel = reverse("events:registration-cancel", args=[registration.event_id])
        assert confirmations(page)[cancel] == question


def test_closing_a_service_request_asks_first(signed_in, enrollment, member):
    service_request = concierge_services.service_request_open(
        company=enrollment.company, kind="tax", subject="VAT", body="How?", actor=member
    )
    page = signed_in.get(reverse("programs:request-detail", args=[service_request.pk]))
    close = reverse("programs:request-close", args=[service_request.pk])
    assert confirmations(page)[close] == "Close this request? A closed request cannot be reopened."


def test_withdrawing_a_technology_listing_asks_first(signed_in, company, member):
    listing = TechnologyListingFactory(
        company=company, created_by=member, title_en="Speech <engine> for phones"
    )
    page = signed_in.get(reverse("companies:listing-list"))
    withdraw = reverse("companies:listing-withdraw", args=[listing.pk])
    assert confirmations(page)[withdraw] == (
        "Withdraw Speech <engine> for phones? Withdrawing is final: the listing cannot be "
        "submitted again, only copied into a new draft."
    )
    assert 'data-confirm="Withdraw Speech &lt;engine&gt;' in page.content.decode()
