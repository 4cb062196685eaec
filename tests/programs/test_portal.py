"""The startup's journey pages: what a member sees and may do, and nothing of another company."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from incubator.models import OutboxMessage
from programs import stages
from programs.concierge import services as concierge_services
from programs.journey import services as journey_services
from programs.models import (
    Enrollment,
    FundApplication,
    LocalEntity,
    Milestone,
    QuarterlyReport,
    ServiceMessage,
    ServiceRequest,
)
from tests.companies.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.programs.conftest import VALID_USCC, WRONG_CHECK_USCC, enroll
from tests.programs.factories import CohortFactory, FundCallFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JOURNEY = "/portal/journey/"


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    client.cookies["lang"] = "en"
    return client


@pytest.fixture
def stranger_request(officer):
    """A request of another enrolled company, with a file from the center."""
    other = MembershipFactory().user
    enroll(other.membership.company, CohortFactory(), officer)
    service_request = concierge_services.service_request_open(
        company=other.membership.company,
        kind="visa",
        subject="Visa of the other company",
        body="Secret.",
        actor=other,
        uploaded_file=SimpleUploadedFile("passport.pdf", PDF),
        max_bytes=10_000_000,
    )
    return service_request


def test_the_journey_shows_stage_milestones_and_timeline(signed_in, enrollment, officer):
    page = signed_in.get(JOURNEY)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="current-stage" data-stage="incubation"' in html
    assert 'data-milestone="local_entity_registered" data-done="false"' in html
    assert 'data-to-stage="incubation"' in html
    assert "Accepted in the 2026 call." in html
    assert reverse("programs:request-create") in html


@pytest.mark.parametrize(
    ("language", "not_done"), [("ko", "미완료"), ("zh-hans", "未完成")], ids=["ko", "zh-hans"]
)
def test_a_milestone_not_done_reads_not_done_not_received(
    signed_in, enrollment, language, not_done
):
    # "open" of a service request is "received" (ko 접수): a milestone has its own word.
    signed_in.cookies["lang"] = language
    html = signed_in.get(JOURNEY).content.decode()
    assert f'<span class="badge">{not_done}</span>' in html
    assert "접수" not in html


def test_the_timeline_names_the_stages_in_the_members_language(signed_in, enrollment, manager):
    journey_services.enrollment_advance(
        enrollment=enrollment, to_stage="acceleration", actor=manager, reason="Go.", override=True
    )
    signed_in.cookies["lang"] = "zh-hans"
    html = signed_in.get(JOURNEY).content.decode()
    assert "<strong>孵化 → 加速</strong>" in html
    assert "incubation → acceleration" not in html.lower()


def test_a_company_accepted_before_its_cohort_starts_reads_one_start_date(
    signed_in, company, officer
):
    starts_on = timezone.localdate() + dt.timedelta(days=60)
    enroll(company, CohortFactory(starts_on=starts_on), officer)

    html = signed_in.get(JOURNEY).content.decode()

    start = f'<time datetime="{starts_on.isoformat()}">'
    assert start in html.split('id="enrollment-start"')[1].split("</p>")[0]
    assert "starts on" in html.split('id="enrollment-start"')[1].split("</p>")[0]
    assert start in html.split('id="stage-since"')[1].split("</span>")[0]
    # The timeline's first step is on that day too (noon there, the same date in UTC).
    assert f'datetime="{starts_on.isoformat()}T' in html.split('id="timeline"')[1]
    dashboard = signed_in.get("/portal/company/").content.decode()
    assert f"starts on {starts_on:%Y-%m-%d}" in dashboard


def test_a_company_not_enrolled_yet_is_told_so(signed_in):
    page = signed_in.get(JOURNEY)
    assert page.status_code == 200
    assert "not enrolled in a program yet" in page.content.decode()


def test_the_dashboard_links_to_the_journey(signed_in, enrollment):
    assert 'href="/portal/journey/"' in signed_in.get("/portal/company/").content.decode()


def test_staff_go_to_the_admin_and_strangers_sign_in(client, officer):
    assert client.get(JOURNEY).url.startswith("/portal/sign-in/")
    client.force_login(officer)
    assert client.get(JOURNEY).url == "/admin/"


def test_a_member_marks_a_milestone_done(signed_in, enrollment, member):
    milestone = enrollment.milestones.get(code="office_moved_in")
    response = signed_in.post(
        reverse("programs:milestone-done", args=[milestone.pk]),
        {"evidence": "Room 305 of the center.", "file": SimpleUploadedFile("lease.pdf", PDF)},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.is_done and milestone.done_by == member
    download = signed_in.get(reverse("programs:milestone-evidence", args=[milestone.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"


def test_a_milestone_without_evidence_stays_open_with_a_message(signed_in, enrollment):
    milestone = enrollment.milestones.get(code="office_moved_in")
    response = signed_in.post(
        reverse("programs:milestone-done", args=[milestone.pk]), {"evidence": " "}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Milestone.objects.get(pk=milestone.pk).is_done


@pytest.mark.parametrize("evidence", ["Room 305, again.", " "])
def test_a_milestone_done_already_says_so_above_the_journey(
    signed_in, enrollment, member, evidence
):
    milestone = enrollment.milestones.get(code="office_moved_in")
    url = reverse("programs:milestone-done", args=[milestone.pk])
    assert signed_in.post(url, {"evidence": "Room 305 of the center."}).status_code == 302
    done = Milestone.objects.get(pk=milestone.pk)
    signed_in.cookies["lang"] = "ko"

    again = signed_in.post(url, {"evidence": evidence})

    assert again.status_code == 302 and again.url == reverse("programs:journey")
    page = signed_in.get(again.url).content.decode()
    assert "이 마일스톤은 이미 완료되었습니다." in page
    milestone.refresh_from_db()
    assert (milestone.done_at, milestone.evidence) == (done.done_at, "Room 305 of the center.")


def test_a_milestone_of_another_company_is_a_404(signed_in, enrollment, officer):
    other = enroll(CompanyFactory(), CohortFactory(), officer)
    milestone = other.milestones.first()
    response = signed_in.post(
        reverse("programs:milestone-done", args=[milestone.pk]), {"evidence": "Mine."}
    )
    assert response.status_code == 404
    assert not Milestone.objects.get(pk=milestone.pk).is_done


def test_the_local_entity_form_checks_the_uscc(signed_in, enrollment):
    url = reverse("programs:local-entity")
    fields = {
        "name_zh": "哈尔滨韩光科技有限公司",
        "registered_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "city": "Harbin",
        "registered_capital": "1000000",
        "capital_currency": "CNY",
    }
    refused = signed_in.post(url, {**fields, "uscc": WRONG_CHECK_USCC})
    assert refused.status_code == 400
    assert "check character" in refused.content.decode()
    assert not LocalEntity.objects.exists()

    accepted = signed_in.post(url, {**fields, "uscc": "9111-0108-5513-8508-2Q"})
    assert accepted.status_code == 302
    assert LocalEntity.objects.get().uscc == VALID_USCC
    assert enrollment.milestones.get(code=stages.LOCAL_ENTITY_MILESTONE).is_done


def test_a_local_entity_registered_before_the_company_was_founded_is_refused(
    signed_in, enrollment, company
):
    fields = {
        "name_zh": "哈尔滨韩光科技有限公司",
        "uscc": VALID_USCC,
        "registered_on": "1800-01-01",
        "city": "Harbin",
        "registered_capital": "1000000",
        "capital_currency": "CNY",
    }

    refused = signed_in.post(reverse("programs:local-entity"), fields)

    assert refused.status_code == 400
    errors = refused.context["form"].errors["registered_on"]
    assert f"cannot be registered before {company.name} was founded" in errors[0]
    assert not LocalEntity.objects.exists()
    assert not enrollment.milestones.get(code=stages.LOCAL_ENTITY_MILESTONE).is_done


def _entity(company, member):
    return journey_services.local_entity_register(
        company=company,
        actor=member,
        name_zh="哈尔滨晨曦人工智能有限公司",
        uscc=VALID_USCC,
        registered_on=timezone.localdate() - dt.timedelta(days=10),
        city="Harbin",
        registered_capital=Decimal("1000000"),
        capital_currency="CNY",
    )


def test_a_member_corrects_the_recorded_local_entity(signed_in, enrollment, company, member):
    from incubator.models import AuditRecord

    entity = _entity(company, member)
    edit = reverse("programs:local-entity-edit", args=[entity.pk])
    journey = signed_in.get(JOURNEY).content.decode()
    assert f'href="{edit}"' in journey
    # One is recorded: the button adds another, and says so.
    assert "Add a local entity" in journey and "Record a local entity" not in journey
    form = signed_in.get(edit).content.decode()
    assert 'value="哈尔滨晨曦人工智能有限公司"' in form

    response = signed_in.post(
        edit,
        {
            "name_zh": "哈尔滨晨曦人工智能有限公司",
            "uscc": VALID_USCC,
            "registered_on": entity.registered_on.isoformat(),
            "city": "Harbin (Binxian)",
            "registered_capital": "5000000",
            "capital_currency": "CNY",
        },
    )

    assert response.status_code == 302
    entity.refresh_from_db()
    assert (entity.city, entity.registered_capital) == ("Harbin (Binxian)", Decimal("5000000"))
    assert LocalEntity.objects.count() == 1
    record = AuditRecord.objects.get(verb="local_entity.update")
    assert record.actor == member and record.company_id == company.pk
    assert record.changes == {
        "city": ["Harbin", "Harbin (Binxian)"],
        "registered_capital": ["1000000.00", "5000000"],
    }
    assert enrollment.milestones.get(code=stages.LOCAL_ENTITY_MILESTONE).is_done


def test_a_correction_keeps_the_rules_of_a_local_entity(signed_in, enrollment, company, member):
    entity = _entity(company, member)
    refused = signed_in.post(
        reverse("programs:local-entity-edit", args=[entity.pk]),
        {
            "name_zh": entity.name_zh,
            "uscc": entity.uscc,
            "registered_on": "1800-01-01",
            "city": "Harbin",
            "registered_capital": "1000000",
            "capital_currency": "CNY",
        },
    )
    assert refused.status_code == 400
    assert "cannot be registered before" in refused.context["form"].errors["registered_on"][0]
    entity.refresh_from_db()
    assert entity.registered_on == timezone.localdate() - dt.timedelta(days=10)


def test_another_companys_local_entity_is_not_found(client, enrollment, company, member):
    entity = _entity(company, member)
    client.force_login(MembershipFactory().user)
    url = reverse("programs:local-entity-edit", args=[entity.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"city": "Elsewhere"}).status_code == 404
    with pytest.raises(PermissionDenied):
        journey_services.local_entity_update(
            entity=entity, actor=MembershipFactory().user, city="Elsewhere"
        )


def test_a_member_opens_follows_and_answers_a_request(signed_in, enrollment, member, officer):
    response = signed_in.post(
        reverse("programs:request-create"),
        {
            "kind": "company_registration",
            "subject": "현지 법인 설립",
            "body": "빈현에 유한회사를 설립하려고 합니다.",
            "file": SimpleUploadedFile("사업계획서.pdf", PDF),
        },
    )
    service_request = ServiceRequest.objects.get()
    assert response.url == reverse("programs:request-detail", args=[service_request.pk])
    concierge_services.service_request_reply(
        service_request=service_request, actor=officer, body="您好，请提供护照复印件。"
    )
    page = signed_in.get(response.url).content.decode()
    assert "您好，请提供护照复印件。" in page and "사업계획서.pdf" in page

    reply = signed_in.post(
        response.url, {"body": "여권 사본입니다.", "file": SimpleUploadedFile("여권.pdf", PDF)}
    )
    assert reply.status_code == 302
    assert service_request.messages.count() == 3
    file_message = service_request.messages.exclude(file="").latest("pk")
    download = signed_in.get(
        reverse("programs:request-file", args=[service_request.pk, file_message.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    listing = signed_in.get(reverse("programs:request-list")).content.decode()
    assert "현지 법인 설립" in listing

    closed = signed_in.post(reverse("programs:request-close", args=[service_request.pk]))
    assert closed.status_code == 302
    assert ServiceRequest.objects.get().status == "closed"


def test_an_empty_reply_is_refused(signed_in, enrollment, member):
    service_request = concierge_services.service_request_open(
        company=enrollment.company, kind="tax", subject="VAT", body="How?", actor=member
    )
    response = signed_in.post(
        reverse("programs:request-detail", args=[service_request.pk]), {"body": "  "}
    )
    assert response.status_code == 400
    assert "Write a message or attach a file." in response.content.decode()
    assert service_request.messages.count() == 1


def test_a_startup_sees_only_its_own_requests_and_files(
    signed_in, enrollment, member, stranger_request
):
    own = concierge_services.service_request_open(
        company=enrollment.company, kind="office", subject="Two desks", body="Please.", actor=member
    )
    listing = signed_in.get(reverse("programs:request-list")).content.decode()
    assert "Two desks" in listing and "Visa of the other company" not in listing
    journey = signed_in.get(JOURNEY).content.decode()
    assert "Two desks" in journey and "Visa of the other company" not in journey

    message = stranger_request.messages.get()
    for url in (
        reverse("programs:request-detail", args=[stranger_request.pk]),
        reverse("programs:request-file", args=[stranger_request.pk, message.pk]),
        # Their message under our request's number: still not ours.
        reverse("programs:request-file", args=[own.pk, message.pk]),
    ):
        assert signed_in.get(url).status_code == 404


def test_a_reply_to_another_companys_request_is_a_404_and_changes_nothing(
    signed_in, enrollment, stranger_request
):
    response = signed_in.post(
        reverse("programs:request-detail", args=[stranger_request.pk]), {"body": "Hello?"}
    )
    assert response.status_code == 404
    closing = signed_in.post(reverse("programs:request-close", args=[stranger_request.pk]))
    assert closing.status_code == 404
    assert ServiceMessage.objects.filter(request=stranger_request).count() == 1
    assert ServiceRequest.objects.get(pk=stranger_request.pk).status == "open"


def test_the_staff_who_handle_requests_download_their_files(
    client, stranger_request, officer, viewer
):
    message = stranger_request.messages.get()
    url = reverse("programs:request-file", args=[stranger_request.pk, message.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 200
    # The viewer reads the requests, not the passport copies of their threads.
    client.force_login(viewer)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())  # a portal account without a company
    assert client.get(url).status_code == 404


def test_a_member_applies_to_the_fund(signed_in, enrollment):
    call = FundCallFactory()
    assert call.title in signed_in.get(reverse("programs:fund")).content.decode()
    url = reverse("programs:fund-apply", args=[call.pk])
    too_precise = signed_in.post(url, {"amount_requested": "100.123", "purpose": "Servers."})
    assert too_precise.status_code == 400
    response = signed_in.post(url, {"amount_requested": "200000", "purpose": "GPU servers."})
    assert response.status_code == 302
    # Sent again (another tab, the back button): the fund page, saying so; nothing saved.
    again = signed_in.post(url, {"amount_requested": "100", "purpose": "More."}, follow=True)
    assert again.redirect_chain[-1][0] == reverse("programs:fund")
    assert "applied to this call already" in again.content.decode()
    # The call is still open: the page does not say that none is.
    fund_page = signed_in.get(reverse("programs:fund")).content.decode()
    assert "You have applied to every open call" in fund_page
    assert "No call is open right now." not in fund_page
    assert FundApplication.objects.get().amount_requested == 200000


def test_a_company_not_enrolled_cannot_apply_to_the_fund(signed_in):
    call = FundCallFactory()
    response = signed_in.post(
        reverse("programs:fund-apply", args=[call.pk]),
        {"amount_requested": "1000", "purpose": "Anything."},
    )
    assert response.status_code == 400
    assert "Only companies enrolled" in response.content.decode()
    assert not FundApplication.objects.exists()


def test_the_portal_asks_for_the_report_when_due_and_refuses_a_second_one(
    signed_in, old_enrollment
):
    last = stages.quarter_of(timezone.localdate()).previous()
    assert 'id="report-due"' in signed_in.get(JOURNEY).content.decode()
    fields = {
        "period": f"{last.year}-{last.quarter}",
        "revenue": "250000",
        "revenue_currency": "CNY",
        "employees_china": "4",
        "employees_korea": "9",
        "funding_raised": "0",
        "funding_currency": "CNY",
        "customers_china": "3",
    }
    url = reverse("programs:report-create")
    assert signed_in.post(url, fields).status_code == 302
    assert 'id="report-due"' not in signed_in.get(JOURNEY).content.decode()

    again = signed_in.post(url, {**fields, "revenue": "1"})
    assert again.status_code == 400
    assert f"{last} is reported already." in again.content.decode()
    assert QuarterlyReport.objects.get().revenue == 250000


REPORT = {
    "revenue": "250000",
    "revenue_currency": "CNY",
    "employees_china": "4",
    "employees_korea": "9",
    "funding_raised": "0",
    "funding_currency": "CNY",
    "customers_china": "3",
}


def test_the_report_messages_name_the_quarter_as_the_page_does(signed_in, old_enrollment):
    last = stages.quarter_of(timezone.localdate()).previous()
    fields = {**REPORT, "period": f"{last.year}-{last.quarter}"}
    url = reverse("programs:report-create")
    signed_in.cookies["lang"] = "ko"

    filed = signed_in.post(url, fields, follow=True).content.decode()
    again = signed_in.post(url, fields).content.decode()

    quarter = f"{last.year}년 {last.quarter}분기"
    assert f"감사합니다. {quarter} 보고가 제출되었습니다." in filed
    assert 'id="report-correction"' in filed  # whom to ask to correct it
    assert f"{quarter}은(는) 이미 보고되었습니다." in again
    assert f"{last.year} Q{last.quarter}" not in filed + again


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        # Past the column's range too, the limit is the report's, not the database's.
        ("employees_china", "99999999999", "Enter a number from 0 to 10,000."),
        ("employees_korea", "9223372036854775808", "Enter a number from 0 to 10,000."),
        ("customers_china", "99999999999", "Enter a number from 0 to 1,000,000."),
        ("employees_china", "10001", "Enter a number from 0 to 10,000."),
        ("employees_korea", "20000", "Enter a number from 0 to 10,000."),
        ("customers_china", "1000001", "Enter a number from 0 to 1,000,000."),
    ],
)
def test_a_report_with_an_impossible_count_is_refused_on_its_field(
    signed_in, old_enrollment, field, value, said
):
    last = stages.quarter_of(timezone.localdate()).previous()
    fields = {**REPORT, "period": f"{last.year}-{last.quarter}", field: value}

    refused = signed_in.post(reverse("programs:report-create"), fields)

    assert refused.status_code == 400
    assert refused.context["form"].errors[field] == [said]
    assert "2147483647" not in refused.content.decode()
    assert not QuarterlyReport.objects.exists()


def test_a_report_that_raised_nothing_needs_no_funding_currency(signed_in, old_enrollment):
    last = stages.quarter_of(timezone.localdate()).previous()
    fields = {
        "period": f"{last.year}-{last.quarter}",
        "revenue": "250000",
        "revenue_currency": "KRW",
        "employees_china": "4",
        "employees_korea": "9",
        "funding_raised": "0",
        "customers_china": "3",
    }
    url = reverse("programs:report-create")
    signed_in.cookies["lang"] = "ko"
    form = signed_in.get(url).content.decode()
    assert f"{last.year}년 {last.quarter}분기" in form

    raised = signed_in.post(url, {**fields, "funding_raised": "1000"})
    negative = signed_in.post(url, {**fields, "revenue": "-5"})
    assert raised.context["form"].errors["funding_currency"]
    assert negative.context["form"].errors["revenue"] == ["0 이상의 금액을 입력하세요."]
    assert signed_in.post(url, fields).status_code == 302
    assert QuarterlyReport.objects.get().funding_currency == "KRW"


def test_the_stage_change_email_renders_in_the_members_language(enrollment, member, officer):
    from incubator.services import render_message

    journey_services.enrollment_advance(
        enrollment=enrollment, to_stage="withdrawn", actor=officer, reason="Back to Korea."
    )
    message = OutboxMessage.objects.get(kind="enrollment_stage_changed")
    email = render_message(message)
    assert message.language == "ko"
    assert "Back to Korea." in email.body
    assert "/portal/journey/" in email.body


def test_the_stage_change_email_names_the_company_in_each_members_language(
    enrollment, company, member, officer
):
    from incubator.services import render_message

    company.name_zh = "哈尔滨奥朗心韩科技有限公司"
    company.save(update_fields=["name_zh"])
    chinese = MembershipFactory(company=company, user__language="zh-hans", role="member").user
    english = MembershipFactory(company=company, user__language="en", role="member").user
    Enrollment.objects.filter(pk=enrollment.pk).update(stage=stages.INDUSTRIALIZATION)
    enrollment.milestones.update(done_at=timezone.now(), evidence="Done in the test.")

    journey_services.enrollment_advance(
        enrollment=enrollment, to_stage=stages.GRADUATED, actor=officer, reason="Production runs."
    )

    sent = {
        m.recipient: render_message(m)
        for m in OutboxMessage.objects.filter(kind="enrollment_stage_changed")
    }
    assert company.name_ko in sent[member.email].subject
    assert company.name_zh in sent[chinese.email].subject
    assert company.name_ko not in sent[chinese.email].subject + sent[chinese.email].body
    assert sent[english.email].subject == f"{company.name_en} has graduated"
    assert (
        f"{company.name_en} has completed the industrialization (industry export, local "
        "production) stage and graduated from the program." in sent[english.email].body
    )


def test_a_withdrawn_application_reads_as_its_button_says_and_a_stage_as_leaving():
    # The button says 철회 (withdraw); the status said 중도 포기 (dropped out), the word of
    # a company that leaves the programme.
    from django.utils import translation

    from programs.models import Application, Enrollment

    with translation.override("ko"):
        assert str(Application.Status.WITHDRAWN.label) == "철회"
        assert str(Enrollment.Stage.WITHDRAWN.label) == "중도 포기"
