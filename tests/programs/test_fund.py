"""The support fund's rules as a user meets them: who may receive money, who is told, in
which language, and what the pages say to someone who can do nothing there."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incubator import roles
from incubator.models import AuditRecord, OutboxMessage
from incubator.services import render_message
from programs import stages
from programs.fund import services as fund_services
from programs.journey import services as journey_services
from programs.models import Disbursement, FundApplication, FundCall
from tests.companies.factories import staff_in
from tests.programs.factories import FundCallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return FundCallFactory(
        title_ko="2027 상반기 특별 지원 기금",
        title_zh="2027年上半年专项扶持基金",
        title_en="2027 first-half special support fund",
    )


@pytest.fixture
def company(member):
    company = member.membership.company
    company.name_ko = "할빈오랑심한과학기술유한회사"
    company.name_zh = "哈尔滨奥朗深韩科技有限公司"
    company.name_en = "Harbin Orangsimhan Technology Co., Ltd."
    company.save(update_fields=["name_ko", "name_zh", "name_en"])
    return company


def apply(call, company, actor, amount="250000", purpose="Production line."):
    return fund_services.fund_apply(
        call=call,
        company=company,
        actor=actor,
        amount_requested=Decimal(amount),
        purpose=purpose,
    )


def grant(application, manager, amount="250000"):
    return fund_services.fund_decide(
        application=application,
        decision="granted",
        amount_granted=Decimal(amount),
        actor=manager,
        reason="A sound plan.",
    )


def leave(enrollment, to_stage, manager):
    """Move the enrollment to `to_stage` (withdrawn, or graduated through every stage)."""
    path = [to_stage] if to_stage == stages.WITHDRAWN else list(stages.WORKING_STAGES[1:])
    if to_stage == stages.GRADUATED:
        path.append(stages.GRADUATED)
    for stage in path:
        enrollment = journey_services.enrollment_advance(
            enrollment=enrollment, to_stage=stage, actor=manager, reason="Moves on.", override=True
        )
    return enrollment


# --- 1. Only a company still in a program receives money --------------------------------


def test_a_company_that_withdrew_gets_no_grant_but_may_be_declined(
    enrollment, company, call, member, manager
):
    application = apply(call, company, member)
    leave(enrollment, stages.WITHDRAWN, manager)
    with pytest.raises(ValidationError, match="has withdrawn from its program") as error:
        grant(application, manager)
    assert error.value.code == "withdrawn"
    call.refresh_from_db()
    application.refresh_from_db()
    assert call.remaining == call.budget and application.status == "submitted"
    assert not OutboxMessage.objects.filter(kind="fund_application_decided").exists()

    fund_services.fund_decide(
        application=application, decision="rejected", actor=manager, reason="Left the program."
    )
    assert FundApplication.objects.get().status == "rejected"
    assert OutboxMessage.objects.filter(kind="fund_application_decided").exists()


def test_the_decide_page_refuses_a_grant_to_a_company_that_withdrew(
    staff_client, enrollment, company, call, member, manager
):
    application = apply(call, company, member)
    leave(enrollment, stages.WITHDRAWN, manager)
    response = staff_client(manager).post(
        reverse("admin:programs_fundapplication_decide", args=[application.pk]),
        {
            "decision-decision": "granted",
            "decision-amount_granted": "100000",
            "decision-reason": "Good.",
            "_decide": "1",
        },
    )
    assert response.status_code == 200
    assert "has withdrawn from its program" in response.content.decode()
    assert FundCall.objects.get().remaining == call.budget


def test_a_grant_is_paid_out_to_a_company_that_graduated_never_to_one_that_withdrew(
    enrollment, company, call, member, manager, officer
):
    application = grant(apply(call, company, member), manager)
    leave(enrollment, stages.GRADUATED, manager)
    fund_services.fund_disburse(
        application=application, amount=Decimal("1000"), paid_on=timezone.localdate(), actor=officer
    )
    assert Disbursement.objects.count() == 1


def test_a_grant_is_not_paid_out_to_a_company_that_withdrew(
    enrollment, company, call, member, manager, officer
):
    application = grant(apply(call, company, member), manager)
    leave(enrollment, stages.WITHDRAWN, manager)
    with pytest.raises(ValidationError, match="has withdrawn from its program"):
        fund_services.fund_disburse(
            application=application,
            amount=Decimal("1000"),
            paid_on=timezone.localdate(),
            actor=officer,
        )
    assert not Disbursement.objects.exists()


# --- 2. A new application tells the center managers ---------------------------------------


def test_a_new_application_tells_each_center_manager_in_their_language(
    enrollment, company, call, member, manager, officer
):
    chinese_manager = staff_in(roles.CENTER_MANAGER, language="zh-hans", full_name="王芳")
    staff_in(roles.CENTER_MANAGER, is_active=False)
    application = apply(call, company, member)

    messages = {
        m.recipient: m for m in OutboxMessage.objects.filter(kind="fund_application_submitted")
    }
    # The two active managers; not the officer, who does not decide, nor a former manager.
    assert set(messages) == {manager.email, chinese_manager.email}
    chinese = messages[chinese_manager.email]
    assert chinese.language == "zh-hans"
    assert chinese.dedupe_key == (
        f"fund_application_submitted:{application.pk}:{chinese_manager.pk}"
    )
    assert chinese.payload["company"] == "哈尔滨奥朗深韩科技有限公司"
    assert chinese.payload["call"] == "2027年上半年专项扶持基金"
    assert chinese.payload["path"] == reverse(
        "admin:programs_fundapplication_decide", args=[application.pk]
    )
    assert messages[manager.email].language == "en"
    assert messages[manager.email].payload["company"] == "Harbin Orangsimhan Technology Co., Ltd."
    email = render_message(chinese)
    assert "哈尔滨奥朗深韩科技有限公司" in email.subject
    assert "CNY 250,000" in email.subject
    assert "할빈" not in email.body
    assert email.body.rstrip().endswith(chinese.payload["path"])


# --- 3. The decision's e-mail names the company and the call in the reader's language ----


@pytest.mark.parametrize(
    ("language", "company_name", "call_title"),
    [
        ("zh-hans", "哈尔滨奥朗深韩科技有限公司", "2027年上半年专项扶持基金"),
        ("en", "Harbin Orangsimhan Technology Co., Ltd.", "2027 first-half special support fund"),
    ],
)
def test_the_decision_names_company_and_call_in_the_members_language(
    enrollment, company, call, member, manager, language, company_name, call_title
):
    member.language = language
    member.save(update_fields=["language"])
    grant(apply(call, company, member), manager)

    message = OutboxMessage.objects.get(kind="fund_application_decided")
    assert message.payload["company"] == company_name
    assert message.payload["call"] == call_title
    email = render_message(message)
    assert email.subject.startswith(company_name)
    assert call_title in email.body
    assert "할빈" not in email.subject + email.body
    assert "상반기" not in email.body


# --- 4. A budget of 0 or below is refused on the field ------------------------------------


@pytest.mark.parametrize("budget", ["0", "-100"])
def test_a_call_budget_of_zero_or_less_is_refused_in_words(staff_client, manager, budget):
    response = staff_client(manager).post(
        reverse("admin:programs_fundcall_add"),
        {
            "title_ko": "기금",
            "opens_at_0": "2026-01-01",
            "opens_at_1": "00:00",
            "closes_at_0": "2027-01-01",
            "closes_at_1": "00:00",
            "budget": budget,
            "currency": "CNY",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["budget"] == ["Enter an amount above zero."]
    assert "fund_call_budget_positive" not in response.content.decode()
    assert not FundCall.objects.exists()


# --- 5. A tranche is paid between the decision and today -----------------------------------


def test_a_tranche_is_not_dated_before_the_decision_nor_in_the_future(
    enrollment, company, call, member, manager, officer
):
    application = grant(apply(call, company, member), manager)
    today = timezone.localdate()
    for paid_on, words in (
        (dt.date(1900, 1, 1), "a tranche cannot be paid before that"),
        (today - dt.timedelta(days=1), "a tranche cannot be paid before that"),
        (today + dt.timedelta(days=2), "is in the future"),
    ):
        with pytest.raises(ValidationError, match=words) as error:
            fund_services.fund_disburse(
                application=application, amount=Decimal("1000"), paid_on=paid_on, actor=officer
            )
        assert list(error.value.message_dict) == ["paid_on"]
    assert not Disbursement.objects.exists()

    fund_services.fund_disburse(
        application=application, amount=Decimal("1000"), paid_on=today, actor=officer
    )
    assert Disbursement.objects.get().paid_on == today
    assert AuditRecord.objects.filter(verb="fund_application.disburse").count() == 1


# --- 6. The officer is not sent to a page where they can do nothing -----------------------


def test_the_officer_sees_no_decide_button_on_a_submitted_application(
    staff_client, enrollment, company, call, member, manager, officer
):
    application = apply(call, company, member)
    change_url = reverse("admin:programs_fundapplication_change", args=[application.pk])
    decide_url = reverse("admin:programs_fundapplication_decide", args=[application.pk])

    client = staff_client(officer)
    assert decide_url not in client.get(change_url).content.decode()
    # Opened all the same (a link in an old e-mail), the page says why it has no form.
    page = client.get(decide_url).content.decode()
    assert "Only a center manager decides on a support fund application" in page
    assert "_decide" not in page

    client = staff_client(manager)
    assert decide_url in client.get(change_url).content.decode()
    assert "Only a center manager decides" not in client.get(decide_url).content.decode()

    # Once granted, the officer records the tranches there.
    grant(application, manager)
    client = staff_client(officer)
    assert decide_url in client.get(change_url).content.decode()
    assert 'name="_pay"' in client.get(decide_url).content.decode()


def test_the_decide_page_says_in_which_language_the_company_reads_the_reason(
    staff_client, enrollment, company, call, member, manager
):
    application = apply(call, company, member)  # the member reads Korean

    page = staff_client(manager).get(
        reverse("admin:programs_fundapplication_decide", args=[application.pk])
    )

    help_text = page.context["decision_form"].fields["reason"].help_text
    assert "Recipients' languages: Korean." in help_text
    assert "Recipients&#x27; languages: Korean." in page.content.decode()


def test_each_payment_row_is_titled_with_its_amount_as_money_is_written(
    staff_client, enrollment, company, call, member, manager, officer
):
    application = grant(apply(call, company, member), manager)
    fund_services.fund_disburse(
        application=application,
        amount=Decimal("150000"),
        paid_on=timezone.localdate(),
        actor=officer,
    )

    page = staff_client(officer).get(
        reverse("admin:programs_fundapplication_change", args=[application.pk])
    )

    title = f"{call.currency} 150,000 · {timezone.localdate().isoformat()}"
    assert title in page.content.decode()
    assert "150000.00" not in page.content.decode()


# --- 7. The portal says on sight why a company cannot apply --------------------------------


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    client.cookies["lang"] = "en"
    return client


@pytest.mark.parametrize(
    ("stage", "words"),
    [
        (stages.GRADUATED, "has graduated from its program"),
        (stages.WITHDRAWN, "has withdrawn from its program"),
        (None, "Only companies enrolled in a program may apply to the fund."),
    ],
)
def test_the_apply_page_says_why_a_company_cannot_apply(
    signed_in, company, call, cohort, officer, manager, stage, words
):
    if stage is not None:
        enrollment = journey_services.enrollment_create(
            company=company, cohort=cohort, actor=officer, reason="Accepted."
        )
        leave(enrollment, stage, manager)
    response = signed_in.get(reverse("programs:fund-apply", args=[call.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert words in html
    assert 'id="fund-form"' not in html
    # The list of calls says the same instead of an "Apply" button.
    fund_page = signed_in.get(reverse("programs:fund")).content.decode()
    assert words in fund_page
    assert reverse("programs:fund-apply", args=[call.pk]) not in fund_page


def test_the_apply_page_of_a_call_applied_to_leads_to_the_fund_page_and_says_so(
    signed_in, enrollment, company, call, member
):
    apply(call, company, member)
    url = reverse("programs:fund-apply", args=[call.pk])

    response = signed_in.get(url, follow=True)

    assert response.redirect_chain == [(reverse("programs:fund"), 302)]
    html = response.content.decode()
    assert "Your company has applied to this call already." in html
    assert 'id="fund-form"' not in html
    # Sent again (a second tab): the same answer, and still one application.
    response = signed_in.post(url, {"amount_requested": "1000", "purpose": "Again."})
    assert response.status_code == 302
    assert FundApplication.objects.count() == 1


def test_what_the_money_is_for_has_a_sane_length(signed_in, enrollment, company, call, member):
    url = reverse("programs:fund-apply", args=[call.pk])
    response = signed_in.post(url, {"amount_requested": "1000", "purpose": "x" * 200_000})
    assert response.status_code == 400
    assert "at most 4000 characters" in response.context["form"].errors["purpose"][0]
    with pytest.raises(ValidationError, match="at most 4000 characters"):
        apply(call, company, member, purpose="x" * 4001)
    assert not FundApplication.objects.exists()
    assert signed_in.post(url, {"amount_requested": "1000", "purpose": "x" * 4000}).status_code == (
        302
    )
