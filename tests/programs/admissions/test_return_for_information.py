"""The officer asks the applicant for more information: a submitted application goes back to
its draft with the center's message, the company is told, changes it and submits it again,
even once the intake has closed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incubator import roles
from incubator.models import AuditRecord, OutboxMessage
from programs.admissions import policies, selectors
from programs.admissions import services as admissions_services
from programs.admissions.models import RETURN_MESSAGE_MAX_LENGTH, Application, ApplicationEvent
from tests.companies.factories import (
    ApplicationFactory,
    CompanyFactory,
    MembershipFactory,
    UserFactory,
    staff_in,
)
from tests.companies.portal import html, owner_of, step_url, submitted

pytestmark = pytest.mark.django_db

ASKED = "특허 등록증 사본을 첨부해 주세요.\nPlease add the patent certificate."


@pytest.fixture(autouse=True)
def _roles(policy_v1):
    # The groups come from a migration; a transactional test elsewhere may have flushed them.
    roles.sync_role_permissions()


@pytest.fixture
def officer():
    return staff_in(roles.PROGRAM_OFFICER)


def decide_url(application):
    return reverse("admin:programs_application_decide", args=[application.pk])


def returned(application, officer, message=ASKED):
    return admissions_services.application_return(
        application=application, actor=officer, message=message
    )


def close_intake(application):
    intake = application.intake
    intake.opens_at = timezone.now() - dt.timedelta(days=60)
    intake.closes_at = timezone.now() - dt.timedelta(days=1)
    intake.save(update_fields=["opens_at", "closes_at"])


# --- The service ------------------------------------------------------------------------


def test_returning_makes_the_draft_again_with_the_message_history_audit_and_mail(
    officer, django_capture_on_commit_callbacks, mailoutbox
):
    application = submitted()
    company = application.company
    owner = owner_of(company)
    owner.language = "ko"
    owner.save(update_fields=["language"])
    english = MembershipFactory(company=company, user=UserFactory(language="en")).user

    with django_capture_on_commit_callbacks(execute=True):
        application = returned(application, officer)

    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.is_editable
    assert application.submitted_at is None
    event = application.events.order_by("-pk").first()
    assert (event.kind, event.actor, event.from_status, event.to_status, event.reason) == (
        ApplicationEvent.Kind.RETURNED,
        officer,
        "submitted",
        "draft",
        ASKED,
    )
    assert selectors.return_request(application) == event

    record = AuditRecord.objects.get(verb="application.return")
    assert (record.actor, record.object_id, record.company_id) == (
        officer,
        str(application.pk),
        company.pk,
    )
    assert record.changes == {"status": ["submitted", "draft"], "event": event.pk}

    messages = {m.recipient: m for m in OutboxMessage.objects.filter(kind="application_returned")}
    assert set(messages) == {owner.email, english.email}
    path = reverse("programs:application-detail", args=[application.pk])
    korean, in_english = messages[owner.email], messages[english.email]
    assert (korean.language, in_english.language) == ("ko", "en")
    assert korean.payload["company"] == company.name_ko
    assert in_english.payload["company"] == company.name_en
    assert application.intake.program.name_ko in korean.payload["program"]
    assert application.intake.program.name_en in in_english.payload["program"]
    for message in messages.values():
        assert message.payload["message"] == ASKED
        assert message.payload["path"] == path
    mails = {mail.to[0]: mail for mail in mailoutbox if mail.to[0] in messages}
    assert set(mails) == set(messages)
    for mail in mails.values():
        assert "특허 등록증 사본을 첨부해 주세요." in mail.body
        assert path in mail.body
    assert company.name_ko in mails[owner.email].subject


def test_an_application_returned_twice_is_told_twice(officer):
    application = submitted()
    returned(application, officer, message="Add the patent certificate.")
    admissions_services.application_submit(
        application=application, user=owner_of(application.company)
    )

    returned(application, officer, message="Explain the 2024 revenue.")

    sent = OutboxMessage.objects.filter(kind="application_returned").order_by("pk")
    assert [m.payload["message"] for m in sent] == [
        "Add the patent certificate.",
        "Explain the 2024 revenue.",
    ]
    # Each submission is confirmed, the one after the return too.
    owner = owner_of(application.company)
    assert (
        OutboxMessage.objects.filter(kind="application_submitted", recipient=owner.email).count()
        == 2
    )


@pytest.mark.parametrize("message", ["", "   ", None])
def test_a_return_needs_a_message(officer, message):
    application = submitted()

    with pytest.raises(ValidationError) as error:
        returned(application, officer, message=message)

    assert "message" in error.value.message_dict
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not application.events.filter(kind=ApplicationEvent.Kind.RETURNED).exists()
    assert not OutboxMessage.objects.filter(kind="application_returned").exists()


def test_a_return_message_has_a_maximum_length(officer):
    application = submitted()

    with pytest.raises(ValidationError) as error:
        returned(application, officer, message="x" * (RETURN_MESSAGE_MAX_LENGTH + 1))

    assert "message" in error.value.message_dict
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


@pytest.mark.parametrize("to", ["draft", "accepted", "rejected", "waitlisted", "withdrawn"])
def test_only_a_submitted_application_can_be_returned(officer, to):
    application = submitted()
    Application.objects.filter(pk=application.pk).update(status=to)
    application.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        returned(application, officer)

    assert error.value.code == "transition"
    application.refresh_from_db()
    assert application.status == to
    assert not application.events.filter(kind=ApplicationEvent.Kind.RETURNED).exists()
    assert not OutboxMessage.objects.filter(kind="application_returned").exists()


@pytest.mark.parametrize(
    ("role", "may"),
    [
        (roles.CENTER_MANAGER, True),
        (roles.PROGRAM_OFFICER, True),
        (roles.EVENT_COORDINATOR, False),
        (roles.VIEWER, False),
    ],
)
def test_who_may_decide_may_return(role, may):
    application = submitted()
    actor = staff_in(role)
    assert policies.can_decide(actor, application) is may

    if may:
        returned(application, actor)
    else:
        with pytest.raises(PermissionDenied):
            returned(application, actor)

    application.refresh_from_db()
    assert application.status == ("draft" if may else "submitted")


def test_the_company_cannot_return_its_own_application():
    application = submitted()

    with pytest.raises(PermissionDenied):
        returned(application, owner_of(application.company))

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_the_company_cannot_reopen_a_submitted_application_as_its_draft():
    # Submitted leads to draft now (the center's return): "apply again" stays for withdrawn.
    application = submitted()
    assert not policies.can_reopen(owner_of(application.company), application)


# --- Submitting again -------------------------------------------------------------------


def test_a_returned_application_is_submitted_again_after_the_intake_closed(officer):
    application = submitted()
    returned(application, officer)
    close_intake(application)
    owner = owner_of(application.company)

    application = admissions_services.application_submit(application=application, user=owner)

    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at is not None
    assert application.screening is not None
    assert list(application.events.order_by("pk").values_list("kind", flat=True)) == [
        "submitted",
        "screened",
        "returned",
        "submitted",
        "screened",
    ]
    assert selectors.return_request(application) is None
    # Submitted again, it is decided as any other.
    admissions_services.application_decide(
        application=application, decision="rejected", actor=officer, reason="No local market."
    )


def test_the_officer_who_asked_hears_that_the_company_answered(
    officer, django_capture_on_commit_callbacks, mailoutbox
):
    officer.language = "zh-hans"
    officer.save(update_fields=["language"])
    application = submitted()
    application.company.name_zh = "巴伦智能工厂"
    application.company.save(update_fields=["name_zh"])
    assert not OutboxMessage.objects.filter(kind="application_resubmitted").exists()
    returned(application, officer)

    with django_capture_on_commit_callbacks(execute=True):
        admissions_services.application_submit(
            application=application, user=owner_of(application.company)
        )

    message = OutboxMessage.objects.get(kind="application_resubmitted")
    assert (message.recipient, message.language) == (officer.email, "zh-hans")
    assert message.payload["company"] == "巴伦智能工厂"
    assert message.payload["asked"] == ASKED
    decide = decide_url(application)
    assert message.payload["path"] == decide
    mail = next(m for m in mailoutbox if m.to == [officer.email])
    assert "巴伦智能工厂" in mail.subject
    assert decide in mail.body and "Please add the patent certificate." in mail.body


def test_a_draft_the_center_did_not_return_is_refused_after_the_intake_closed(officer):
    application = submitted()
    returned(application, officer)
    admissions_services.application_submit(
        application=application, user=owner_of(application.company)
    )
    owner = owner_of(application.company)
    admissions_services.application_withdraw(application=application, user=owner)
    # Withdrawn, then a draft again: the company's own doing, not the center's request.
    application = admissions_services.application_start(
        company=application.company, intake=application.intake, user=owner
    )
    assert application.status == Application.Status.DRAFT
    close_intake(application)
    application.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        admissions_services.application_submit(
            application=application, user=owner_of(application.company)
        )

    assert error.value.code == "closed"


# --- The decide page --------------------------------------------------------------------


def test_the_officer_asks_for_more_information_on_the_decide_page(client, officer):
    application = submitted()
    owner = owner_of(application.company)
    owner.language = "zh-hans"
    owner.save(update_fields=["language"])
    client.force_login(officer)

    page = client.get(decide_url(application))
    form = page.context["return_form"]
    assert 'name="_return"' in page.text
    assert "Recipients' languages: Simplified Chinese." in form.fields["message"].help_text

    response = client.post(
        decide_url(application), {"return-message": ASKED, "_return": "1"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "admin:programs_application_change", args=[application.pk]
    )
    assert "its members are told by e-mail" in response.text
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert OutboxMessage.objects.get(kind="application_returned").recipient == owner.email
    # The history inline on the change page shows the return and its message.
    assert "returned for more information" in response.text
    assert "Please add the patent certificate." in response.text

    # A draft is not returned again, nor overridden, nor decided.
    page = client.get(decide_url(application))
    assert page.context["return_form"] is None
    assert page.context["override_form"] is None
    assert page.context["decision_form"] is None


def test_an_application_whose_company_has_no_portal_account_is_not_returned(client, officer):
    # Nobody could answer: the draft would wait for ever and take no decision.
    application = ApplicationFactory(company=CompanyFactory(), status="submitted")
    client.force_login(officer)

    page = client.get(decide_url(application))
    assert (
        "nobody could answer this request"
        in page.context["return_form"].fields["message"].help_text
    )
    response = client.post(decide_url(application), {"return-message": ASKED, "_return": "1"})

    assert response.status_code == 200
    assert "has no portal account" in str(response.context["return_form"].non_field_errors())
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not application.events.filter(kind=ApplicationEvent.Kind.RETURNED).exists()
    assert not AuditRecord.objects.filter(verb="application.return").exists()


def test_a_form_sent_from_a_stale_page_says_why_it_was_not_taken(client, officer):
    application = submitted()
    returned(application, officer)  # in another tab, or by a colleague
    client.force_login(officer)

    again = client.post(
        decide_url(application), {"return-message": "Twice?", "_return": "1"}, follow=True
    )
    decided = client.post(
        decide_url(application),
        {"decision-decision": "accepted", "decision-reason": "Good.", "_decide": "1"},
        follow=True,
    )

    # The service's refusal where it gave one; else what changed.
    assert [str(m) for m in again.context["messages"]] == [
        "Only a submitted application can be returned for more information; this one is draft."
    ]
    assert [str(m) for m in decided.context["messages"]] == [
        "This application changed meanwhile: it is draft now."
    ]
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.events.filter(kind=ApplicationEvent.Kind.RETURNED).count() == 1


def test_the_decide_page_shows_what_was_asked_once_the_company_answered(client, officer):
    application = submitted()
    returned(application, officer, message="Add the certificate: https://example.kr/how")
    admissions_services.application_submit(
        application=application, user=owner_of(application.company)
    )
    client.force_login(officer)

    page = html(client.get(decide_url(application)))

    box = page.split('id="request-answered"')[1].split("</div>")[0]
    assert "Submitted again after a request for more information" in box
    assert '<a href="https://example.kr/how"' in box
    assert box.count("<time datetime=") == 2  # when asked, when answered
    # Decided, the page no longer frames it as an answer.
    admissions_services.application_decide(
        application=application, decision="rejected", actor=officer, reason="No local market."
    )
    assert 'id="request-answered"' not in html(client.get(decide_url(application)))


def test_an_empty_message_on_the_decide_page_changes_nothing(client, officer):
    application = submitted()
    client.force_login(officer)

    response = client.post(decide_url(application), {"return-message": "  ", "_return": "1"})

    assert response.status_code == 200
    assert response.context["return_form"].errors["message"]
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not OutboxMessage.objects.filter(kind="application_returned").exists()


def test_a_viewer_cannot_return_an_application(client):
    application = submitted()
    client.force_login(staff_in(roles.VIEWER))

    response = client.post(decide_url(application), {"return-message": ASKED, "_return": "1"})

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_returned_application_is_listed_as_a_draft_after_the_submitted_ones(client, officer):
    waiting = submitted()
    application = submitted(intake=waiting.intake)
    returned(application, officer)
    client.force_login(officer)
    changelist = reverse("admin:programs_application_changelist")

    queue = client.get(changelist)
    assert [a.pk for a in queue.context["cl"].result_list] == [waiting.pk, application.pk]
    drafts = client.get(changelist, {"status__exact": "draft"})
    assert [a.pk for a in drafts.context["cl"].result_list] == [application.pk]
    # A draft the company started and never submitted is not awaiting an answer.
    ApplicationFactory(intake=waiting.intake)
    awaiting = client.get(changelist, {"returned": "awaiting"})
    assert [a.pk for a in awaiting.context["cl"].result_list] == [application.pk]
    assert "awaiting the company&#x27;s answer" in awaiting.text
    # Since when it waits, where the (empty) submission time would be.
    asked_at = application.events.get(kind=ApplicationEvent.Kind.RETURNED).created_at
    columns = awaiting.context["cl"].list_display
    assert "returned_at" in columns and "submitted_at" not in columns
    assert awaiting.context["cl"].result_list[0].last_move_at == asked_at
    assert "column-returned_at" in awaiting.text and "field-returned_at" in awaiting.text


# --- The portal -------------------------------------------------------------------------


def test_the_company_reads_the_centers_request_in_its_language_until_it_submits(client, officer):
    application = submitted()
    owner = owner_of(application.company)
    owner.language = "ko"
    owner.save(update_fields=["language"])
    returned(application, officer)
    close_intake(application)
    client.force_login(owner)
    detail = f"/portal/applications/{application.pk}/"
    # The company's home says so beside the draft and leads to the request.
    home = html(client.get(reverse("programs:dashboard")))
    assert f'<a class="badge badge-fail" href="{detail}">센터의 보완 요청</a>' in home

    for url in (
        detail,
        step_url(application, "patents"),
        step_url(application, "review"),
        f"/portal/applications/{application.pk}/submit/",
    ):
        page = html(client.get(url))
        assert '<html lang="ko">' in page
        request = page.split('id="return-request"')[1].split("</section>")[0]
        assert "특허 등록증 사본을 첨부해 주세요.<br>Please add the patent certificate." in request
        assert "<time datetime=" in request

    # The intake has closed: withdrawing what is submitted now cannot be undone.
    submit_page = html(client.get(f"/portal/applications/{application.pk}/submit/"))
    assert "모집이 마감되었으므로 신청서를 철회하면 다시 지원할 수 없습니다." in submit_page

    response = client.post(f"/portal/applications/{application.pk}/submit/")

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    page = html(client.get(f"/portal/applications/{application.pk}/"))
    assert 'id="return-request"' not in page  # no longer asked of the company
    # What was asked stays in sight, answered, until the center decides (it vanished).
    answered = page.split('id="request-answered"')[1].split("</section>")[0]
    assert "특허 등록증 사본을 첨부해 주세요." in answered and "다시 제출했습니다" in answered
    assert "센터의 보완 요청" not in html(client.get(reverse("programs:dashboard")))
