"""The exchange's staff side: the review page through the services, the read-only lists."""

import pytest
from django.urls import reverse

from companies.exchange import partner_services, services
from companies.exchange.models import TechnologyListing
from incubator.models import AuditRecord, OutboxMessage
from tests.companies.exchange.conftest import send
from tests.companies.factories import TechnologyListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(company, founder):
    listing = TechnologyListingFactory(company=company, title_en="Joint torque control")
    return services.listing_submit(actor=founder, listing=listing)


def review_url(listing):
    return reverse("admin:companies_technologylisting_review", args=[listing.pk])


def test_an_officer_approves_on_the_review_page(staff_client, officer, submitted, founder):
    client = staff_client(officer)
    change = client.get(reverse("admin:companies_technologylisting_change", args=[submitted.pk]))
    assert change.status_code == 200 and review_url(submitted) in change.content.decode()
    page = client.get(review_url(submitted))
    assert page.status_code == 200 and "Joint torque control" in page.content.decode()
    response = client.post(review_url(submitted), {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    listing = TechnologyListing.objects.get()
    assert (listing.status, listing.reviewed_by) == ("approved", officer)
    assert AuditRecord.objects.filter(verb="technology_listing.approve", actor=officer).exists()
    assert OutboxMessage.objects.filter(
        kind="technology_listing_reviewed", recipient=founder.email
    ).exists()


def test_rejecting_without_a_reason_shows_the_error(staff_client, manager, submitted):
    client = staff_client(manager)
    response = client.post(review_url(submitted), {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    assert "Tell the company why the listing is rejected." in response.content.decode()
    assert TechnologyListing.objects.get().status == "submitted"
    client.post(review_url(submitted), {"decision": "reject", "reason": "Add the royalty."})
    listing = TechnologyListing.objects.get()
    assert (listing.status, listing.review_reason) == ("rejected", "Add the royalty.")


def test_a_reviewed_listing_offers_no_decision(staff_client, manager, approved):
    client = staff_client(manager)
    page = client.get(review_url(approved))
    assert page.status_code == 200 and 'name="decision"' not in page.content.decode()
    client.post(review_url(approved), {"decision": "reject", "reason": "Too late."})
    assert TechnologyListing.objects.get().status == "approved"


@pytest.mark.parametrize("role", ["viewer", "coordinator"])
def test_the_viewer_and_the_coordinator_read_but_do_not_review(
    request, staff_client, role, submitted
):
    client = staff_client(request.getfixturevalue(role))
    change = client.get(reverse("admin:companies_technologylisting_change", args=[submitted.pk]))
    assert change.status_code == 200 and review_url(submitted) not in change.content.decode()
    assert client.get(review_url(submitted)).status_code == 403
    response = client.post(review_url(submitted), {"decision": "approve", "reason": ""})
    assert response.status_code == 403
    assert TechnologyListing.objects.get().status == "submitted"


def test_nobody_changes_a_listings_text_in_the_admin(staff_client, manager, submitted):
    client = staff_client(manager)
    url = reverse("admin:companies_technologylisting_change", args=[submitted.pk])
    assert client.post(url, {"title_en": "Rewritten by staff"}).status_code == 403
    assert client.get(reverse("admin:companies_technologylisting_add")).status_code == 403
    assert TechnologyListing.objects.get().title_en == "Joint torque control"


@pytest.mark.parametrize("role", ["manager", "officer", "coordinator", "viewer"])
def test_inquiries_and_interests_are_read_only_for_every_role(
    request, staff_client, role, approved, partner, company
):
    inquiry = send(partner, approved)
    interest = partner_services.interest_mark(actor=partner, company=company)
    client = staff_client(request.getfixturevalue(role))
    for model, obj in (("technologyinquiry", inquiry), ("partnerinterest", interest)):
        assert client.get(reverse(f"admin:companies_{model}_changelist")).status_code == 200
        change = reverse(f"admin:companies_{model}_change", args=[obj.pk])
        assert client.get(change).status_code == 200
        assert client.post(change, {}).status_code == 403
        assert client.get(reverse(f"admin:companies_{model}_add")).status_code == 403
        assert (
            client.get(reverse(f"admin:companies_{model}_delete", args=[obj.pk])).status_code == 403
        )


def test_approving_a_listing_of_a_company_without_consent_says_it_stays_hidden(
    staff_client, manager, submitted, company
):
    company.consent_to_partners = False
    company.save()
    client = staff_client(manager)
    page = client.get(review_url(submitted)).content.decode()
    assert "approve: hidden from partners until the company agrees to be shown" in page
    assert "approve: partners see it" not in page
    response = client.post(
        review_url(submitted), {"decision": "approve", "reason": ""}, follow=True
    )
    said = response.content.decode()
    assert "Partners do not see it until the company agrees to be shown to them" in said
    assert "partners see it." not in said
    assert TechnologyListing.objects.get().status == "approved"


def test_the_review_form_names_the_languages_the_companys_people_read(
    staff_client, officer, submitted, colleague
):
    # The founder reads Korean, the colleague English: the reason reaches both as written.
    page = staff_client(officer).get(review_url(submitted)).content.decode()
    assert "The company reads it; required to reject." in page
    assert "Recipients&#x27; languages: Korean, English." in page


def test_a_company_without_portal_accounts_is_said_to_receive_no_reason(staff_client, officer):
    listing = TechnologyListingFactory(status=TechnologyListing.Status.SUBMITTED)
    page = staff_client(officer).get(review_url(listing)).content.decode()
    assert "no one receives this reason by e-mail" in page


def test_the_admin_lists_the_deal_kinds_with_the_languages_separator(
    staff_client, officer, company
):
    TechnologyListingFactory(company=company, offers_joint_development=True)
    client = staff_client(officer)
    url = reverse("admin:companies_technologylisting_changelist")
    assert "Licensing, Joint development" in client.get(url).content.decode()
    client.cookies["lang"] = "zh-hans"
    assert "许可、联合开发" in client.get(url).content.decode()


def test_the_inquirys_accepted_column_says_the_portals_word_in_korean(
    staff_client, manager, approved, partner, founder
):
    inquiry = send(partner, approved)
    partner_services.inquiry_answer(
        actor=founder, inquiry=inquiry, answer="환영합니다.", accept=True
    )
    client = staff_client(manager)
    client.cookies["lang"] = "ko"
    page = client.get(reverse("admin:companies_technologyinquiry_changelist")).content.decode()
    assert "수락됨" in page  # as the startup's pages say, not an application's "승인됨"
    assert "승인됨" not in page
