"""The exchange's demo data: loaded with the companies' demo, twice without change."""

import pytest
from django.test import Client
from django.urls import reverse

from companies import demo as companies_demo
from companies.exchange.models import PartnerInterest, TechnologyInquiry, TechnologyListing
from incubator import demo as incubator_demo
from incubator import roles
from incubator.models import User

pytestmark = pytest.mark.django_db


def load():
    roles.sync_role_permissions()  # the staff's groups, which a transactional test may flush
    incubator_demo.load_staff()
    companies_demo.load()


def test_the_demo_has_listings_an_inquiry_and_an_interest_and_loads_twice():
    load()
    counts = (
        TechnologyListing.objects.count(),
        TechnologyInquiry.objects.count(),
        PartnerInterest.objects.count(),
    )
    load()
    assert counts == (3, 1, 1)
    assert (
        TechnologyListing.objects.count(),
        TechnologyInquiry.objects.count(),
        PartnerInterest.objects.count(),
    ) == counts
    statuses = sorted(TechnologyListing.objects.values_list("status", flat=True))
    assert statuses == ["approved", "approved", "submitted"]
    inquiry = TechnologyInquiry.objects.select_related("person__user", "listing").get()
    assert inquiry.person.user.email == companies_demo.INVESTOR_EMAIL
    assert inquiry.status == "sent" and inquiry.listing.status == "approved"
    interest = PartnerInterest.objects.get()
    assert interest.organisation == inquiry.organisation and interest.is_active

    # The startup sees the inquiry in its portal, in Korean; the investor finds the listings.
    founder = inquiry.listing.company.memberships.get(role="owner").user
    client = Client()
    client.force_login(founder)
    client.cookies["lang"] = "ko"
    page = client.get(reverse("companies:inquiry-list")).content.decode()
    assert "협동로봇 관절 토크 제어 특허" in page and "답변 필요" in page
    client.force_login(User.objects.get(email=companies_demo.INVESTOR_EMAIL))
    page = client.get(reverse("companies:exchange-browse")).content.decode()
    assert page.count('class="card" data-listing=') == 2
