"""The journey's services: enrollment, stages, milestones, local entities, requests, reports."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from incubator.models import AuditRecord, OutboxMessage
from programs import stages
from programs.admissions import services as admissions_services
from programs.admissions.models import Application
from programs.concierge import services as concierge_services
from programs.fund import services as fund_services
from programs.journey import services as journey_services
from programs.models import (
    Cohort,
    Enrollment,
    FundApplication,
    FundCall,
    LocalEntity,
    Milestone,
    MilestoneTemplate,
    QuarterlyReport,
    ServiceMessage,
    ServiceRequest,
    StageTransition,
)
from programs.stages import ACCELERATION, INCUBATION, WITHDRAWN
from tests.companies.factories import (
    ApplicationFactory,
    CompanyFactory,
    IntakeFactory,
    MembershipFactory,
)
from tests.programs.conftest import (
    OTHER_VALID_USCC,
    VALID_USCC,
    WRONG_CHECK_USCC,
    enroll,
    enroll_since,
)
from tests.programs.factories import CohortFactory
from tests.programs.test_stages import ALLOWED, REFUSED

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def entity_fields(**overrides):
    return {
        "name_zh": "哈尔滨韩光科技有限公司",
        "uscc": VALID_USCC,
        "registered_on": timezone.localdate() - dt.timedelta(days=3),
        "city": "Harbin (Binxian)",
        "registered_capital": Decimal("1000000"),
        "capital_currency": "CNY",
        **overrides,
    }


# --- Enrollment --------------------------------------------------------------------------


def test_accepting_an_application_enrolls_the_company_in_one_call(officer, member):
    intake = IntakeFactory()
    application = ApplicationFactory(
        company=member.membership.company, intake=intake, status=Application.Status.SUBMITTED
    )

    enrollment = admissions_services.application_accept(
        application=application, actor=officer, reason="Registered patents, a plan for Harbin."
    )

    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert enrollment.application == application
    assert enrollment.stage == INCUBATION
    assert enrollment.cohort.intake == intake and enrollment.cohort.program == intake.program
    # Without a cohort chosen, the intake's cohort; the same one for the next company.
    other = ApplicationFactory(intake=intake, status=Application.Status.SUBMITTED)
    assert (
        admissions_services.application_accept(
            application=other, actor=officer, reason="Also good."
        ).cohort
        == enrollment.cohort
    )
    codes = set(enrollment.milestones.values_list("code", flat=True))
    assert codes == {m.code for m in stages.DEFAULT_MILESTONES}
    entity = enrollment.milestones.get(code=stages.LOCAL_ENTITY_MILESTONE)
    assert entity.due_on == enrollment.started_on + dt.timedelta(days=120)
    first = enrollment.transitions.get()
    assert (first.from_stage, first.to_stage, first.actor) == ("", INCUBATION, officer)
    assert first.reason == "Registered patents, a plan for Harbin."
    assert OutboxMessage.objects.filter(kind="application_decided", recipient=member.email)


def test_the_decision_names_the_company_as_each_member_reads_it(officer):
    company = CompanyFactory(name_ko="블루웨이브센서", name_en="BlueWave Sensor", name_zh="")
    english = MembershipFactory(company=company, user__language="en").user
    korean = MembershipFactory(company=company, user__language="ko").user
    application = ApplicationFactory(company=company, status=Application.Status.SUBMITTED)

    admissions_services.application_accept(application=application, actor=officer, reason="Good.")

    sent = {
        m.recipient: m.payload for m in OutboxMessage.objects.filter(kind="application_decided")
    }
    assert sent[english.email]["company"] == "BlueWave Sensor"
    assert sent[korean.email]["company"] == "블루웨이브센서"


def test_accepting_into_a_cohort_of_another_program_changes_nothing(officer):
    application = ApplicationFactory(status=Application.Status.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        admissions_services.application_accept(
            application=application, actor=officer, reason="Good.", cohort=CohortFactory()
        )
    assert "cohort" in error.value.message_dict
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not Enrollment.objects.exists()


def test_a_company_enrolled_already_keeps_its_application_undecided(officer, enrollment):
    application = ApplicationFactory(
        company=enrollment.company, status=Application.Status.SUBMITTED
    )
    with pytest.raises(ValidationError, match="enrolled already"):
        admissions_services.application_accept(
            application=application, actor=officer, reason="Again."
        )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not application.events.filter(kind="decided").exists()
    assert Enrollment.objects.count() == 1


def test_the_database_refuses_a_second_open_enrollment(enrollment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(
            company=enrollment.company, cohort=CohortFactory(), started_on=timezone.localdate()
        )


def test_an_enrollment_from_a_past_date_is_in_incubation_since_that_date(company, officer):
    started_on = timezone.localdate() - dt.timedelta(days=400)

    enrollment = enroll_since(company, officer, started_on)

    first = enrollment.transitions.get()
    assert timezone.localdate(enrollment.stage_changed_at) == started_on
    assert first.created_at == enrollment.stage_changed_at
    assert Enrollment.objects.get(pk=enrollment.pk).stage_changed_at == first.created_at


def test_an_enrollment_from_today_is_in_incubation_since_now(company, officer):
    before = timezone.now()

    enrollment = enroll(company, CohortFactory(), officer)

    assert enrollment.stage_changed_at >= before
    assert enrollment.transitions.get().created_at == enrollment.stage_changed_at


def test_an_enrollment_before_its_cohort_starts_enters_incubation_with_the_cohort(company, officer):
    starts_on = timezone.localdate() + dt.timedelta(days=60)

    enrollment = enroll(company, CohortFactory(starts_on=starts_on), officer)

    # One start: the enrollment, its stage, its first step and its milestones' clock.
    assert enrollment.started_on == starts_on
    assert timezone.localdate(enrollment.stage_changed_at) == starts_on
    assert enrollment.transitions.get().created_at == enrollment.stage_changed_at
    milestone = enrollment.milestones.get(code=stages.LOCAL_ENTITY_MILESTONE)
    template = MilestoneTemplate.objects.get(code=stages.LOCAL_ENTITY_MILESTONE)
    assert milestone.due_on == starts_on + dt.timedelta(days=template.due_days)


def test_a_company_that_withdraws_before_its_cohort_starts_keeps_its_steps_in_order(
    company, officer
):
    enrollment = enroll(
        company, CohortFactory(starts_on=timezone.localdate() + dt.timedelta(days=60)), officer
    )

    journey_services.enrollment_advance(
        enrollment=enrollment, to_stage=WITHDRAWN, actor=officer, reason="Stays in Korea."
    )

    enrollment.refresh_from_db()
    now = timezone.now()
    steps = list(enrollment.transitions.order_by("created_at", "pk"))
    assert [step.to_stage for step in steps] == [INCUBATION, WITHDRAWN]
    assert all(step.created_at <= now for step in steps)
    assert enrollment.started_on == timezone.localdate() == enrollment.ended_on


# --- Stages: every allowed and every refused transition ------------------------------------------


def at_stage(enrollment, stage):
    """Put the enrollment in `stage` with its milestones done, as if it had got there."""
    Enrollment.objects.filter(pk=enrollment.pk).update(stage=stage)
    enrollment.milestones.update(done_at=timezone.now(), evidence="Done in the test.")
    enrollment.refresh_from_db()
    return enrollment


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_an_allowed_transition_is_kept_with_who_when_from_to_and_why(
    enrollment, officer, member, current, target
):
    at_stage(enrollment, current)
    before = timezone.now()

    moved = journey_services.enrollment_advance(
        enrollment=enrollment, to_stage=target, actor=officer, reason="Time to move on."
    )

    assert Enrollment.objects.get(pk=enrollment.pk).stage == target == moved.stage
    last = StageTransition.objects.filter(enrollment=enrollment).latest("created_at", "pk")
    assert (last.from_stage, last.to_stage, last.actor, last.reason) == (
        current,
        target,
        officer,
        "Time to move on.",
    )
    assert last.created_at >= before and not last.overridden
    assert (moved.ended_on is not None) == (target in stages.ENDED)
    message = OutboxMessage.objects.get(kind="enrollment_stage_changed")
    assert (message.recipient, message.language) == (member.email, "ko")
    assert message.payload["to_stage"] == target


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_a_refused_transition_changes_nothing(enrollment, manager, current, target):
    at_stage(enrollment, current)
    transitions = StageTransition.objects.count()

    with pytest.raises(ValidationError) as error:
        journey_services.enrollment_advance(
            enrollment=enrollment, to_stage=target, actor=manager, reason="Try.", override=True
        )

    assert error.value.code == "not_allowed"
    assert "cannot move to" in error.value.messages[0]
    assert Enrollment.objects.get(pk=enrollment.pk).stage == current
    assert StageTransition.objects.count() == transitions
    assert not OutboxMessage.objects.filter(kind="enrollment_stage_changed").exists()


def test_an_unknown_stage_is_refused(enrollment, officer):
    with pytest.raises(ValidationError):
        journey_services.enrollment_advance(
            enrollment=enrollment, to_stage="export", actor=officer, reason="?"
        )
    assert Enrollment.objects.get(pk=enrollment.pk).stage == INCUBATION


def test_leaving_incubation_needs_the_local_entity_milestone(enrollment, officer):
    with pytest.raises(ValidationError) as error, translation.override("en"):
        journey_services.enrollment_advance(
            enrollment=enrollment, to_stage=ACCELERATION, actor=officer, reason="Ready."
        )
    assert error.value.code == "milestones_open"
    assert "Local entity registered" in error.value.messages[0]
    assert Enrollment.objects.get(pk=enrollment.pk).stage == INCUBATION
    # The optional milestone (office moved in) does not hold the company back.
    Milestone.objects.filter(code=stages.LOCAL_ENTITY_MILESTONE).update(
        done_at=timezone.now(), evidence="Registered."
    )
    journey_services.enrollment_advance(
        enrollment=enrollment, to_stage=ACCELERATION, actor=officer, reason="Ready."
    )
    assert Enrollment.objects.get(pk=enrollment.pk).stage == ACCELERATION


def test_only_a_manager_overrides_the_milestones_and_the_override_is_on_record(
    enrollment, officer, manager
):
    with pytest.raises(PermissionDenied):
        journey_services.enrollment_advance(
            enrollment=enrollment,
            to_stage=ACCELERATION,
            actor=officer,
            reason="Investor first.",
            override=True,
        )
    assert Enrollment.objects.get(pk=enrollment.pk).stage == INCUBATION

    journey_services.enrollment_advance(
        enrollment=enrollment,
        to_stage=ACCELERATION,
        actor=manager,
        reason="An investor commits before the local company exists.",
        override=True,
    )
    last = enrollment.transitions.latest("created_at", "pk")
    assert last.overridden and last.actor == manager
    assert Enrollment.objects.get(pk=enrollment.pk).stage == ACCELERATION


def test_a_transition_needs_a_reason(enrollment, officer):
    with pytest.raises(ValidationError) as error:
        journey_services.enrollment_advance(
            enrollment=enrollment, to_stage=WITHDRAWN, actor=officer, reason="  "
        )
    assert "reason" in error.value.message_dict
    assert Enrollment.objects.get(pk=enrollment.pk).stage == INCUBATION


def test_a_withdrawn_company_may_enroll_again_later(enrollment, officer):
    journey_services.enrollment_advance(
        enrollment=enrollment, to_stage=WITHDRAWN, actor=officer, reason="Back to Korea."
    )
    again = enroll(enrollment.company, CohortFactory(), officer, "Came back.")
    assert again.stage == INCUBATION


# --- Milestones ----------------------------------------------------------------------------


def test_a_member_marks_a_milestone_done_with_evidence(enrollment, member):
    milestone = enrollment.milestones.get(code="office_moved_in")
    with pytest.raises(ValidationError):
        journey_services.milestone_complete(milestone=milestone, actor=member, evidence=" ")
    journey_services.milestone_complete(
        milestone=milestone,
        actor=member,
        evidence="Room 305, lease signed.",
        uploaded_file=SimpleUploadedFile("lease.pdf", PDF),
        max_bytes=10_000_000,
    )
    milestone.refresh_from_db()
    assert milestone.is_done and milestone.done_by == member
    assert milestone.evidence_name == "lease.pdf"
    assert milestone.evidence_file.name.startswith(f"milestones/{enrollment.company_id}/")
    with pytest.raises(ValidationError, match="done already"):
        journey_services.milestone_complete(milestone=milestone, actor=member, evidence="Again.")


def test_a_member_of_another_company_cannot_touch_a_milestone(enrollment):
    stranger = MembershipFactory().user
    milestone = enrollment.milestones.first()
    with pytest.raises(PermissionDenied):
        journey_services.milestone_complete(
            milestone=milestone, actor=stranger, evidence="Mine now."
        )
    assert not Milestone.objects.get(pk=milestone.pk).is_done


def test_an_evidence_file_that_is_not_a_document_is_refused(enrollment, member):
    milestone = enrollment.milestones.first()
    with pytest.raises(ValidationError, match="checked by its content"):
        journey_services.milestone_complete(
            milestone=milestone,
            actor=member,
            evidence="See file.",
            uploaded_file=SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf"),
            max_bytes=10_000_000,
        )
    assert not Milestone.objects.get(pk=milestone.pk).is_done


# --- Local entities ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", [VALID_USCC, OTHER_VALID_USCC, "9111 0108 5513 8508 2q"])
def test_registering_the_local_entity_completes_the_milestone(enrollment, member, code):
    entity = journey_services.local_entity_register(
        company=enrollment.company, actor=member, **entity_fields(uscc=code)
    )
    assert entity.uscc in (VALID_USCC, OTHER_VALID_USCC)
    milestone = enrollment.milestones.get(code=stages.LOCAL_ENTITY_MILESTONE)
    assert milestone.is_done and milestone.done_by == member
    assert entity.uscc in milestone.evidence


def test_the_milestone_the_entity_completes_reads_alike_in_every_language(enrollment, member):
    # Written in the registering member's language, it showed Korean on Chinese pages.
    member.language = "ko"
    with translation.override("ko"):
        entity = journey_services.local_entity_register(
            company=enrollment.company, actor=member, **entity_fields()
        )
    milestone = enrollment.milestones.get(code=stages.LOCAL_ENTITY_MILESTONE)
    assert milestone.evidence == (
        f"{entity.name_zh} · {entity.registered_on.isoformat()} · {entity.uscc}"
    )


def test_a_uscc_with_a_wrong_check_character_is_refused_and_nothing_changes(enrollment, member):
    with pytest.raises(ValidationError) as error:
        journey_services.local_entity_register(
            company=enrollment.company, actor=member, **entity_fields(uscc=WRONG_CHECK_USCC)
        )
    assert "check character" in " ".join(error.value.message_dict["uscc"])
    assert not LocalEntity.objects.exists()
    assert not enrollment.milestones.get(code=stages.LOCAL_ENTITY_MILESTONE).is_done


def test_a_uscc_is_registered_once_and_capital_is_positive(enrollment, member, officer):
    journey_services.local_entity_register(
        company=enrollment.company, actor=member, **entity_fields()
    )
    with pytest.raises(ValidationError) as error:
        # Staff record another company's entity; the code is taken already.
        journey_services.local_entity_register(
            company=CompanyFactory(), actor=officer, **entity_fields()
        )
    assert "uscc" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        journey_services.local_entity_register(
            company=enrollment.company,
            actor=member,
            **entity_fields(uscc=OTHER_VALID_USCC, registered_capital=Decimal("0")),
        )
    assert "registered_capital" in error.value.message_dict
    assert LocalEntity.objects.count() == 1


# --- Concierge service requests ------------------------------------------------------------------


def open_request(member, **fields):
    return concierge_services.service_request_open(
        company=member.membership.company,
        kind=fields.pop("kind", ServiceRequest.Kind.COMPANY_REGISTRATION),
        subject=fields.pop("subject", "현지 법인 설립"),
        body=fields.pop("body", "빈현에 유한회사를 설립하려고 합니다."),
        actor=member,
        **fields,
    )


def test_a_staff_answer_reaches_the_members_in_their_language(enrollment, member, officer):
    colleague = MembershipFactory(company=enrollment.company, user__language="zh-hans").user
    service_request = open_request(member)
    assert service_request.enrollment == enrollment
    assert service_request.waiting_on == ServiceRequest.WaitingOn.CENTER

    concierge_services.service_request_assign(
        service_request=service_request, owner=officer, actor=officer
    )
    concierge_services.service_request_reply(
        service_request=service_request,
        actor=officer,
        body="您好，我们已预约宾县市场监督管理局。",
        uploaded_file=SimpleUploadedFile("材料清单.pdf", PDF),
        max_bytes=10_000_000,
    )

    service_request.refresh_from_db()
    assert service_request.status == ServiceRequest.Status.IN_PROGRESS
    assert service_request.owner == officer
    # The due date comes from the target of company registration (30 days by default).
    assert service_request.due_on == timezone.localdate(service_request.opened_at) + dt.timedelta(
        days=30
    )
    assert service_request.waiting_on == ServiceRequest.WaitingOn.COMPANY
    answer = service_request.messages.latest("pk")
    assert answer.from_center and answer.original_name == "材料清单.pdf"
    sent = {
        m.recipient: m.language
        for m in OutboxMessage.objects.filter(kind="service_request_message")
    }
    assert sent == {member.email: "ko", colleague.email: "zh-hans"}

    # The company answers: the owner hears of it.
    concierge_services.service_request_reply(
        service_request=service_request, actor=member, body="감사합니다!"
    )
    assert OutboxMessage.objects.filter(kind="service_request_message", recipient=officer.email)


def test_a_reply_to_another_companys_request_changes_nothing(enrollment, member):
    service_request = open_request(member)
    stranger = MembershipFactory().user
    with pytest.raises(PermissionDenied):
        concierge_services.service_request_reply(
            service_request=service_request, actor=stranger, body="Hello?"
        )
    with pytest.raises(PermissionDenied):
        concierge_services.service_request_set_status(
            service_request=service_request, status="closed", actor=stranger
        )
    assert service_request.messages.count() == 1
    assert ServiceRequest.objects.get(pk=service_request.pk).status == "open"


def test_a_request_moves_only_through_its_statuses(enrollment, member, officer):
    service_request = open_request(member)
    concierge_services.service_request_set_status(
        service_request=service_request, status="resolved", actor=officer
    )
    assert ServiceRequest.objects.get(pk=service_request.pk).resolved_at is not None
    # The company answers a resolved request: it is back in progress.
    concierge_services.service_request_reply(
        service_request=service_request, actor=member, body="Not yet!"
    )
    assert ServiceRequest.objects.get(pk=service_request.pk).status == "in_progress"
    concierge_services.service_request_set_status(
        service_request=service_request, status="closed", actor=member
    )
    with pytest.raises(ValidationError, match="cannot become"):
        concierge_services.service_request_set_status(
            service_request=service_request, status="open", actor=officer
        )
    with pytest.raises(ValidationError, match="closed"):
        concierge_services.service_request_reply(
            service_request=service_request, actor=officer, body="Hi"
        )
    assert ServiceMessage.objects.filter(request=service_request).count() == 2


def test_a_request_is_overdue_after_its_due_date_while_active(enrollment, member, officer):
    service_request = open_request(member)
    # Opened three days ago: a target date before the opening is refused.
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        opened_at=timezone.now() - dt.timedelta(days=3)
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    concierge_services.service_request_assign(
        service_request=service_request, owner=officer, actor=officer, due_on=yesterday
    )
    service_request.refresh_from_db()
    assert service_request.is_overdue()
    concierge_services.service_request_set_status(
        service_request=service_request, status="resolved", actor=officer
    )
    service_request.refresh_from_db()
    assert not service_request.is_overdue()


def test_a_request_without_text_or_with_a_strange_file_is_refused(member, enrollment):
    with pytest.raises(ValidationError):
        open_request(member, body="  ")
    with pytest.raises(ValidationError, match="checked by its content"):
        open_request(
            member,
            uploaded_file=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00"),
            max_bytes=10_000_000,
        )
    assert not ServiceRequest.objects.exists()


# --- Quarterly reports ----------------------------------------------------------------------------


def report(company, actor, quarter, **figures):
    return journey_services.quarterly_report_submit(
        company=company,
        actor=actor,
        year=quarter.year,
        quarter=quarter.quarter,
        **{
            "revenue": Decimal("250000"),
            "revenue_currency": "CNY",
            "employees_china": 4,
            "employees_korea": 9,
            "funding_raised": Decimal("0"),
            "funding_currency": "KRW",
            "customers_china": 3,
            **figures,
        },
    )


def test_a_quarter_is_reported_once(old_enrollment, member):
    last = stages.quarter_of(timezone.localdate()).previous()
    report(old_enrollment.company, member, last)
    with pytest.raises(ValidationError) as error:
        report(old_enrollment.company, member, last, revenue=Decimal("1"))
    assert "reported already" in " ".join(error.value.message_dict["quarter"])
    assert QuarterlyReport.objects.get().revenue == Decimal("250000")


def test_the_current_quarter_and_bad_money_are_refused(old_enrollment, member):
    current = stages.quarter_of(timezone.localdate())
    with pytest.raises(ValidationError, match="cannot be reported"):
        report(old_enrollment.company, member, current)
    last = current.previous()
    with pytest.raises(ValidationError) as error:
        report(
            old_enrollment.company, member, last, revenue=Decimal("10.5"), revenue_currency="KRW"
        )
    assert "revenue" in error.value.message_dict
    assert not QuarterlyReport.objects.exists()


def test_cohort_for_intake_starts_when_the_intake_closes(officer):
    intake = IntakeFactory()
    cohort = journey_services.cohort_for_intake(intake=intake, actor=officer)
    assert cohort.starts_on == timezone.localdate(intake.closes_at)
    assert journey_services.cohort_for_intake(intake=intake, actor=officer) == cohort
    assert Cohort.objects.count() == 1
    record = AuditRecord.objects.get(verb="cohort.create")  # once, when it was made
    assert (record.actor, record.object_id) == (officer, str(cohort.pk))
    assert record.changes["intake"] == intake.pk


# --- Support fund -----------------------------------------------------------------------------


def test_grants_one_after_the_other_stop_at_the_remaining_budget(enrollment, manager, officer):
    from tests.programs.factories import FundCallFactory

    call = FundCallFactory(budget=Decimal("1000000"), remaining=Decimal("1000000"))
    other = enroll(CompanyFactory(), CohortFactory(), officer)
    first, second = (
        fund_services.fund_apply(
            call=call,
            company=e.company,
            actor=officer,
            amount_requested=Decimal("600000"),
            purpose="Production line.",
        )
        for e in (enrollment, other)
    )
    fund_services.fund_decide(
        application=first,
        decision="granted",
        amount_granted=Decimal("600000"),
        actor=manager,
        reason="Good.",
    )
    with pytest.raises(ValidationError) as error:
        fund_services.fund_decide(
            application=second,
            decision="granted",
            amount_granted=Decimal("600000"),
            actor=manager,
            reason="Also good.",
        )
    assert "Only CNY 400,000" in " ".join(error.value.messages)
    call.refresh_from_db()
    assert call.remaining == Decimal("400000")
    second.refresh_from_db()
    assert second.status == "submitted" and second.amount_granted is None
    # A program officer does not decide on the fund.
    with pytest.raises(PermissionDenied):
        fund_services.fund_decide(
            application=second, decision="rejected", actor=officer, reason="No."
        )


def test_a_grant_cannot_exceed_the_amount_requested(enrollment, manager, officer):
    from tests.programs.factories import FundCallFactory

    call = FundCallFactory(budget=Decimal("1000000"), remaining=Decimal("1000000"))
    application = fund_services.fund_apply(
        call=call,
        company=enrollment.company,
        actor=officer,
        amount_requested=Decimal("500000"),
        purpose="Production line.",
    )
    with pytest.raises(ValidationError) as error:
        fund_services.fund_decide(
            application=application,
            decision="granted",
            amount_granted=Decimal("600000"),
            actor=manager,
            reason="Generous.",
        )
    assert error.value.message_dict["amount_granted"] == [
        "The company asked for CNY 500,000; a grant cannot be larger."
    ]
    application.refresh_from_db()
    call.refresh_from_db()
    assert application.status == "submitted" and call.remaining == Decimal("1000000")
    # The database refuses it too, whatever path a write takes.
    with pytest.raises(IntegrityError), transaction.atomic():
        FundApplication.objects.filter(pk=application.pk).update(
            status="granted", amount_granted=Decimal("600000")
        )


def test_the_database_refuses_a_remaining_budget_below_zero():
    from tests.programs.factories import FundCallFactory

    call = FundCallFactory(budget=Decimal("1000"), remaining=Decimal("1000"))
    with pytest.raises(IntegrityError), transaction.atomic():
        FundCall.objects.filter(pk=call.pk).update(remaining=Decimal("-0.01"))
    assert FundCall.objects.get().remaining == Decimal("1000")


def test_a_budget_cannot_drop_below_what_is_granted(enrollment, manager):
    from tests.programs.factories import FundCallFactory

    call = FundCallFactory(budget=Decimal("1000000"), remaining=Decimal("1000000"))
    application = fund_services.fund_apply(
        call=call,
        company=enrollment.company,
        actor=manager,
        amount_requested=Decimal("500000"),
        purpose="Line.",
    )
    fund_services.fund_decide(
        application=application,
        decision="granted",
        amount_granted=Decimal("500000"),
        actor=manager,
        reason="Good.",
    )
    call.refresh_from_db()
    call.budget = Decimal("400000")
    with pytest.raises(ValidationError, match="granted already"):
        fund_services.fund_call_save(call=call, actor=manager)
    call.budget = Decimal("1500000")
    fund_services.fund_call_save(call=call, actor=manager)
    assert FundCall.objects.get().remaining == Decimal("1000000")


def test_tranches_never_exceed_the_grant(enrollment, manager, officer):
    from tests.programs.factories import FundCallFactory

    call = FundCallFactory()
    application = fund_services.fund_apply(
        call=call,
        company=enrollment.company,
        actor=officer,
        amount_requested=Decimal("100000"),
        purpose="Line.",
    )
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="granted application"):
        fund_services.fund_disburse(
            application=application, amount=Decimal("1"), paid_on=today, actor=officer
        )
    fund_services.fund_decide(
        application=application,
        decision="granted",
        amount_granted=Decimal("100000"),
        actor=manager,
        reason="Good.",
    )
    fund_services.fund_disburse(
        application=application,
        amount=Decimal("60000"),
        paid_on=today,
        actor=officer,
        reference="PAY-3",
    )
    with pytest.raises(ValidationError, match="recorded already") as twice:
        fund_services.fund_disburse(
            application=application,
            amount=Decimal("100"),
            paid_on=today,
            actor=officer,
            reference=" pay-3 ",
        )
    assert list(twice.value.message_dict) == ["reference"]
    with pytest.raises(ValidationError, match="left to pay out"):
        fund_services.fund_disburse(
            application=application, amount=Decimal("40000.01"), paid_on=today, actor=officer
        )
    fund_services.fund_disburse(
        application=application, amount=Decimal("40000"), paid_on=today, actor=officer
    )
    application.refresh_from_db()
    assert application.disbursed == Decimal("100000") and application.undisbursed == 0


def test_only_an_enrolled_company_applies_once_to_an_open_call(enrollment, member, officer):
    from tests.programs.factories import FundCallFactory

    call = FundCallFactory()
    kwargs = {"call": call, "actor": member, "purpose": "Line.", "amount_requested": Decimal("10")}
    with pytest.raises(ValidationError, match="Only companies enrolled"):
        fund_services.fund_apply(company=CompanyFactory(), **kwargs)
    fund_services.fund_apply(company=enrollment.company, **kwargs)
    with pytest.raises(ValidationError, match="applied to this call already"):
        fund_services.fund_apply(company=enrollment.company, **kwargs)
    closed = FundCallFactory(
        closes_at=timezone.now() - dt.timedelta(seconds=1),
        opens_at=timezone.now() - dt.timedelta(days=3),
    )
    with pytest.raises(ValidationError, match="not open"):
        fund_services.fund_apply(company=enrollment.company, **{**kwargs, "call": closed})
