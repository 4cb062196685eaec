"""The reminders of programs, on a frozen clock: drafts left 3 days, intakes closing in 3
days, milestones due in 7 days and overdue, quarterly reports due and again every 7 days
until filed, service requests past their target date, and the staff's weekly digest.

Reminders about dates go out at 09:00 in the center's zone (Asia/Shanghai): 01:00 UTC.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from companies.models import Lead
from incubator import reminders, roles
from incubator.models import OutboxMessage
from incubator.services import render_message
from programs import stages
from programs.admissions import services as admissions_services
from programs.concierge.models import ServiceRequest
from programs.journey import services as journey_services
from tests.companies.factories import (
    ApplicationFactory,
    CompanyFactory,
    IntakeFactory,
    MembershipFactory,
    StaffFactory,
)
from tests.conftest import shows_time
from tests.programs.conftest import enroll, enroll_since, staff_in
from tests.programs.factories import CohortFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 12, 20, 0, 0), tick=False) as traveller:
        yield traveller


def sweep(clock, moment: dt.datetime, code: str) -> int:
    clock.move_to(moment)
    return reminders.reminders_sweep(codes=[code]).written


def rows(code: str):
    return OutboxMessage.objects.filter(dedupe_key__startswith=f"reminder:{code}:")


# --- Quarterly reports (moved from test_services; now the sweep asks) ---------------------


@pytest.fixture
def old_enrollment(clock, company, officer):
    clock.move_to(at(2026, 12, 1, 1, 0))
    return enroll_since(company, officer, dt.date(2025, 11, 1))


def report(company, actor, year, quarter):
    return journey_services.quarterly_report_submit(
        company=company,
        actor=actor,
        year=year,
        quarter=quarter,
        revenue=Decimal("250000"),
        revenue_currency="CNY",
        employees_china=4,
        employees_korea=9,
        funding_raised=Decimal("0"),
        funding_currency="KRW",
        customers_china=3,
    )


def test_the_quarterly_report_is_asked_once_then_again_every_7_days_until_filed(
    clock, old_enrollment, member
):
    colleague = MembershipFactory(company=old_enrollment.company).user
    enroll(CompanyFactory(), CohortFactory(), member, "No members: nobody to ask.")

    assert sweep(clock, at(2027, 1, 1, 0, 59), "quarterly_report_due") == 0
    assert sweep(clock, at(2027, 1, 1, 1, 0), "quarterly_report_due") == 2
    assert sweep(clock, at(2027, 1, 1, 1, 5), "quarterly_report_due") == 0
    due = rows("quarterly_report_due")
    assert {m.recipient for m in due} == {member.email, colleague.email}
    assert {(m.payload["year"], m.payload["quarter"], m.payload["overdue_days"]) for m in due} == {
        (2026, 4, 0)
    }
    # Not on the days between; again a week later, saying it is overdue (in Korean).
    assert sweep(clock, at(2027, 1, 5, 1, 0), "quarterly_report_due") == 0
    assert sweep(clock, at(2027, 1, 8, 1, 0), "quarterly_report_due") == 2
    late = rows("quarterly_report_due").get(recipient=member.email, payload__overdue_days=7)
    assert "기한이 지났습니다" in render_message(late).subject

    # Filed: no reminder for that quarter any more.
    report(old_enrollment.company, member, 2026, 4)
    assert sweep(clock, at(2027, 1, 15, 1, 0), "quarterly_report_due") == 0


# --- Milestones ---------------------------------------------------------------------------


@pytest.fixture
def milestones(clock, company, cohort, officer):
    enrollment = enroll(company, cohort, officer)
    soon, late, later_stage = list(enrollment.milestones.order_by("position"))[:3]
    soon.due_on, late.due_on = dt.date(2026, 12, 27), dt.date(2026, 12, 19)
    later_stage.due_on, later_stage.stage = dt.date(2026, 12, 19), stages.ACCELERATION
    for milestone in (soon, late, later_stage):
        milestone.save(update_fields=["due_on", "stage"])
    return soon, late, later_stage


def test_a_milestone_is_reminded_7_days_before_and_the_morning_after_its_date(
    clock, milestones, member
):
    soon, late, _later_stage = milestones
    assert sweep(clock, at(2026, 12, 20, 0, 59), "milestone_due") == 0
    assert sweep(clock, at(2026, 12, 20, 1, 0), "milestone_due") == 1
    assert rows("milestone_due").get().payload["milestone"] == soon.title_ko
    # Overdue: the incubation milestone, not the one of a stage not reached yet.
    assert sweep(clock, at(2026, 12, 20, 1, 0), "milestone_overdue") == 1
    message = rows("milestone_overdue").get()
    assert (message.recipient, message.payload["due_on"]) == (member.email, "2026-12-19")
    assert "2026-12-19" in render_message(message).body
    assert sweep(clock, at(2026, 12, 20, 6, 0), "milestone_overdue") == 0


def test_a_done_milestone_is_not_reminded(clock, milestones):
    soon, late, _ = milestones
    type(soon).objects.filter(pk__in=[soon.pk, late.pk]).update(
        done_at=at(2026, 12, 18, 0, 0), evidence="Signed."
    )
    assert sweep(clock, at(2026, 12, 20, 1, 0), "milestone_due") == 0
    assert sweep(clock, at(2026, 12, 20, 1, 0), "milestone_overdue") == 0


# --- Admissions ---------------------------------------------------------------------------


def test_a_draft_left_for_3_days_is_reminded_to_the_companys_members(clock, company, member):
    clock.move_to(at(2026, 12, 17, 3, 0))
    intake = IntakeFactory(closes_at=at(2027, 1, 31, 0, 0))
    draft = ApplicationFactory(company=company, intake=intake)
    ApplicationFactory(intake=intake, status="submitted")
    assert sweep(clock, at(2026, 12, 20, 2, 59), "application_draft") == 0
    assert sweep(clock, at(2026, 12, 20, 3, 0), "application_draft") == 1
    message = rows("application_draft").get()
    assert message.recipient == member.email
    assert message.payload["path"] == f"/portal/applications/{draft.pk}/continue/"
    # The intake closes at 08:00 CST, 09:00 KST for the Korean member.
    assert shows_time(message.payload["closes_at"], "2027-01-31 08:00", "CST")
    assert shows_time(message.payload["closes_at"], "09:00", "KST")


def test_an_intake_closing_in_3_days_reminds_companies_with_a_draft_only(clock, company, member):
    clock.move_to(at(2026, 12, 1, 0, 0))
    intake = IntakeFactory(closes_at=at(2026, 12, 23, 4, 0))
    ApplicationFactory(company=company, intake=intake)
    submitted = MembershipFactory().company
    ApplicationFactory(company=submitted, intake=intake, status="submitted")
    assert sweep(clock, at(2026, 12, 20, 3, 59), "intake_closing") == 0
    assert sweep(clock, at(2026, 12, 20, 4, 0), "intake_closing") == 1
    assert rows("intake_closing").get().recipient == member.email
    assert "3" in render_message(rows("intake_closing").get()).subject


def test_a_draft_the_center_returned_is_not_rushed_by_the_intake_closing(
    clock, company, member, officer
):
    clock.move_to(at(2026, 12, 1, 0, 0))
    intake = IntakeFactory(closes_at=at(2026, 12, 23, 4, 0))
    ApplicationFactory(company=company, intake=intake)
    returned = ApplicationFactory(
        company=MembershipFactory().company, intake=intake, status="submitted"
    )
    admissions_services.application_return(
        application=returned, actor=officer, message="Add the patent certificate."
    )
    # Its company may submit after the deadline: no reminder presses it.
    assert sweep(clock, at(2026, 12, 20, 4, 0), "intake_closing") == 1
    assert rows("intake_closing").get().recipient == member.email


def test_a_request_for_information_unanswered_for_3_days_is_reminded_once_per_request(
    clock, company, member, officer
):
    clock.move_to(at(2026, 12, 17, 3, 0))
    application = ApplicationFactory(company=company, status="submitted")
    admissions_services.application_return(
        application=application, actor=officer, message="Add the patent certificate."
    )
    assert sweep(clock, at(2026, 12, 20, 2, 59), "application_unanswered") == 0
    assert sweep(clock, at(2026, 12, 20, 3, 0), "application_unanswered") == 1
    message = rows("application_unanswered").get()
    assert (message.recipient, message.language) == (member.email, "ko")
    assert message.payload["path"] == f"/portal/applications/{application.pk}/"
    assert company.name_ko in render_message(message).subject
    assert sweep(clock, at(2026, 12, 21, 3, 0), "application_unanswered") == 0

    # Answered, then asked again: the new question is reminded in its turn.
    admissions_services.application_submit(application=application, user=member)
    clock.move_to(at(2026, 12, 22, 3, 0))
    admissions_services.application_return(
        application=application, actor=officer, message="Explain the 2024 revenue."
    )
    assert sweep(clock, at(2026, 12, 25, 3, 0), "application_unanswered") == 1
    assert rows("application_unanswered").count() == 2


# --- Service requests and the staff digest ------------------------------------------------


@pytest.fixture
def overdue_request(clock, company, officer):
    return ServiceRequest.objects.create(
        company=company,
        kind="visa",
        subject="Visa for the CTO",
        owner=officer,
        due_on=dt.date(2026, 12, 19),
    )


def test_a_request_past_its_target_date_is_told_to_its_owner_and_the_managers(
    clock, overdue_request, officer, manager
):
    ServiceRequest.objects.create(
        company=overdue_request.company,
        kind="tax",
        subject="Done already",
        owner=officer,
        due_on=dt.date(2026, 12, 19),
        status="resolved",
    )
    assert sweep(clock, at(2026, 12, 20, 0, 59), "service_request_overdue") == 0
    assert sweep(clock, at(2026, 12, 20, 1, 0), "service_request_overdue") == 2
    by_recipient = {m.recipient: m for m in rows("service_request_overdue")}
    assert set(by_recipient) == {officer.email, manager.email}
    assert by_recipient[officer.email].language == "zh-hans"
    assert f"#{overdue_request.pk}" in render_message(by_recipient[officer.email]).subject
    assert sweep(clock, at(2026, 12, 20, 1, 5), "service_request_overdue") == 0


def test_the_weekly_digest_goes_on_monday_morning_in_each_staff_members_zone(
    clock, overdue_request, officer
):
    Lead.objects.create(
        company_name="Lead Co",
        source="roadshow",
        owner=officer,
        next_step="Call back",
        next_step_on=dt.date(2026, 12, 15),
    )
    korean_staff = staff_in(roles.PROGRAM_OFFICER, time_zone="Asia/Seoul")
    ServiceRequest.objects.create(
        company=overdue_request.company,
        kind="ip",
        subject="Trademark",
        owner=korean_staff,
        due_on=dt.date(2026, 12, 1),
    )
    StaffFactory()  # nothing overdue: no digest
    # Monday 21 December, 08:00 KST is Sunday 23:00 UTC; 08:00 CST is 00:00 UTC.
    assert sweep(clock, at(2026, 12, 20, 22, 59), "staff_digest") == 0
    assert sweep(clock, at(2026, 12, 20, 23, 0), "staff_digest") == 1
    assert rows("staff_digest").get().recipient == korean_staff.email
    assert sweep(clock, at(2026, 12, 21, 0, 0), "staff_digest") == 1
    digest = rows("staff_digest").get(recipient=officer.email)
    assert [r["subject"] for r in digest.payload["requests"]] == [
        f"#{overdue_request.pk} Visa for the CTO"
    ]
    assert [lead["company"] for lead in digest.payload["leads"]] == ["Lead Co"]
    assert "Lead Co" in render_message(digest).body
    assert sweep(clock, at(2026, 12, 22, 0, 0), "staff_digest") == 0
