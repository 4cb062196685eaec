"""Every state-changing service of programs writes its audit record, in its transaction."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from incubator.models import AuditRecord
from programs import stages
from programs.admissions import services as admissions_services
from programs.admissions import wizard_services
from programs.concierge import services as concierge_services
from programs.fund import services as fund_services
from programs.journey import services as journey_services
from programs.models import Enrollment, FundApplication, Milestone, ServiceRequest
from tests.companies.factories import ApplicationFactory
from tests.programs.factories import FundCallFactory
from tests.programs.test_services import entity_fields, open_request, report

pytestmark = pytest.mark.django_db


def _milestone(enrollment):
    return enrollment.milestones.exclude(code=stages.LOCAL_ENTITY_MILESTONE).first()


def _granted(enrollment, member, manager):
    call = FundCallFactory()
    application = fund_services.fund_apply(
        call=call,
        company=enrollment.company,
        actor=member,
        amount_requested=Decimal("100000"),
        purpose="Moulds for the Binxian line.",
    )
    return fund_services.fund_decide(
        application=application,
        decision="granted",
        amount_granted=Decimal("100000"),
        actor=manager,
        reason="Good.",
    )


def test_enrollment_create_and_advance(company, cohort, manager):
    enrollment = journey_services.enrollment_create(
        company=company, cohort=cohort, actor=manager, reason="Accepted."
    )
    journey_services.enrollment_advance(
        enrollment=enrollment,
        to_stage="acceleration",
        actor=manager,
        reason="Ahead.",
        override=True,
    )
    assert AuditRecord.objects.get(verb="enrollment.create").company_id == company.pk
    advance = AuditRecord.objects.get(verb="enrollment.advance")
    assert advance.actor == manager
    assert advance.changes["stage"] == ["incubation", "acceleration"]


def test_milestone_done_and_rescheduled(enrollment, member, officer):
    milestone = _milestone(enrollment)
    journey_services.milestone_reschedule(
        milestone=milestone, due_on=timezone.localdate() + dt.timedelta(days=9), actor=officer
    )
    journey_services.milestone_complete(milestone=milestone, actor=member, evidence="Signed lease.")
    assert AuditRecord.objects.get(verb="milestone.reschedule").actor == officer
    done = AuditRecord.objects.get(verb="milestone.done")
    assert (done.actor, done.company_id) == (member, enrollment.company_id)


def test_local_entity_register(enrollment, member):
    journey_services.local_entity_register(
        company=enrollment.company, actor=member, **entity_fields()
    )
    assert AuditRecord.objects.get(verb="local_entity.register").actor == member


def test_service_request_open_reply_assign_and_close(enrollment, member, officer):
    service_request = open_request(member)
    concierge_services.service_request_reply(
        service_request=service_request, actor=officer, body="Noted."
    )
    concierge_services.service_request_assign(
        service_request=service_request, owner=officer, actor=officer
    )
    concierge_services.service_request_set_status(
        service_request=service_request, status=ServiceRequest.Status.RESOLVED, actor=officer
    )
    verbs = set(AuditRecord.objects.values_list("verb", flat=True))
    assert {
        "service_request.open",
        "service_request.reply",
        "service_request.assign",
        "service_request.resolved",
    } <= verbs


def test_only_staff_assign_a_request(enrollment, member, officer):
    service_request = open_request(member)
    with pytest.raises(PermissionDenied):
        concierge_services.service_request_assign(
            service_request=service_request, owner=officer, actor=member
        )
    service_request.refresh_from_db()
    assert service_request.owner is None


def test_fund_call_apply_decide_and_disburse(enrollment, member, manager):
    fund_services.fund_call_save(call=FundCallFactory.build(remaining=None), actor=manager)
    application = _granted(enrollment, member, manager)
    fund_services.fund_disburse(
        application=application, amount=Decimal("1000"), paid_on=timezone.localdate(), actor=manager
    )
    verbs = set(AuditRecord.objects.values_list("verb", flat=True))
    assert {
        "fund_call.create",
        "fund_application.submit",
        "fund_application.decide",
        "fund_application.disburse",
    } <= verbs


def test_a_role_that_may_not_pay_out_is_refused_by_the_service(
    enrollment, member, manager, coordinator
):
    application = _granted(enrollment, member, manager)
    with pytest.raises(PermissionDenied):
        fund_services.fund_disburse(
            application=application,
            amount=Decimal("1000"),
            paid_on=timezone.localdate(),
            actor=coordinator,
        )
    assert FundApplication.objects.get(pk=application.pk).disbursed == 0


def test_quarterly_report_submit(old_enrollment, company, member):
    report(company, member, stages.quarter_of(timezone.localdate()).previous())
    assert AuditRecord.objects.get(verb="quarterly_report.submit").actor == member


# --- Admissions -------------------------------------------------------------------------


def test_admissions_write_their_records(member, officer, manager):
    from programs.admissions.models import Application

    company = member.membership.company
    application = ApplicationFactory(company=company)
    wizard_services.application_save_step(
        application=application, step="review", actor=member, market_fit="Harbin schools."
    )
    admissions_services.application_submit(application=application, user=member)
    enrollment = admissions_services.application_accept(
        application=application, actor=officer, reason="Strong patents."
    )
    admissions_services.policy_publish(actor=manager)
    verbs = list(AuditRecord.objects.values_list("verb", flat=True))
    for verb in (
        "application.save",
        "application.submit",
        "application.screen",
        "application.accept",
        "enrollment.create",
        "screening_policy.publish",
    ):
        assert verb in verbs, verb
    assert Application.objects.get(pk=application.pk).status == "accepted"
    assert Enrollment.objects.get(pk=enrollment.pk).application_id == application.pk


def test_accepting_by_decision_enrols_too(member, officer):
    company = member.membership.company
    application = admissions_services.application_submit(
        application=ApplicationFactory(company=company), user=member
    )
    admissions_services.application_decide(
        application=application, decision="accepted", actor=officer, reason="Good fit."
    )
    assert Enrollment.objects.get(company=company).application_id == application.pk


def test_a_company_member_cannot_decide(member):
    application = admissions_services.application_submit(
        application=ApplicationFactory(company=member.membership.company), user=member
    )
    with pytest.raises(PermissionDenied):
        admissions_services.application_decide(
            application=application, decision="rejected", actor=member, reason="Self."
        )


def test_milestone_model_is_untouched_by_a_refused_reschedule(enrollment, officer):
    milestone = _milestone(enrollment)
    journey_services.milestone_complete(milestone=milestone, actor=officer, evidence="Done.")
    with pytest.raises(Exception):  # noqa: B017  done milestones keep their date
        journey_services.milestone_reschedule(
            milestone=milestone, due_on=timezone.localdate(), actor=officer
        )
    assert not AuditRecord.objects.filter(verb="milestone.reschedule").exists()
    assert Milestone.objects.get(pk=milestone.pk).is_done
