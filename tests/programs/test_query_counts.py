"""List pages cost the same number of queries whatever the number of rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs import stages
from programs.concierge import services as concierge_services
from programs.journey import services as journey_services
from programs.models import FundApplication, QuarterlyReport
from tests.companies.factories import CompanyFactory
from tests.programs.conftest import enroll, enroll_since
from tests.programs.factories import CohortFactory, FundCallFactory

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def add_requests(company, actor, count):
    for n in range(count):
        concierge_services.service_request_open(
            company=company, kind="visa", subject=f"Visa {n}", body="Help.", actor=actor
        )


def add_reports(enrollment, count):
    last = enrollment.quarterly_reports.order_by("year", "quarter").last()
    quarter = last.period.next() if last else stages.quarter_of(enrollment.started_on)
    for _ in range(count):
        QuarterlyReport.objects.create(
            company=enrollment.company,
            enrollment=enrollment,
            year=quarter.year,
            quarter=quarter.quarter,
            revenue=Decimal(1000),
            revenue_currency="CNY",
            employees_china=1,
            employees_korea=1,
            funding_raised=Decimal(0),
            funding_currency="CNY",
            customers_china=1,
        )
        quarter = quarter.next()


def add_fund_applications(enrollment, count):
    for _ in range(count):
        FundApplication.objects.create(
            call=FundCallFactory(),
            company=enrollment.company,
            enrollment=enrollment,
            amount_requested=Decimal(100),
            purpose="x",
        )


@pytest.fixture
def old_enrollment(company, officer):
    return enroll_since(company, officer, timezone.localdate() - dt.timedelta(days=900))


def test_the_journey_does_not_grow_with_requests_reports_and_grants(
    client, member, old_enrollment, officer
):
    client.force_login(member)
    add_requests(old_enrollment.company, member, 1)
    add_reports(old_enrollment, 1)
    add_fund_applications(old_enrollment, 1)
    few = queries(client, "/portal/journey/")
    add_requests(old_enrollment.company, member, 6)
    add_reports(old_enrollment, 5)
    add_fund_applications(old_enrollment, 4)
    # session + user + membership + company, the enrollment, milestones, reports, then
    # (as the template reaches them) transitions, requests, grants + disbursements, calls,
    # local entities; savepoints of the test client aside.
    assert queries(client, "/portal/journey/") == few


def test_the_request_list_does_not_grow(client, member, enrollment):
    client.force_login(member)
    add_requests(enrollment.company, member, 2)
    few = queries(client, reverse("programs:request-list"))
    add_requests(enrollment.company, member, 8)
    assert queries(client, reverse("programs:request-list")) == few


def test_a_request_thread_does_not_grow(client, member, enrollment, officer):
    client.force_login(member)
    add_requests(enrollment.company, member, 1)
    service_request = enrollment.company.service_requests.get()
    url = reverse("programs:request-detail", args=[service_request.pk])
    few = queries(client, url)
    for n in range(6):
        concierge_services.service_request_reply(
            service_request=service_request, actor=officer if n % 2 else member, body=f"#{n}"
        )
    assert queries(client, url) == few


def enroll_many(count, officer):
    cohort = CohortFactory()
    for _ in range(count):
        enrollment = enroll(CompanyFactory(), cohort, officer)
        add_requests(enrollment.company, officer, 1)


def test_the_pipeline_board_does_not_grow(client, officer):
    client.force_login(officer)
    url = reverse("admin:programs_enrollment_pipeline")
    enroll_many(2, officer)
    few = queries(client, url)
    enroll_many(8, officer)
    assert queries(client, url) == few


@pytest.mark.parametrize(
    "name", ["enrollment", "milestone", "servicerequest", "fundapplication", "quarterlyreport"]
)
def test_the_admin_lists_do_not_grow(client, officer, name):
    client.force_login(officer)
    url = reverse(f"admin:programs_{name}_changelist")

    def add(count):
        cohort = CohortFactory(starts_on=timezone.localdate() - dt.timedelta(days=800))
        for _ in range(count):
            enrollment = journey_services.enrollment_create(
                company=CompanyFactory(),
                cohort=cohort,
                actor=officer,
                reason="x",
                started_on=cohort.starts_on,
            )
            add_requests(enrollment.company, officer, 1)
            add_reports(enrollment, 1)
            add_fund_applications(enrollment, 1)

    add(2)
    few = queries(client, url)
    add(6)
    assert queries(client, url) == few
