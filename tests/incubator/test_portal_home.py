"""Each portal role lands on its own home, and the header links to what that role uses.

The rule is one (incubator.portal, filled by the apps): the sign-in, /portal/ and the
header ask it, so the three agree.
"""

import re

import pytest
from django.urls import reverse

from events.judging.models import CompetitionEntry, CompetitionRound, JudgeAssignment
from events.models import Event
from incubator.portal import portal_home
from programs.journey import services as journey
from tests.companies.factories import (
    PASSWORD,
    ApplicationFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)
from tests.events.factories import EventFactory, PartnerPersonFactory
from tests.programs.factories import CohortFactory

pytestmark = pytest.mark.django_db


def judge():
    event = EventFactory(kind=Event.Kind.COMPETITION, meeting_tables=0, interpreters_per_slot=0)
    round_ = CompetitionRound.objects.create(event=event, name_en="Final")
    entry = CompetitionEntry.objects.create(
        round=round_, company=MembershipFactory().company, title="Alpha robot"
    )
    return JudgeAssignment.objects.create(entry=entry, judge=UserFactory()).judge


def applicant():
    membership = MembershipFactory()
    application = ApplicationFactory(company=membership.company)
    return membership.user, reverse("programs:application-resume", args=[application.pk])


def enrolled():
    membership = MembershipFactory()
    journey.enrollment_create(
        company=membership.company, cohort=CohortFactory(), actor=None, reason="Resident."
    )
    return membership.user


def header_links(html: str) -> list[str]:
    return re.findall(r'data-portal-link="([^"]+)"', html)


def sign_in(client, user, **extra):
    return client.post(
        reverse("portal:login") + extra.pop("query", ""),
        {"username": user.email, "password": PASSWORD},
    )


@pytest.mark.parametrize(
    "make, home, links",
    [
        (judge, "/portal/judging/", ["judging"]),
        (lambda: PartnerPersonFactory().user, "/portal/events/mine/", None),
        (enrolled, "/portal/journey/", ["journey", "company", "technology"]),
        (lambda: MembershipFactory().user, "/portal/company/", ["company", "technology"]),
        (UserFactory, "/portal/company/", ["start"]),
        (StaffFactory, "/admin/", []),
    ],
    ids=["judge", "partner", "enrolled", "member", "newcomer", "staff"],
)
def test_each_role_signs_in_to_its_home_and_the_header_links_what_it_uses(
    client, make, home, links
):
    user = make()
    response = sign_in(client, user)
    assert response.status_code == 302 and response["Location"] == home
    assert client.get(reverse("portal:home"))["Location"] == home == portal_home(user)
    if user.is_staff:
        return
    page = client.get(home).content.decode()
    if links is None:  # a partner: their events, the exchange and the matching sessions
        links = ["my-events", "exchange", "matching"]
    assert header_links(page) == links
    assert f'href="{home}" data-portal-link="{links[0]}" aria-current="page"' in page


def test_an_applicant_lands_on_their_application_and_a_next_is_kept(client):
    user, path = applicant()
    assert sign_in(client, user)["Location"] == path
    assert header_links(client.get(reverse("programs:dashboard")).content.decode()) == [
        "application",
        "company",
        "technology",
    ]
    client.logout()
    response = sign_in(client, user, query="?next=/portal/events/")
    assert response["Location"] == "/portal/events/"


def test_a_judge_who_never_had_a_company_is_not_offered_to_register_one(client):
    client.force_login(judge())
    page = client.get(reverse("portal:home"), follow=True).content.decode()
    assert reverse("companies:company-create") not in page
    assert 'data-portal-link="judging"' in page


@pytest.mark.parametrize(
    "make, home",
    [(judge, "/portal/judging/"), (lambda: PartnerPersonFactory().user, "/portal/events/mine/")],
    ids=["judge", "partner"],
)
def test_a_partner_or_a_judge_who_opens_the_company_page_goes_home_not_to_the_start(
    client, make, home
):
    # The start page offers a startup's ways in, which a partner's person cannot take.
    client.force_login(make())
    response = client.get(reverse("programs:dashboard"))
    assert response.status_code == 302 and response["Location"] == home
