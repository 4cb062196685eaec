"""The startup's journey in the portal: company, members, application wizard, status."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from companies import services
from companies.models import (
    Certification,
    Company,
    Document,
    FundingRound,
    MarketValidation,
    Patent,
)
from incubator import roles
from incubator.models import OutboxMessage
from programs.admissions import services as admissions_services
from programs.admissions import wizard_services
from programs.admissions.models import Application, ApplicationEvent
from tests.companies.factories import (
    ApplicationFactory,
    CertificationFactory,
    CompanyFactory,
    FundingRoundFactory,
    IntakeFactory,
    PatentFactory,
    StaffFactory,
    UserFactory,
    staff_in,
)
from tests.companies.portal import (
    COMPANY,
    PDF,
    TODAY,
    html,
    member,
    step_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _policy_v1(policy_v1):
    """Every test here screens against the first policy."""


# --- Applying and the wizard --------------------------------------------------------------


def test_apply_to_an_open_intake_opens_the_first_step(signed_in, owner):
    intake = IntakeFactory()
    closed = IntakeFactory(
        opens_at=timezone.now() - dt.timedelta(days=60),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    page = html(signed_in.get("/portal/company/"))
    assert f"/portal/intakes/{intake.pk}/apply/" in page
    assert f"/portal/intakes/{closed.pk}/apply/" not in page

    response = signed_in.post(f"/portal/intakes/{intake.pk}/apply/", follow=True)
    application = Application.objects.get(company=owner.membership.company, intake=intake)
    assert response.redirect_chain[-1][0] == step_url(application, "company")
    assert 'aria-current="step"' in html(response)

    response = signed_in.post(f"/portal/intakes/{closed.pk}/apply/", follow=True)
    assert "not open for applications" in html(response)
    assert Application.objects.count() == 1


def test_the_wizard_resumes_at_the_last_saved_step_over_several_visits(client, owner, application):
    client.force_login(owner)
    response = client.get(f"/portal/applications/{application.pk}/continue/")
    assert response["Location"] == step_url(application, "company")
    response = client.post(step_url(application, "company"), {**COMPANY, "brn": "116-82-00276"})
    assert response["Location"] == step_url(application, "patents")
    client.logout()

    # A second visit: the saved company step is behind, the patents step is next.
    client.force_login(owner)
    response = client.get(f"/portal/applications/{application.pk}/continue/")
    assert response["Location"] == step_url(application, "patents")
    assert Company.objects.get().name_en == "Orangsimhan Technology"
    response = client.post(
        step_url(application, "patents"),
        {
            "form": "patent",
            "jurisdiction": "KR",
            "kind": "invention",
            "status": "application",
            "number": "10 2020 0123456",
            "title": "Language-learning robot",
            "applied_on": "2020-05-04",
        },
    )
    assert response.status_code == 302
    assert Patent.objects.get().number == "10-2020-0123456"
    response = client.post(step_url(application, "patents"), {"action": "continue"})
    assert response["Location"] == step_url(application, "financing")
    response = client.post(
        step_url(application, "financing"),
        {
            "form": "funding",
            "funding-round_type": "seed",
            "funding-amount": "300000000",
            "funding-currency": "KRW",
            "funding-investor": "Seoul Angels",
            "funding-date": "2021-07-01",
        },
    )
    assert response.status_code == 302
    client.logout()

    # A third visit, with a new session: back at the financing step.
    client.force_login(owner)
    response = client.get(f"/portal/applications/{application.pk}/continue/", follow=True)
    assert response.redirect_chain[-1][0] == step_url(application, "financing")
    page = html(response)
    assert "KRW 300,000,000" in page
    application.refresh_from_db()
    assert application.step == "financing"


PATENT = {
    "form": "patent",
    "jurisdiction": "KR",
    "kind": "invention",
    "status": "registered",
    "number": "10-1234567",
    "title": "Language-learning robot",
    "applied_on": "2019-05-04",
    "registered_on": "2021-01-20",
}
FUNDING = {
    "form": "funding",
    "funding-round_type": "seed",
    "funding-amount": "1000",
    "funding-currency": "USD",
    "funding-investor": "Seoul Angels",
    "funding-date": "2024-07-01",
}
MARKET = {
    "form": "market",
    "market-kind": "revenue",
    "market-description": "Sales in 2023",
    "market-amount": "50000",
    "market-currency": "CNY",
    "market-date": "2023-12-31",
}
CERTIFICATION = {
    "form": "certification",
    "kind": "venture",
    "number": "20230101234",
    "issued_on": "2023-01-01",
    "expires_on": "2026-12-31",
}
FUTURE = (TODAY + dt.timedelta(days=40)).isoformat()


@pytest.mark.parametrize(
    "step, data, field_id, message, model",
    [
        (
            "patents",
            {**PATENT, "number": "10-12345"},
            "id_number",
            "Korean patent registrations look like",
            Patent,
        ),
        ("patents", {**PATENT, "applied_on": FUTURE}, "id_applied_on", "in the future", Patent),
        (
            "patents",
            {**PATENT, "registered_on": "2018-01-01"},
            "id_registered_on",
            "cannot be before the application date",
            Patent,
        ),
        (
            "patents",
            {**PATENT, "registered_on": ""},
            "id_registered_on",
            "needs its registration date",
            Patent,
        ),
        (
            "certifications",
            {**CERTIFICATION, "expires_on": "2022-12-31"},
            "id_expires_on",
            "must be after the issue date",
            Certification,
        ),
        (
            "certifications",
            {**CERTIFICATION, "issued_on": FUTURE, "expires_on": ""},
            "id_issued_on",
            "in the future",
            Certification,
        ),
        (
            "financing",
            {**FUNDING, "funding-amount": "-5"},
            "id_funding-amount",
            "above zero",
            FundingRound,
        ),
        (
            "financing",
            {**FUNDING, "funding-currency": "JPY"},
            "id_funding-currency",
            "JPY",
            FundingRound,
        ),
        (
            "financing",
            {**FUNDING, "funding-currency": "KRW", "funding-amount": "1000.50"},
            "id_funding-amount",
            "without decimals",
            FundingRound,
        ),
        (
            "financing",
            {**FUNDING, "funding-date": FUTURE},
            "id_funding-date",
            "in the future",
            FundingRound,
        ),
        (
            "financing",
            {**MARKET, "market-amount": "-1"},
            "id_market-amount",
            "Enter 0 or an amount above it",  # 0 is taken: no amount to give
            MarketValidation,
        ),
        (
            "financing",
            {**MARKET, "market-currency": ""},
            "id_market-currency",
            "currency of the amount",
            MarketValidation,
        ),
    ],
)
def test_wrong_evidence_shows_an_error_beside_the_field_and_saves_nothing(
    signed_in, application, step, data, field_id, message, model
):
    response = signed_in.post(step_url(application, step), data)
    assert response.status_code == 400
    page = html(response)
    assert f'id="{field_id}_error"' in page
    assert message in page
    assert not model.objects.exists()
    # What was typed is still in the form.
    typed = next(v for k, v in data.items() if k.endswith(("number", "description", "investor")))
    assert f'value="{typed}"' in page


def test_a_registration_number_of_another_company_says_to_ask_the_center(signed_in, application):
    CompanyFactory(brn="1248100998")
    ours = application.company.brn

    response = signed_in.post(step_url(application, "company"), COMPANY)

    error = re.search(r'id="id_brn_error">(.*?)</p>', html(response), re.S).group(1)
    assert "Another company in the portal is registered with this" in error
    assert "contact the center" in error
    # Not the company page's invitation: someone of a company cannot join another.
    assert "invite" not in error
    application.company.refresh_from_db()
    assert application.company.brn == ours


@pytest.mark.parametrize(
    "step, data, model",
    [
        ("patents", PATENT, Patent),
        ("financing", FUNDING, FundingRound),
        ("financing", MARKET, MarketValidation),
        ("certifications", CERTIFICATION, Certification),
    ],
)
def test_evidence_is_saved_listed_and_deleted(signed_in, application, step, data, model):
    response = signed_in.post(step_url(application, step), data, follow=True)
    assert response.status_code == 200
    entry = model.objects.get(company=application.company)
    application.refresh_from_db()
    assert application.step == step
    kind = data["form"]
    delete_url = f"/portal/applications/{application.pk}/evidence/{kind}/{entry.pk}/delete/"
    assert delete_url in html(response)
    response = signed_in.post(delete_url)
    assert response.status_code == 302
    assert not model.objects.exists()


def test_a_duplicate_patent_is_refused_by_the_service_and_shown(signed_in, application):
    PatentFactory(company=application.company, number="10-1234567")
    response = signed_in.post(step_url(application, "patents"), PATENT)
    assert response.status_code == 400
    assert "This patent number is already recorded for the company." in html(response)
    assert Patent.objects.count() == 1


def test_a_certificate_sent_twice_is_recorded_once(signed_in, application):
    venture = {**CERTIFICATION, "number": "20240101030099"}
    assert signed_in.post(step_url(application, "certifications"), venture).status_code == 302

    response = signed_in.post(step_url(application, "certifications"), venture)

    assert response.status_code == 400
    assert "This certificate number is already recorded for the company." in html(response)
    assert Certification.objects.count() == 1
    # Another kind may carry the same number.
    innobiz = {**venture, "kind": "innobiz"}
    assert signed_in.post(step_url(application, "certifications"), innobiz).status_code == 302


def test_a_certificate_saved_by_two_taps_at_once_is_refused_by_the_database(
    application, monkeypatch
):
    company = application.company
    CertificationFactory(company=company, kind="venture", number="20240101030099")
    # The other tap's row was committed after this one's check: only the database sees it.
    real = Certification.validate_constraints
    checked = []

    def validate_constraints(self, exclude=None):
        checked.append(self)
        if len(checked) > 1:  # the service's second look, after the database refused
            real(self, exclude)

    monkeypatch.setattr(Certification, "validate_constraints", validate_constraints)
    twin = Certification(
        company=company, kind="venture", number="20240101030099", issued_on=dt.date(2023, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.evidence_save(instance=twin, actor=company.memberships.get().user)
    assert "This certificate number is already recorded for the company." in error.value.messages
    assert Certification.objects.count() == 1


def test_dates_use_the_browsers_date_picker_and_money_keeps_its_currency(signed_in, application):
    page = html(signed_in.get(step_url(application, "financing")))
    assert 'type="date"' in page
    assert 'name="funding-currency"' in page and 'value="CNY"' in page
    page = html(signed_in.get(step_url(application, "patents")))
    assert 'type="date"' in page


# --- Documents ------------------------------------------------------------------------------


def upload(client, application, content, name, kind="certificate", **extra):
    return client.post(
        step_url(application, "documents"),
        {"form": "document", "kind": kind, "file": SimpleUploadedFile(name, content), **extra},
    )


def test_a_pdf_is_uploaded_and_downloaded_by_members_only(client, owner, application):
    client.force_login(owner)
    response = upload(client, application, PDF, "벤처기업확인서.pdf")
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_name == "벤처기업확인서.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert "벤처기업확인서" not in document.file.name  # stored under a generated name
    page = html(client.get(step_url(application, "documents")))
    assert "벤처기업확인서.pdf" in page

    response = client.get(f"/portal/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF

    client.force_login(member())
    assert client.get(f"/portal/documents/{document.pk}/").status_code == 404


def test_staff_allowed_to_view_documents_may_download(client, application):
    from django.contrib.auth.models import Permission

    document = services.document_upload(
        company=application.company,
        uploaded_file=SimpleUploadedFile("a.pdf", PDF),
        kind="other",
        user=None,
        max_bytes=10_000,
    )
    officer = StaffFactory()
    client.force_login(officer)
    assert client.get(f"/portal/documents/{document.pk}/").status_code == 404
    officer.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(officer)
    response = client.get(f"/portal/documents/{document.pk}/")
    assert response.status_code == 200


def test_a_disguised_program_is_rejected_and_the_other_answers_stay(signed_in, application):
    PatentFactory(company=application.company)
    response = upload(signed_in, application, b"MZ\x90\x00" + b"\x00" * 200, "certificate.pdf")
    assert response.status_code == 400
    page = html(response)
    assert 'id="id_file_error"' in page
    assert "is not a PDF, PNG, JPEG, DOCX or XLSX document" in page
    assert '<option value="certificate" selected>' in page
    assert not Document.objects.exists()
    assert Patent.objects.filter(company=application.company).count() == 1


def test_an_oversized_file_is_rejected_with_the_limit(signed_in, application, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = upload(signed_in, application, PDF + b"0" * 200, "statement.pdf", kind="financial")
    assert response.status_code == 400
    page = html(response)
    assert 'id="id_file_error"' in page
    assert "files may be at most" in page
    assert '<option value="financial" selected>' in page
    assert not Document.objects.exists()


def test_a_document_is_deleted_with_its_file(
    signed_in, application, django_capture_on_commit_callbacks
):
    upload(signed_in, application, PDF, "a.pdf")
    document = Document.objects.get()
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            f"/portal/applications/{application.pk}/evidence/document/{document.pk}/delete/"
        )
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not storage.exists(name)


# --- Submission and status ----------------------------------------------------------------


def equip(company):
    """Give the company what the first policy asks for."""
    PatentFactory(company=company, number="10-1234567")
    FundingRoundFactory(company=company)
    CertificationFactory(company=company, kind="innobiz", number="INNO-7781")


def test_submission_screens_and_shows_each_criterion_with_its_reason(
    signed_in, owner, application, django_capture_on_commit_callbacks, mailoutbox
):
    equip(application.company)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            step_url(application, "review"),
            {"action": "submit", "market_fit": "Our first customers are schools in Harbin."},
        )
        # "Submit" asks for confirmation first: nothing is submitted yet.
        assert response["Location"] == f"/portal/applications/{application.pk}/submit/"
        application.refresh_from_db()
        assert application.status == Application.Status.DRAFT
        assert "Yes, submit the application" in html(signed_in.get(response["Location"]))
        response = signed_in.post(response["Location"], {"action": "confirm"})
    assert response.status_code == 302
    assert response["Location"] == f"/portal/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.market_fit == "Our first customers are schools in Harbin."
    assert application.screening and application.recommendation == "meets_all"

    page = html(signed_in.get(response["Location"]))
    assert "submitted" in page
    assert "Korea time (KST)</time>" in page  # the submission time with its zone
    for label in (
        "Years since founding",
        "Patents",
        "Financing or market validation",
        "Korean certification",
    ):
        assert label in page
    assert "1 registered patent: KR 10-1234567" in page
    assert "INNOBIZ certificate no. INNO-7781 valid until" in page
    assert page.count('class="badge badge-pass"') == 4
    assert str(application.score) not in page  # the score is for staff
    assert "meets all criteria" not in page

    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert OutboxMessage.objects.get(kind="application_submitted").status == "sent"
    assert str(application.intake) in mailoutbox[0].subject


def test_reasons_are_shown_in_the_readers_language_not_the_stored_one(client, application):
    equip(application.company)
    application = admissions_services.application_submit(application=application, user=None)
    assert "registered patent" in application.screening["criteria"][1]["reason"]
    reader = member(company=application.company, language="ko")
    client.force_login(reader)
    page = html(client.get(f"/portal/applications/{application.pk}/"))
    assert '<html lang="ko">' in page
    assert "설립 후" in page  # "Founded ... ago", rendered from the code and parameters
    assert "Founded" not in page


def test_a_failed_criterion_and_a_staff_override_are_shown(signed_in, application):
    PatentFactory(company=application.company)
    application = admissions_services.application_submit(application=application, user=None)
    page = html(signed_in.get(f"/portal/applications/{application.pk}/"))
    assert 'class="badge badge-fail"' in page
    assert "No financing round or market validation recorded." in page

    admissions_services.criterion_override(
        application=application,
        criterion="financing",
        reason="Revenue shown at the Harbin roadshow.",
        actor=staff_in(roles.PROGRAM_OFFICER),
    )
    page = html(signed_in.get(f"/portal/applications/{application.pk}/"))
    assert "Revenue shown at the Harbin roadshow." in page
    assert "counted as met" in page


def test_a_second_submission_is_refused_with_a_clear_message(signed_in, application):
    equip(application.company)
    signed_in.post(step_url(application, "review"), {"action": "submit", "market_fit": "x"})
    signed_in.post(f"/portal/applications/{application.pk}/submit/")
    response = signed_in.post(f"/portal/applications/{application.pk}/submit/", follow=True)
    assert response.redirect_chain[-1][0] == f"/portal/applications/{application.pk}/"
    response = signed_in.post(
        step_url(application, "review"), {"action": "submit", "market_fit": "changed"}, follow=True
    )
    assert "can no longer be changed" in html(response)
    application.refresh_from_db()
    assert application.market_fit == "x"
    assert application.events.filter(kind=ApplicationEvent.Kind.SUBMITTED).count() == 1


def test_after_submission_the_wizard_is_read_only(signed_in, application):
    admissions_services.application_submit(application=application, user=None)
    response = signed_in.post(step_url(application, "patents"), PATENT, follow=True)
    assert "can no longer be changed" in html(response)
    assert not Patent.objects.exists()
    response = signed_in.post(step_url(application, "company"), {**COMPANY, "name_ko": "바뀜"})
    assert response.status_code == 302
    assert Company.objects.get().name_ko != "바뀜"
    response = upload(signed_in, application, PDF, "late.pdf")
    assert not Document.objects.exists()
    page = html(signed_in.get(step_url(application, "patents")))
    assert 'name="form"' not in page  # no form to add entries any more


def test_a_submission_after_the_intake_closed_is_refused(signed_in, application):
    intake = application.intake
    intake.opens_at = timezone.now() - dt.timedelta(days=30)
    intake.closes_at = timezone.now() - dt.timedelta(minutes=1)
    intake.save()
    signed_in.post(
        step_url(application, "review"), {"action": "submit", "market_fit": "Harbin schools"}
    )
    response = signed_in.post(f"/portal/applications/{application.pk}/submit/")
    assert response.status_code == 400
    page = html(response)
    assert "The intake closed on" in page
    application.refresh_from_db()
    assert application.market_fit == "Harbin schools"  # nothing typed is lost
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert not application.events.exists()


def test_the_decision_and_its_reason_reach_the_startup(
    signed_in, owner, application, django_capture_on_commit_callbacks, mailoutbox
):
    equip(application.company)
    application = admissions_services.application_submit(application=application, user=None)
    with django_capture_on_commit_callbacks(execute=True):
        admissions_services.application_decide(
            application=application,
            decision="accepted",
            actor=staff_in(roles.PROGRAM_OFFICER),
            reason="Strong patents and a clear plan for Harbin schools.",
        )
    page = html(signed_in.get(f"/portal/applications/{application.pk}/"))
    assert "Your application is accepted." in page
    assert "Strong patents and a clear plan for Harbin schools." in page
    assert "A program officer contacts you" in page
    (mail,) = mailoutbox
    assert mail.to == [owner.email]
    assert "accepted" in mail.subject
    assert "Strong patents and a clear plan for Harbin schools." in mail.body


# --- Another company's data -------------------------------------------------------------


def test_another_company_sees_nothing_of_an_application(client, owner, application):
    patent = PatentFactory(company=application.company)
    document = services.document_upload(
        company=application.company,
        uploaded_file=SimpleUploadedFile("secret.pdf", PDF),
        kind="pitch",
        user=owner,
        max_bytes=10_000,
    )
    intruder = member()
    client.force_login(intruder)
    pk = application.pk
    for url in (
        f"/portal/applications/{pk}/",
        f"/portal/applications/{pk}/continue/",
        step_url(application, "company"),
        step_url(application, "patents"),
        step_url(application, "review"),
        f"/portal/documents/{document.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert application.company.name_ko not in html(response)
    for url, data in (
        (step_url(application, "patents"), PATENT),
        (step_url(application, "review"), {"action": "submit"}),
        (f"/portal/applications/{pk}/submit/", {}),
        (f"/portal/applications/{pk}/withdraw/", {}),
        (f"/portal/applications/{pk}/evidence/patent/{patent.pk}/delete/", {}),
        (f"/portal/applications/{pk}/evidence/document/{document.pk}/delete/", {}),
    ):
        assert client.post(url, data).status_code == 404, url
    # Own application, another company's evidence: still nothing.
    own = ApplicationFactory(company=intruder.membership.company)
    response = client.post(f"/portal/applications/{own.pk}/evidence/patent/{patent.pk}/delete/")
    assert response.status_code == 404
    assert Patent.objects.filter(pk=patent.pk).exists()
    assert Document.objects.filter(pk=document.pk).exists()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_a_user_without_company_cannot_open_applications(client, application):
    client.force_login(UserFactory())
    assert client.get(f"/portal/applications/{application.pk}/").status_code == 404


# --- E-mails ------------------------------------------------------------------------------


def test_each_member_is_told_of_the_submission_in_their_own_language(
    owner, application, django_capture_on_commit_callbacks, mailoutbox
):
    reader = member(company=application.company, language="ko")
    equip(application.company)
    with django_capture_on_commit_callbacks(execute=True):
        admissions_services.application_submit(application=application, user=reader)
    languages = dict(
        OutboxMessage.objects.filter(kind="application_submitted").values_list(
            "recipient", "language"
        )
    )
    assert languages == {owner.email: "en", reader.email: "ko"}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(languages)
    for mail in mailoutbox:
        assert "&amp;" not in mail.body and "<p>" not in mail.body  # the text part is text
        assert "<p>" in mail.alternatives[0][0]


def test_a_patent_applied_for_ignores_a_leftover_registration_date(signed_in, application):
    applied = {
        **PATENT,
        "status": "application",
        "number": "10-2020-0123456",
        "applied_on": "2020-09-15",
    }
    response = signed_in.post(step_url(application, "patents"), applied)
    assert response.status_code == 302, html(response)
    assert Patent.objects.get().registered_on is None


def test_a_kipo_application_number_of_another_year_than_its_date_is_refused(signed_in, application):
    applied = {
        **PATENT,
        "status": "application",
        "number": "10-2019-0123456",
        "applied_on": "2020-09-15",
    }
    response = signed_in.post(step_url(application, "patents"), applied)

    assert response.status_code == 400
    error = html(response).split('id="id_number_error">')[1].split("</p>")[0]
    assert "was filed in 2019" in error and "application date is in 2020" in error
    assert not Patent.objects.exists()


def test_the_service_refuses_a_kipo_application_number_of_another_year_too(application):
    patent = PatentFactory.build(
        company=application.company,
        status="application",
        number="10-2019-0123456",
        applied_on=dt.date(2020, 9, 15),
        registered_on=None,
    )
    with pytest.raises(ValidationError) as error:
        services.evidence_save(instance=patent, actor=application.company.memberships.get().user)
    assert "number" in error.value.message_dict
    assert not Patent.objects.exists()


@pytest.mark.parametrize(
    "number, wrong",
    [("abc", "ABC is not in the form"), ("10-2020-012345", "has 6 digits after the year")],
)
def test_a_wrong_patent_number_s_error_says_what_is_wrong_beside_the_help(
    signed_in, application, number, wrong
):
    applied = {**PATENT, "status": "application", "number": number, "applied_on": "2020-09-15"}
    page = html(signed_in.post(step_url(application, "patents"), applied))
    error = page.split('id="id_number_error">')[1].split("</p>")[0]
    assert wrong in error
    assert "Korean patent applications look like" not in error
    assert "Korean patent applications look like" in page  # the help, once


def test_the_number_help_gives_the_example_of_the_office_and_status(signed_in, application):
    # The example of a Korean application, refused for a registered patent, names the
    # registration's own format; the page's script swaps the example as the choice changes.
    wrong = {**PATENT, "number": "10-2020-0123456"}
    page = html(signed_in.post(step_url(application, "patents"), wrong))
    assert "Korean patent registrations look like 10-1234567" in page
    assert "data-patent-examples" in page
    assert not Patent.objects.exists()


@pytest.mark.parametrize(
    ("jurisdiction", "number", "named"),
    [
        ("KR", "10-2020-0123456", "invention patent"),
        ("KR", "30-2021-0001234", "design"),
        ("CN", "202010123456.2", "invention patent"),
    ],
)
def test_a_number_of_another_kind_of_right_is_refused_beside_the_kind(
    signed_in, application, jurisdiction, number, named
):
    # KIPO's prefix (10 patent, 20 utility model, 30 design) and CNIPA's type digit say
    # which right a number is: a utility model numbered 10-... was saved as one.
    posted = {
        **PATENT,
        "jurisdiction": jurisdiction,
        "status": "application",
        "number": number,
        "kind": "utility_model",
    }
    response = signed_in.post(step_url(application, "patents"), posted)
    assert response.status_code == 400  # a form refused, as the wizard answers
    (form,) = [s["form"] for s in response.context["sections"] if s["key"] == "patent"]
    assert form.errors["kind"] == [
        f"Number {number} is that of a {named}: choose that kind, or check the number."
    ]
    assert not Patent.objects.exists()


def test_an_intake_closes_at_the_centers_time_and_the_readers_own(client):
    # Midnight in Harbin read "2027-02-01 00:59 KST" alone to a founder in Seoul.
    closes = dt.datetime(2027, 1, 31, 15, 59, tzinfo=dt.UTC)
    IntakeFactory(opens_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC), closes_at=closes)
    founder = member(time_zone="Asia/Seoul")
    client.force_login(founder)
    client.cookies["lang"] = "en"

    page = html(client.get("/portal/company/"))

    # Each piece whole, the line free to wrap between them on a phone.
    text = re.sub(r"<[^>]+>", "", page)
    harbin, seoul = "2027-01-31 23:59 China time (CST)", "2027-02-01 00:59 Korea time (KST)"
    assert f"{harbin} · your time: {seoul}" in text
    assert '<span class="nowrap">your time: 2027-02-01 00:59</span>' in page


# --- Evidence that cannot be, or no longer counts -------------------------------------------


@pytest.mark.parametrize(
    "data, field_id, model",
    [
        ({**FUNDING, "funding-date": "2019-03-01"}, "id_funding-date", FundingRound),
        ({**MARKET, "market-date": "1990-01-01"}, "id_market-date", MarketValidation),
    ],
)
def test_evidence_dated_before_the_founding_is_refused_beside_its_date(
    signed_in, application, data, field_id, model
):
    company = application.company
    company.founded_on = dt.date(2022, 3, 15)
    company.save(update_fields=["founded_on"])

    response = signed_in.post(step_url(application, "financing"), data)

    assert response.status_code == 400
    error = html(response).split(f'id="{field_id}_error">')[1].split("</p>")[0]
    assert f"cannot be before {company.name} was founded" in error
    assert not model.objects.exists()


def test_a_certification_issued_before_the_founding_is_refused_beside_its_date(
    signed_in, application
):
    company = application.company
    company.founded_on = dt.date(2022, 3, 15)
    company.save(update_fields=["founded_on"])
    early = {**CERTIFICATION, "issued_on": "2021-01-01"}

    response = signed_in.post(step_url(application, "certifications"), early)

    assert response.status_code == 400
    error = html(response).split('id="id_issued_on_error">')[1].split("</p>")[0]
    assert f"cannot be before {company.name} was founded" in error
    assert not Certification.objects.exists()


def test_the_service_refuses_a_certification_before_the_founding_too(application):
    company = application.company
    early = Certification(
        company=company, kind="venture", number="20100101000001", issued_on=dt.date(1990, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.evidence_save(instance=early, actor=company.memberships.get().user)
    assert "issued_on" in error.value.message_dict
    assert not Certification.objects.exists()


def test_the_service_refuses_a_funding_round_before_the_founding_too(application):
    company = application.company
    round_ = FundingRound(
        company=company, round_type="seed", amount=1000, currency="USD", date=dt.date(1990, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.evidence_save(instance=round_, actor=application.company.memberships.get().user)
    assert "date" in error.value.message_dict
    assert not FundingRound.objects.exists()


def test_an_expired_certification_is_saved_with_a_warning_and_marked_expired(
    signed_in, application
):
    expired = {**CERTIFICATION, "issued_on": "2023-01-01", "expires_on": "2025-01-01"}

    response = signed_in.post(step_url(application, "certifications"), expired, follow=True)

    page = html(response)
    assert "This certification expired on" in page
    assert "screening does not count it" in page
    row = page.split('id="certification-table"')[1].split("</tr>")[1]
    assert "data-expired" in row and ">expired<" in row
    review = html(signed_in.get(step_url(application, "review")))
    assert "data-expired" in review


def test_a_valid_certification_is_saved_without_a_warning(signed_in, application):
    valid = {**CERTIFICATION, "expires_on": (TODAY + dt.timedelta(days=400)).isoformat()}
    page = html(signed_in.post(step_url(application, "certifications"), valid, follow=True))
    assert "expired" not in page


def test_the_saved_funding_round_is_named_with_its_amount_as_the_table_shows_it(
    signed_in, application
):
    data = {**FUNDING, "funding-amount": "500000000", "funding-currency": "KRW"}
    page = html(signed_in.post(step_url(application, "financing"), data, follow=True))
    assert "Saved: Seed KRW 500,000,000." in page
    assert "500000000" not in page


# --- Documents: the limit before sending ------------------------------------------------------


def test_the_file_field_carries_the_servers_limit_for_the_script(signed_in, application, settings):
    settings.UPLOAD_MAX_BYTES = 5 * 1_048_576
    page = html(signed_in.get(step_url(application, "documents")))
    field = re.search(r'<input type="file"[^>]*>', page).group(0)
    assert f'data-max-bytes="{5 * 1_048_576}"' in field
    assert "larger than 5 MB, the most the portal accepts" in field


# --- A submitted application ------------------------------------------------------------------


def test_a_submitted_application_says_its_company_profile_stays_current(signed_in, application):
    admissions_services.application_submit(application=application, user=None)
    page = html(signed_in.get(step_url(application, "review")))
    assert "what you see here can no longer be changed" not in page
    assert "The company profile shown is the current one" in page


def test_the_market_fit_answer_has_a_maximum_of_3000_characters(signed_in, application):
    page = html(signed_in.get(step_url(application, "review")))
    assert 'maxlength="3000"' in page and "data-counter" in page

    too_long = "가" * 3001
    response = signed_in.post(
        step_url(application, "review"), {"action": "save", "market_fit": too_long}
    )
    assert response.status_code == 200
    assert "Write at most 3,000 characters (it has 3,001)." in html(response)
    application.refresh_from_db()
    assert application.market_fit != too_long

    # A browser sends each line break as two characters; it counts as one.
    fits = "\r\n".join(["가" * 999] * 3)  # 2,999 characters once the breaks are one
    signed_in.post(step_url(application, "review"), {"action": "save", "market_fit": fits})
    application.refresh_from_db()
    assert application.market_fit == fits.replace("\r\n", "\n")
    with pytest.raises(ValidationError):
        wizard_services.application_review_save(
            application=application, step="review", market_fit=too_long, submit=False, user=None
        )


def test_the_accepted_application_and_its_email_lead_to_the_journey(
    signed_in, owner, application, django_capture_on_commit_callbacks, mailoutbox
):
    equip(application.company)
    application = admissions_services.application_submit(application=application, user=None)
    with django_capture_on_commit_callbacks(execute=True):
        admissions_services.application_decide(
            application=application,
            decision="accepted",
            actor=staff_in(roles.PROGRAM_OFFICER),
            reason="Welcome.",
        )

    page = html(signed_in.get(f"/portal/applications/{application.pk}/"))
    assert 'id="journey-link"' in page and 'href="/portal/journey/"' in page
    (mail,) = mailoutbox
    assert mail.body.count("/portal/journey/") == 1
    assert "/portal/journey/" in mail.alternatives[0][0]


def test_a_rejection_email_does_not_lead_to_a_journey(
    application, django_capture_on_commit_callbacks, mailoutbox
):
    application = admissions_services.application_submit(application=application, user=None)
    with django_capture_on_commit_callbacks(execute=True):
        admissions_services.application_decide(
            application=application,
            decision="rejected",
            actor=staff_in(roles.PROGRAM_OFFICER),
            reason="Not this time.",
        )
    (mail,) = mailoutbox
    assert "/portal/journey/" not in mail.body


def test_the_status_page_shows_the_published_criteria_only(signed_in, application):
    equip(application.company)
    application = admissions_services.application_submit(application=application, user=None)
    assert any(not c["required"] for c in application.screening["criteria"])  # the sector

    page = html(signed_in.get(f"/portal/applications/{application.pk}/"))

    cards = re.findall(r'data-criterion="([a-z_]+)"', page)
    assert cards == ["age", "patents", "financing", "certification", "market_fit"]
    assert "not required" not in page
    market = page.split('data-criterion="market_fit"')[1].split("</li>")[0]
    assert "A fit with the Heilongjiang market" in market
    assert "judged by the center&#x27;s staff" in market or "judged by the center's staff" in market
