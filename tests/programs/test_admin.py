"""The staff side: accepting into a cohort, the pipeline board, stage moves, the request
conversation, the fund decision and the admin lists."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from incubator.models import AuditRecord, OutboxMessage
from programs import stages
from programs.admissions.models import Application
from programs.concierge import services as concierge_services
from programs.fund import services as fund_services
from programs.journey import services as journey_services
from programs.models import (
    Enrollment,
    FundApplication,
    FundCall,
    LocalEntity,
    Milestone,
    ServiceRequest,
)
from tests.companies.factories import ApplicationFactory, CompanyFactory, IntakeFactory
from tests.programs.conftest import VALID_USCC, enroll
from tests.programs.factories import CohortFactory, FundCallFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def decide_url(application):
    return reverse("admin:programs_application_decide", args=[application.pk])


def test_accepting_on_the_decide_page_enrolls_in_the_chosen_cohort(staff_client, officer, member):
    intake = IntakeFactory()
    cohort = CohortFactory(program=intake.program)
    application = ApplicationFactory(
        company=member.membership.company, intake=intake, status=Application.Status.SUBMITTED
    )
    client = staff_client(officer)
    page = client.get(decide_url(application))
    assert cohort.label in page.content.decode()

    response = client.post(
        decide_url(application),
        {
            "decision-decision": "accepted",
            "decision-reason": "Two registered patents.",
            "decision-cohort": str(cohort.pk),
            "_decide": "1",
        },
    )

    assert response.status_code == 302
    enrollment = Enrollment.objects.get()
    assert (enrollment.cohort, enrollment.application, enrollment.stage) == (
        cohort,
        application,
        stages.INCUBATION,
    )


def test_rejecting_on_the_decide_page_enrolls_nobody(staff_client, officer):
    application = ApplicationFactory(status=Application.Status.SUBMITTED)
    response = staff_client(officer).post(
        decide_url(application),
        {"decision-decision": "rejected", "decision-reason": "No patent.", "_decide": "1"},
    )
    assert response.status_code == 302
    assert not Enrollment.objects.exists()


def test_bulk_accepting_enrolls_each_company_in_its_intakes_cohort(staff_client, officer):
    intake = IntakeFactory()
    applications = ApplicationFactory.create_batch(
        2, intake=intake, status=Application.Status.SUBMITTED
    )
    response = staff_client(officer).post(
        reverse("admin:programs_application_changelist"),
        {
            "action": "accept_selected",
            "_selected_action": [a.pk for a in applications],
            "reason": "Both fit the Binxian market.",
            "_apply": "1",
        },
    )
    assert response.status_code == 302
    assert Enrollment.objects.filter(cohort__intake=intake).count() == 2


@pytest.mark.parametrize("role", ["manager", "officer", "viewer"])
def test_the_staff_roles_of_the_programs_read_the_pipeline_board(
    staff_client, request, role, enrollment
):
    page = staff_client(request.getfixturevalue(role)).get(
        reverse("admin:programs_enrollment_pipeline")
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-enrollment="{enrollment.pk}"' in html
    assert enrollment.company.name in html


def test_the_event_coordinator_has_no_business_in_the_programs(
    staff_client, coordinator, enrollment
):
    client = staff_client(coordinator)
    for url in (
        reverse("admin:programs_enrollment_pipeline"),
        reverse("admin:programs_application_changelist"),
        reverse("admin:programs_fundapplication_changelist"),
        reverse("admin:programs_servicerequest_changelist"),
        reverse("admin:companies_lead_changelist"),
    ):
        assert client.get(url).status_code == 403, url
    # What events need of a company stays: its page.
    assert (
        client.get(
            reverse("admin:companies_company_change", args=[enrollment.company_id])
        ).status_code
        == 200
    )


def test_a_portal_user_does_not_reach_the_board(client, member):
    client.force_login(member)
    response = client.get(reverse("admin:programs_enrollment_pipeline"))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_board_shows_what_is_overdue(staff_client, officer, enrollment, member):
    enrollment.milestones.filter(code="office_moved_in").update(
        due_on=timezone.localdate() - dt.timedelta(days=2)
    )
    late = concierge_services.service_request_open(
        company=enrollment.company, kind="visa", subject="Late visa", body="Help", actor=member
    )
    # Opened a week ago: a target date before the opening is refused.
    ServiceRequest.objects.filter(pk=late.pk).update(
        opened_at=timezone.now() - dt.timedelta(days=7)
    )
    concierge_services.service_request_assign(
        service_request=late,
        owner=officer,
        actor=officer,
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    page = staff_client(officer).get(reverse("admin:programs_enrollment_pipeline"))
    html = page.content.decode()
    assert "Late visa" in html
    assert "Office moved in at the center" in html
    assert "1 milestone overdue" in html and "1 request overdue" in html


def move_url(enrollment):
    return reverse("admin:programs_enrollment_move", args=[enrollment.pk])


def test_the_move_page_refuses_with_the_open_milestones_then_moves(
    staff_client, officer, enrollment
):
    client = staff_client(officer)
    page = client.get(move_url(enrollment))
    assert "override" not in page.context["form"].fields  # officers may not override
    refused = client.post(move_url(enrollment), {"to_stage": "acceleration", "reason": "Ready."})
    assert refused.status_code == 200
    assert "Required milestones of incubation are not done" in refused.content.decode()
    assert Enrollment.objects.get().stage == stages.INCUBATION

    not_offered = client.post(move_url(enrollment), {"to_stage": "graduated", "reason": "Done."})
    assert not_offered.context["form"].errors["to_stage"]

    journey_services.local_entity_register(
        company=enrollment.company,
        actor=officer,
        name_zh="哈尔滨测试科技有限公司",
        uscc="91110108551385082Q",
        registered_on=timezone.localdate(),
        city="Harbin",
        registered_capital=Decimal("100000"),
        capital_currency="CNY",
    )
    moved = client.post(move_url(enrollment), {"to_stage": "acceleration", "reason": "Ready."})
    assert moved.status_code == 302
    assert Enrollment.objects.get().stage == stages.ACCELERATION


def test_a_manager_overrides_on_the_move_page(staff_client, manager, enrollment):
    response = staff_client(manager).post(
        move_url(enrollment),
        {"to_stage": "acceleration", "reason": "Investor first.", "override": "on"},
    )
    assert response.status_code == 302
    assert enrollment.transitions.latest("created_at", "pk").overridden


def test_a_viewer_cannot_move(staff_client, viewer, enrollment):
    client = staff_client(viewer)
    assert client.get(move_url(enrollment)).status_code == 403
    assert (
        client.post(move_url(enrollment), {"to_stage": "withdrawn", "reason": "x"}).status_code
        == 403
    )
    assert Enrollment.objects.get().stage == stages.INCUBATION


def conversation_url(service_request):
    return reverse("admin:programs_servicerequest_conversation", args=[service_request.pk])


def test_staff_answer_assign_and_resolve_in_the_conversation(
    staff_client, officer, enrollment, member
):
    service_request = concierge_services.service_request_open(
        company=enrollment.company,
        kind="company_registration",
        subject="현지 법인 설립",
        body="빈현에 유한회사를 설립하려고 합니다.",
        actor=member,
    )
    client = staff_client(officer)
    assert "빈현에 유한회사를" in client.get(conversation_url(service_request)).content.decode()

    client.post(conversation_url(service_request), {"assign-owner": officer.pk, "_assign": "1"})
    answered = client.post(
        conversation_url(service_request),
        {
            "reply-body": "您好，我们已预约宾县市场监督管理局。",
            "reply-attachment": SimpleUploadedFile("材料清单.pdf", PDF),
            "_reply": "1",
        },
    )
    assert answered.status_code == 302
    service_request.refresh_from_db()
    assert service_request.owner == officer and service_request.due_on is not None
    assert service_request.messages.latest("pk").from_center
    message = OutboxMessage.objects.get(kind="service_request_message")
    assert (message.recipient, message.language) == (member.email, "ko")

    client.post(conversation_url(service_request), {"status-status": "resolved", "_status": "1"})
    assert ServiceRequest.objects.get().status == "resolved"


def test_a_viewer_reads_a_request_but_not_its_conversation(
    staff_client, viewer, enrollment, member
):
    service_request = concierge_services.service_request_open(
        company=enrollment.company,
        kind="visa",
        subject="Work visa",
        body="I am sending the passport copies.",
        actor=member,
    )
    client = staff_client(viewer)
    refused = client.get(conversation_url(service_request))
    assert refused.status_code == 403
    assert "read by the staff who handle service requests" in refused.content.decode()
    response = client.post(conversation_url(service_request), {"reply-body": "Hi", "_reply": "1"})
    assert response.status_code == 403
    assert service_request.messages.count() == 1
    # The request's page: its subject and status, not the thread, nor a link to it.
    change = client.get(
        reverse("admin:programs_servicerequest_change", args=[service_request.pk])
    ).content.decode()
    assert "Work visa" in change
    assert "passport copies" not in change and conversation_url(service_request) not in change


def test_staff_open_a_request_for_a_company(staff_client, officer, enrollment, member):
    response = staff_client(officer).post(
        reverse("admin:programs_servicerequest_add"),
        {
            "company": enrollment.company_id,
            "kind": "office",
            "subject": "Your desks are ready",
            "body": "Room 305, from Monday.",
            "owner": officer.pk,
        },
    )
    assert response.status_code == 302
    service_request = ServiceRequest.objects.get()
    assert service_request.opened_by == officer and service_request.owner == officer
    assert OutboxMessage.objects.filter(kind="service_request_message", recipient=member.email)


def fund_url(application):
    return reverse("admin:programs_fundapplication_decide", args=[application.pk])


def test_the_manager_grants_within_the_budget_and_pays_in_tranches(
    staff_client, manager, officer, enrollment, member
):
    call = FundCallFactory(budget=Decimal("300000"), remaining=Decimal("300000"))
    application = fund_services.fund_apply(
        call=call,
        company=enrollment.company,
        actor=member,
        amount_requested=Decimal("280000"),
        purpose="Equipment.",
    )
    # A program officer may not decide.
    assert (
        staff_client(officer)
        .post(
            fund_url(application),
            {
                "decision-decision": "granted",
                "decision-amount_granted": "100",
                "decision-reason": "x",
                "_decide": "1",
            },
        )
        .status_code
        == 403
    )

    client = staff_client(manager)
    over = client.post(
        fund_url(application),
        {
            "decision-decision": "granted",
            "decision-amount_granted": "300000.01",
            "decision-reason": "Good.",
            "_decide": "1",
        },
    )
    assert "Only CNY 300,000 of the call" in over.content.decode()
    assert FundCall.objects.get().remaining == Decimal("300000")

    granted = client.post(
        fund_url(application),
        {
            "decision-decision": "granted",
            "decision-amount_granted": "250000",
            "decision-reason": "Good.",
            "_decide": "1",
        },
    )
    assert granted.status_code == 302
    assert FundCall.objects.get().remaining == Decimal("50000")
    assert OutboxMessage.objects.get(kind="fund_application_decided").recipient == member.email

    today = timezone.localdate().isoformat()
    client.post(
        fund_url(application), {"payment-amount": "200000", "payment-paid_on": today, "_pay": "1"}
    )
    too_much = client.post(
        fund_url(application), {"payment-amount": "50000.01", "payment-paid_on": today, "_pay": "1"}
    )
    assert "left to pay out" in too_much.content.decode()
    application = FundApplication.objects.get()
    assert application.disbursed == Decimal("200000")
    assert application.disbursements.count() == 1


def test_an_officer_cannot_set_a_fund_budget(staff_client, officer, manager):
    data = {
        "title_ko": "기금",
        "opens_at_0": "2026-01-01",
        "opens_at_1": "00:00",
        "closes_at_0": "2027-01-01",
        "closes_at_1": "00:00",
        "budget": "1000000",
        "currency": "CNY",
    }
    assert (
        staff_client(officer).post(reverse("admin:programs_fundcall_add"), data).status_code == 403
    )
    response = staff_client(manager).post(reverse("admin:programs_fundcall_add"), data)
    assert response.status_code == 302
    assert FundCall.objects.get().remaining == Decimal("1000000")


@pytest.mark.parametrize(
    "name",
    [
        "enrollment",
        "milestone",
        "milestonetemplate",
        "cohort",
        "program",
        "localentity",
        "servicerequest",
        "servicetarget",
        "fundcall",
        "fundapplication",
        "quarterlyreport",
    ],
)
def test_every_admin_list_opens_for_the_viewer(staff_client, viewer, enrollment, name):
    response = staff_client(viewer).get(reverse(f"admin:programs_{name}_changelist"))
    assert response.status_code == 200


def test_the_enrollment_page_shows_the_timeline_and_the_series(staff_client, officer, enrollment):
    page = staff_client(officer).get(
        reverse("admin:programs_enrollment_change", args=[enrollment.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Accepted in the 2026 call." in html
    assert move_url(enrollment) in html


def test_the_enrollment_timeline_names_the_stages_in_the_staff_members_language(
    staff_client, officer, manager, enrollment
):
    journey_services.enrollment_advance(
        enrollment=enrollment, to_stage="acceleration", actor=manager, reason="Go.", override=True
    )
    client = staff_client(officer)
    client.cookies["lang"] = "zh-hans"
    html = client.get(reverse("admin:programs_enrollment_change", args=[enrollment.pk]))
    html = html.content.decode()
    # Each row of the inline is titled with its transition (str) before its columns.
    assert "— → 孵化" in html and "孵化 → 加速" in html
    assert "— → incubation" not in html and "incubation → acceleration" not in html


def test_staff_enroll_a_company_without_an_application(staff_client, officer, company):
    cohort = CohortFactory()
    response = staff_client(officer).post(
        reverse("admin:programs_enrollment_add"),
        {
            "company": company.pk,
            "cohort": cohort.pk,
            "started_on": timezone.localdate().isoformat(),
            "reason": "Introduced by the county government.",
        },
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get()
    assert enrollment.milestones.count() == len(stages.DEFAULT_MILESTONES)
    assert enroll  # the helper is shared with the other modules


def test_staff_reschedule_and_mark_a_milestone_done_in_the_admin(staff_client, officer, enrollment):
    milestone = enrollment.milestones.get(code="office_moved_in")
    url = reverse("admin:programs_milestone_change", args=[milestone.pk])
    client = staff_client(officer)
    assert client.get(url).status_code == 200
    later = (timezone.localdate() + dt.timedelta(days=90)).isoformat()

    refused = client.post(url, {"due_on": later, "mark_done": "on", "new_evidence": " "})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["new_evidence"]

    done = client.post(
        url, {"due_on": later, "mark_done": "on", "new_evidence": "Room 305, keys handed over."}
    )
    assert done.status_code == 302
    milestone.refresh_from_db()
    assert milestone.due_on.isoformat() == later
    assert milestone.is_done and milestone.done_by == officer
    assert client.get(url).status_code == 200  # read-only once done
    overdue = client.get(reverse("admin:programs_milestone_changelist") + "?progress=overdue")
    assert overdue.status_code == 200


@pytest.mark.parametrize("language", ["ko", "zh-hans"])
def test_a_reader_of_a_milestone_sees_its_fields_labelled_and_no_form_of_its_own(
    client, viewer, enrollment, language
):
    milestone = enrollment.milestones.get(code="office_moved_in")
    client.force_login(viewer)
    client.cookies["lang"] = language

    page = client.get(reverse("admin:programs_milestone_change", args=[milestone.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    # The officer's form fields (mark done, the evidence) have nothing to show a reader.
    for english in ("Mark done", "New evidence", "Evidence upload"):
        assert english not in html
    with translation.override(language):
        assert str(Milestone._meta.get_field("due_on").verbose_name) in html


@pytest.mark.parametrize(
    ("upload", "said"),
    [
        (SimpleUploadedFile("scan.pdf", b"not a pdf at all"), "is not a PDF"),
        (SimpleUploadedFile("big.pdf", PDF + b"0" * 2_000), "files may be at most"),
    ],
)
def test_a_refused_evidence_file_saves_nothing_of_the_milestone_edit(
    staff_client, officer, enrollment, settings, upload, said
):
    settings.UPLOAD_MAX_BYTES = 1_048  # the upload handler and the service read it
    milestone = enrollment.milestones.get(code="office_moved_in")
    due_on = milestone.due_on
    url = reverse("admin:programs_milestone_change", args=[milestone.pk])
    audits = AuditRecord.objects.count()
    later = (timezone.localdate() + dt.timedelta(days=90)).isoformat()

    refused = staff_client(officer).post(
        url,
        {
            "due_on": later,
            "mark_done": "on",
            "new_evidence": "Room 305, keys handed over.",
            "evidence_upload": upload,
        },
    )

    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert said in " ".join(errors["evidence_upload"])
    assert "successfully" not in refused.content.decode()
    milestone.refresh_from_db()
    assert milestone.due_on == due_on and not milestone.is_done
    assert AuditRecord.objects.count() == audits


def test_a_milestone_cannot_be_due_before_its_enrollment_started(staff_client, officer, enrollment):
    milestone = enrollment.milestones.get(code="office_moved_in")
    due_on = milestone.due_on
    url = reverse("admin:programs_milestone_change", args=[milestone.pk])

    refused = staff_client(officer).post(url, {"due_on": "2001-01-01"})

    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors["due_on"]
    assert "cannot be due before its enrollment started" in errors[0]
    milestone.refresh_from_db()
    assert milestone.due_on == due_on
    with pytest.raises(ValidationError):
        journey_services.milestone_reschedule(
            milestone=milestone, due_on=enrollment.started_on - dt.timedelta(days=1), actor=officer
        )


def test_the_admin_shows_a_registration_before_the_founding_on_the_form(
    staff_client, officer, enrollment, company
):
    response = staff_client(officer).post(
        reverse("admin:programs_localentity_add"),
        {
            "company": company.pk,
            "name_zh": "哈尔滨韩光科技有限公司",
            "uscc": VALID_USCC,
            "registered_on": "1800-01-01",
            "city": "Harbin",
            "registered_capital": "1000000",
            "capital_currency": "CNY",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["registered_on"]
    assert "cannot be registered before" in errors[0]
    assert not LocalEntity.objects.exists()


def test_the_board_counts_no_milestone_of_a_later_stage_or_an_ended_enrollment(
    staff_client, officer, enrollment
):
    long_ago = timezone.localdate() - dt.timedelta(days=400)
    enrollment.milestones.update(due_on=long_ago)  # every milestone's date has passed
    withdrawn = enroll(CompanyFactory(), CohortFactory(), officer)
    withdrawn.milestones.update(due_on=long_ago)
    journey_services.enrollment_advance(
        enrollment=withdrawn, to_stage="withdrawn", actor=officer, reason="Back to Korea."
    )
    client = staff_client(officer)
    page = client.get(reverse("admin:programs_enrollment_pipeline"))
    board = {
        e.pk: e.overdue_milestones
        for _stage, _label, cards, _total, _more in page.context["columns"]
        for e in cards
    }
    # Incubation: its two milestones; not those of acceleration and industrialization. The
    # withdrawn enrollment is not on the board: the enrollments' list shows it.
    assert board == {enrollment.pk: 2}
    assert {(m.enrollment_id, m.code) for m in page.context["overdue_milestones"]} == {
        (enrollment.pk, "local_entity_registered"),
        (enrollment.pk, "office_moved_in"),
    }
    ended = client.get(reverse("admin:programs_enrollment_changelist") + "?stage__exact=withdrawn")
    assert {e.pk: e.overdue_total for e in ended.context["cl"].result_list} == {withdrawn.pk: 0}


@pytest.mark.parametrize(
    ("language", "title", "page"),
    [("ko", "볼 입주 과정 선택", "입주 과정 보기"), ("zh-hans", "选择要查看的入驻", "查看入驻")],
)
def test_a_viewers_lists_and_pages_are_titled_in_plain_korean_and_chinese(
    staff_client, viewer, enrollment, language, title, page
):
    # Django's own Korean reads "보기위한 1입주 과정 를(을) 선택" and "뷰 입주 과정".
    client = staff_client(viewer)
    client.cookies["lang"] = language
    listed = client.get(reverse("admin:programs_enrollment_changelist")).content.decode()
    assert f"<h1>{title}" in listed
    assert "보기위한" not in listed
    shown = client.get(
        reverse("admin:programs_enrollment_change", args=[enrollment.pk])
    ).content.decode()
    assert f"| {page} |" in shown


def test_a_stale_link_to_a_deleted_object_says_so_in_plain_korean(staff_client, viewer):
    client = staff_client(viewer)
    client.cookies["lang"] = "ko"
    gone = reverse("admin:programs_enrollment_change", args=[999999])
    page = client.get(gone, follow=True).content.decode()
    assert "ID가 “999999”인 입주 과정이(가) 없습니다." in page


def test_a_lists_filters_and_delete_action_read_as_korean(staff_client, manager, enrollment):
    # Django's own Korean: "단계 (으)로", "선택된 기수 을/를 삭제합니다."
    client = staff_client(manager)
    client.cookies["lang"] = "ko"
    enrollments = client.get(reverse("admin:programs_enrollment_changelist")).content.decode()
    assert "단계 기준" in enrollments and "(으)로" not in enrollments
    cohorts = client.get(reverse("admin:programs_cohort_changelist")).content.decode()
    assert "선택한 기수 삭제" in cohorts and "을/를" not in cohorts


def test_the_admins_chinese_titles_do_not_space_out_a_chinese_name(staff_client, manager):
    client = staff_client(manager)
    client.cookies["lang"] = "zh-hans"
    cohorts = client.get(reverse("admin:programs_cohort_changelist")).content.decode()
    assert "<h1>选择要修改的" in cohorts and "来修改" not in cohorts
    assert "<h1>增加批次" in client.get(reverse("admin:programs_cohort_add")).content.decode()


def test_the_milestone_list_filters_by_kind_named_in_the_readers_language(
    client, officer, enrollment
):
    client.force_login(officer)
    client.cookies["lang"] = "ko"
    url = reverse("admin:programs_milestone_changelist")
    page = client.get(url).content.decode()
    office = enrollment.milestones.get(code="office_moved_in")
    # The filter names each kind by its title, not by the code of the programme.
    assert f">{office.title_ko}</a>" in page
    assert ">office_moved_in</a>" not in page
    listed = client.get(url, {"code": "office_moved_in"}).context["cl"].result_list
    assert [m.pk for m in listed] == [office.pk]
