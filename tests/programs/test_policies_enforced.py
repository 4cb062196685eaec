"""The services of programs refuse a staff role whose row does not hold the write, and a
startup acting on another company, whoever calls them: the admin and the portal are not
the only doors (the API, a task, a later page). Each refusal changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from incubator.models import AuditRecord
from programs import stages
from programs.admissions import services as admissions_services
from programs.admissions import wizard_services
from programs.concierge import services as concierge_services
from programs.journey import services as journey_services
from programs.models import (
    Application,
    LocalEntity,
    QuarterlyReport,
    ServiceMessage,
    ServiceRequest,
)
from tests.companies.factories import ApplicationFactory, IntakeFactory, MembershipFactory
from tests.programs.test_services import entity_fields, open_request, report

pytestmark = pytest.mark.django_db


def _refused(call, *actors):
    for actor in actors:
        with pytest.raises(PermissionDenied):
            call(actor)


def _stranger():
    """The owner of another company."""
    return MembershipFactory().user


def test_only_reviewers_screen_decide_and_override(viewer, coordinator, officer):
    # No evidence at all: every criterion but the company's age fails.
    application = admissions_services.application_submit(
        application=ApplicationFactory(), user=None
    )
    failed = next(c["code"] for c in application.screening["criteria"] if not c["passed"])
    records = AuditRecord.objects.count()

    _refused(
        lambda actor: admissions_services.applications_screen(
            application_ids=[application.pk], actor=actor
        ),
        viewer,
        coordinator,
    )
    _refused(
        lambda actor: admissions_services.criterion_override(
            application=application, criterion=failed, reason="Seen the deed.", actor=actor
        ),
        viewer,
        coordinator,
    )
    _refused(
        lambda actor: admissions_services.application_decide(
            application=application, decision="rejected", reason="No.", actor=actor
        ),
        viewer,
        coordinator,
    )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not application.overrides.exists()
    assert AuditRecord.objects.count() == records

    admissions_services.criterion_override(
        application=application, criterion=failed, reason="Seen the deed.", actor=officer
    )
    assert application.overrides.count() == 1


def test_an_application_is_opened_only_by_a_member_of_its_company(viewer, officer):
    company = MembershipFactory().company
    intake = IntakeFactory()
    _refused(
        lambda actor: admissions_services.application_start(
            company=company, intake=intake, user=actor
        ),
        _stranger(),
        viewer,
        officer,
    )
    assert not Application.objects.filter(company=company).exists()
    owner = company.memberships.get().user
    admissions_services.application_start(company=company, intake=intake, user=owner)
    assert Application.objects.filter(company=company).count() == 1


def test_a_draft_is_saved_only_by_its_own_company(viewer):
    application = ApplicationFactory()
    member = MembershipFactory(company=application.company).user
    _refused(
        lambda actor: wizard_services.application_save_step(
            application=application, step="documents", actor=actor
        ),
        _stranger(),
        viewer,
    )
    application.refresh_from_db()
    assert application.step != "documents"
    wizard_services.application_save_step(application=application, step="documents", actor=member)
    application.refresh_from_db()
    assert application.step == "documents"


def test_only_roles_that_change_milestones_move_or_complete_them(
    enrollment, member, viewer, coordinator, officer
):
    milestone = enrollment.milestones.exclude(code=stages.LOCAL_ENTITY_MILESTONE).first()
    due_on = milestone.due_on
    later = timezone.localdate() + dt.timedelta(days=30)
    _refused(
        lambda actor: journey_services.milestone_reschedule(
            milestone=milestone, due_on=later, actor=actor
        ),
        member,
        viewer,
        coordinator,
    )
    _refused(
        lambda actor: journey_services.milestone_complete(
            milestone=milestone, actor=actor, evidence="Signed lease."
        ),
        _stranger(),
        viewer,
        coordinator,
    )
    milestone.refresh_from_db()
    assert (milestone.due_on, milestone.done_at) == (due_on, None)

    journey_services.milestone_reschedule(milestone=milestone, due_on=later, actor=officer)
    journey_services.milestone_complete(milestone=milestone, actor=member, evidence="Signed.")
    milestone.refresh_from_db()
    assert milestone.due_on == later and milestone.done_at is not None


def test_a_local_entity_and_a_quarterly_report_are_filed_by_the_company_or_the_programmes(
    old_enrollment, company, member, viewer, coordinator, officer
):
    quarter = stages.quarter_of(timezone.localdate()).previous()
    _refused(
        lambda actor: journey_services.local_entity_register(
            company=company, actor=actor, **entity_fields()
        ),
        _stranger(),
        viewer,
        coordinator,
    )
    _refused(lambda actor: report(company, actor, quarter), _stranger(), viewer, coordinator)
    assert not LocalEntity.objects.exists() and not QuarterlyReport.objects.exists()

    journey_services.local_entity_register(company=company, actor=officer, **entity_fields())
    report(company, member, quarter)
    assert LocalEntity.objects.count() == QuarterlyReport.objects.count() == 1


def test_only_the_company_and_the_programmes_open_and_answer_requests(
    enrollment, member, viewer, coordinator, officer
):
    service_request = open_request(member)
    _refused(
        lambda actor: concierge_services.service_request_open(
            company=enrollment.company,
            kind=service_request.kind,
            subject="Tax",
            body="VAT?",
            actor=actor,
        ),
        viewer,
        coordinator,
    )
    assert ServiceRequest.objects.count() == 1
    messages = ServiceMessage.objects.filter(request=service_request).count()
    _refused(
        lambda actor: concierge_services.service_request_reply(
            service_request=service_request, actor=actor, body="Noted."
        ),
        _stranger(),
        viewer,
        coordinator,
    )
    assert ServiceMessage.objects.filter(request=service_request).count() == messages

    concierge_services.service_request_reply(
        service_request=service_request, actor=officer, body="Noted."
    )
    assert ServiceMessage.objects.filter(request=service_request).count() == messages + 1
    for actor in (viewer, coordinator):
        with pytest.raises(PermissionDenied):
            concierge_services.service_request_assign(
                service_request=service_request, owner=officer, actor=actor
            )
    service_request.refresh_from_db()
    assert service_request.owner is None
