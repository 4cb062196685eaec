"""Submitting asks for confirmation and for the answers the policy requires; a submitted
application is withdrawn by the startup until staff decide, and may be submitted again."""

import pytest
from django.core.exceptions import ValidationError

from incubator import roles
from incubator.models import AuditRecord
from programs.admissions import services
from programs.admissions.models import Application, ApplicationEvent
from tests.companies.factories import ApplicationFactory, ProgramFactory, staff_in
from tests.companies.portal import html, step_url, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _policy_v1(policy_v1):
    """v1 requires the market-fit answer (the model's default)."""
    assert policy_v1.answers_required == ["market_fit"]


def submit_url(application):
    return f"/portal/applications/{application.pk}/submit/"


def test_an_empty_required_answer_is_shown_as_missing_and_blocks_the_submission(signed_in, owner):
    application = ApplicationFactory(company=owner.membership.company, market_fit="")
    review = html(signed_in.get(step_url(application, "review")))
    assert "Why Heilongjiang" in review.split('id="missing-answers"')[1]

    response = signed_in.post(step_url(application, "review"), {"action": "submit"})
    assert response["Location"] == submit_url(application)
    page = html(signed_in.get(submit_url(application)))
    assert 'id="missing-answers"' in page and "Yes, submit" not in page

    response = signed_in.post(submit_url(application))
    assert response.status_code == 400
    assert "Answer before you submit: why Heilongjiang." in html(response)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT and not application.events.exists()


def test_which_answers_are_required_is_the_policys(signed_in, owner):
    relaxed = services.policy_publish(actor=staff_in(roles.CENTER_MANAGER), answers_required=[])
    program = ProgramFactory(screening_policy=relaxed)
    application = ApplicationFactory(
        company=owner.membership.company, intake__program=program, market_fit=""
    )
    assert 'id="missing-answers"' not in html(signed_in.get(step_url(application, "review")))
    signed_in.post(submit_url(application))
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.policy == relaxed
    with pytest.raises(ValidationError):
        services.policy_publish(
            actor=staff_in(roles.CENTER_MANAGER), answers_required=["pitch_video"]
        )


def test_the_startup_withdraws_until_staff_decide_then_applies_again(client):
    application = submitted()
    founder = application.company.memberships.get().user
    client.force_login(founder)
    detail = f"/portal/applications/{application.pk}/"
    withdraw = f"/portal/applications/{application.pk}/withdraw/"
    assert withdraw in html(client.get(detail))
    assert "Keep the application" in html(client.get(withdraw))

    response = client.post(withdraw, {"reason": "We join next year's cohort."}, follow=True)
    assert response.redirect_chain[-1][0] == detail
    page = html(response)
    assert "Your application is withdrawn." in page and "Apply again" in page
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    event = application.events.get(kind=ApplicationEvent.Kind.WITHDRAWN)
    assert event.actor == founder and event.reason == "We join next year's cohort."
    record = AuditRecord.objects.get(verb="application.withdraw")
    assert record.actor == founder and record.changes["status"] == ["submitted", "withdrawn"]

    # Staff cannot decide a withdrawn application; the startup reopens it as its draft.
    with pytest.raises(ValidationError):
        services.application_decide(
            application=application,
            decision="accepted",
            actor=staff_in(roles.PROGRAM_OFFICER),
            reason="x",
        )
    response = client.post(f"/portal/intakes/{application.intake_id}/apply/")
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert AuditRecord.objects.filter(verb="application.reopen").count() == 1
    client.post(submit_url(application))
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_decided_application_cannot_be_withdrawn(client):
    application = submitted()
    services.application_decide(
        application=application,
        decision="waitlisted",
        actor=staff_in(roles.PROGRAM_OFFICER),
        reason="Full.",
    )
    founder = application.company.memberships.get().user
    client.force_login(founder)
    withdraw = f"/portal/applications/{application.pk}/withdraw/"
    assert withdraw not in html(client.get(f"/portal/applications/{application.pk}/"))
    response = client.post(withdraw, follow=True)
    assert "can no longer be withdrawn" in html(response)
    application.refresh_from_db()
    assert application.status == Application.Status.WAITLISTED
    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, user=founder)


def test_a_withdrawal_is_confirmed_to_the_members_and_its_reason_reaches_the_center(client):
    from incubator.models import OutboxMessage
    from incubator.services import render_message

    application = submitted()
    officer = staff_in(roles.PROGRAM_OFFICER)
    founder = application.company.memberships.get().user
    client.force_login(founder)
    client.post(
        f"/portal/applications/{application.pk}/withdraw/",
        {"reason": "We join next year's cohort."},
    )
    client.post(f"/portal/applications/{application.pk}/withdraw/", {"reason": "again"})

    confirmed = OutboxMessage.objects.get(kind="application_withdrawn")
    assert confirmed.recipient == founder.email
    assert f"/portal/applications/{application.pk}/" in render_message(confirmed).body
    told = OutboxMessage.objects.get(kind="application_withdrawn_center")
    assert told.recipient == officer.email
    body = render_message(told).body
    assert "We join next year's cohort." in body
    assert f"/admin/programs/application/{application.pk}/change/" in body
