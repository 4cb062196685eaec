"""The admin changelists cost the same number of queries whatever the page size."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from companies.models import Certification, Company, FundingRound, Lead, Patent
from incubator import roles
from programs.admissions.models import Application, ScreeningPolicy
from tests.companies.factories import (
    CertificationFactory,
    CompanyFactory,
    FundingRoundFactory,
    IntakeFactory,
    PatentFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    roles.sync_role_permissions()  # the groups may have been flushed by a transactional test
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=roles.PROGRAM_OFFICER))
    client.force_login(user)
    return user


def companies_with_evidence(count):
    """`count` companies, each with a patent, a funding round and a certification."""
    companies = Company.objects.bulk_create(CompanyFactory.build_batch(count))
    Patent.objects.bulk_create([PatentFactory.build(company=c) for c in companies])
    FundingRound.objects.bulk_create([FundingRoundFactory.build(company=c) for c in companies])
    Certification.objects.bulk_create([CertificationFactory.build(company=c) for c in companies])
    return companies


def applications(count, officer):
    """`count` screened applications over two intakes, half of them decided."""
    policy = ScreeningPolicy.objects.order_by("version").first() or ScreeningPolicy.objects.create(
        version=1, effective_from=timezone.now() - dt.timedelta(days=1)
    )
    intakes = [IntakeFactory(), IntakeFactory()]
    now = timezone.now()
    Application.objects.bulk_create(
        [
            Application(
                company=company,
                intake=intakes[n % 2],
                status="submitted" if n % 2 else "accepted",
                submitted_at=now - dt.timedelta(hours=n),
                policy=policy,
                screening={"criteria": [], "recommendation": "meets_all", "score": 90.0},
                recommendation="meets_all",
                score=90 + n % 10,
                screened_at=now,
                decided_by=None if n % 2 else officer,
                decided_at=None if n % 2 else now,
                decision_reason="" if n % 2 else "Fits the program.",
            )
            for n, company in enumerate(companies_with_evidence(count))
        ]
    )


def leads(count, officer):
    referrer = CompanyFactory()
    Lead.objects.bulk_create(
        [
            Lead(
                company_name=f"Lead {n}",
                source=Lead.Source.REFERRAL,
                referred_by=referrer,
                owner=officer,
                next_step="Call",
                next_step_on=timezone.localdate() - dt.timedelta(days=n - 5),
            )
            for n in range(count)
        ]
    )


def queries_for(client, url, rows):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        (
            "admin:companies_company_changelist",
            lambda count, officer: companies_with_evidence(count),
        ),
        ("admin:programs_application_changelist", applications),
        ("admin:companies_lead_changelist", leads),
    ],
    ids=["companies", "applications", "leads"],
)
def test_a_changelist_costs_the_same_queries_for_10_and_50_rows(client, officer, url_name, make):
    url = reverse(url_name)
    make(10, officer)
    with_10 = queries_for(client, url, 10)

    make(40, officer)
    with_50 = queries_for(client, url, 50)

    assert with_50 == with_10


def test_the_members_inline_names_each_chosen_person_without_a_query_per_member(client):
    from companies.models import Membership
    from tests.companies.factories import UserFactory

    roles.sync_role_permissions()
    manager = StaffFactory()
    manager.groups.add(Group.objects.get(name=roles.CENTER_MANAGER))
    client.force_login(manager)
    company = CompanyFactory()
    url = reverse("admin:companies_company_change", args=[company.pk])

    def members_page():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        return page, len(queries)

    Membership.objects.create(user=UserFactory(email="first@alpha.example.kr"), company=company)
    members_page()  # the first page of the test loads the permissions and content types
    _, with_one = members_page()
    for n in range(3):
        Membership.objects.create(user=UserFactory(email=f"m{n}@alpha.example.kr"), company=company)
    page, with_four = members_page()
    assert with_four == with_one
    for email in ("first@alpha.example.kr", "m0@alpha.example.kr", "m2@alpha.example.kr"):
        user = Membership.objects.get(user__email=email).user
        assert f'<option value="{user.pk}" selected>{user}</option>' in page
