"""From an accepted application to acceleration, in Chromium: the story of issue 4.

An officer accepts the application into a cohort; the founder opens a company-registration
request in Korean; the officer answers in Chinese; the founder records the local entity
with a valid USCC, which completes the milestone; the manager moves the company to
acceleration; the founder's journey page shows the whole timeline.
"""

import datetime as dt
import time

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from incubator import roles
from incubator.models import OutboxMessage
from programs import services, stages
from programs.admissions.models import Application
from programs.models import Enrollment, LocalEntity, ServiceRequest
from tests.companies.factories import (
    PASSWORD,
    ApplicationFactory,
    CompanyFactory,
    IntakeFactory,
    MembershipFactory,
    StaffFactory,
)
from tests.programs.factories import CohortFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUEST_BODY = "빈현에 유한회사를 설립하려고 합니다. 필요한 서류와 절차를 안내해 주세요."
ANSWER = "您好！请准备护照复印件和租赁合同，我们已为您预约宾县市场监督管理局。"
MOVE_REASON = "Local company registered in Binxian; ready for the accelerator."


@pytest.fixture
def roles_and_defaults():
    # A transactional test empties the tables the migrations filled: restore them.
    roles.sync_role_permissions()
    services.defaults_ensure()


def staff(role, **fields):
    user = StaffFactory(password=PASSWORD, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def portal_sign_in(page, url, email):
    page.goto(url + "/portal/sign-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    submit(page, "main form button[type=submit]")


# Where the admin's object tools (History, Decide...) start, and the title's text ends.
TOOLS_AND_TITLE = r"""() => {
  const tools = document.querySelector("#content .object-tools");
  const lines = [...document.querySelectorAll("#content > h1, #content > h2")].flatMap((h) => {
    const range = document.createRange();
    range.selectNodeContents(h);
    return [...range.getClientRects()].map((r) => r.bottom);
  });
  return {tools: tools && tools.getBoundingClientRect().top, title: Math.max(...lines)};
}"""


def admin_sign_in(page, url, email):
    page.goto(url + "/admin/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    submit(page, "input[type=submit]")


def test_an_accepted_company_goes_from_incubation_to_acceleration(
    live_server, new_context, signed_in, roles_and_defaults
):
    started = time.monotonic()
    url = live_server.url
    founder = MembershipFactory(
        user__email="nam@orangsimhan.example.kr",
        user__full_name="남정화",
        user__language="ko",
        user__password=PASSWORD,
        company=CompanyFactory(name_ko="할빈오랑심한과학기술", name_en="Orangsimhan"),
    ).user
    company = founder.membership.company
    intake = IntakeFactory()
    cohort = CohortFactory(program=intake.program, label_en="2026 Binxian cohort")
    application = ApplicationFactory(
        company=company, intake=intake, status=Application.Status.SUBMITTED
    )
    officer = staff(roles.PROGRAM_OFFICER, full_name="李明", language="zh-hans")
    manager = staff(roles.CENTER_MANAGER, full_name="김학봉", language="ko")

    # 1. The officer accepts the application into the cohort: the company is enrolled.
    officer_page = new_context().new_page()
    admin_sign_in(officer_page, url, officer.email)
    officer_page.goto(f"{url}/admin/programs/application/{application.pk}/decide/")
    officer_page.check("input[name='decision-decision'][value='accepted']")
    officer_page.select_option("#id_decision-cohort", str(cohort.pk))
    officer_page.fill("#id_decision-reason", "Korean-language education with a Harbin partner.")
    submit(officer_page, "input[name=_decide]")
    enrollment = Enrollment.objects.get(company=company)
    assert (enrollment.cohort, enrollment.stage) == (cohort, stages.INCUBATION)
    # Back on the application's page: its buttons sit under the title, not over it.
    assert officer_page.url.endswith(f"/admin/programs/application/{application.pk}/change/")
    boxes = officer_page.evaluate(TOOLS_AND_TITLE)
    assert boxes["tools"] >= boxes["title"], boxes

    # 2. The founder finds the journey and opens a company-registration request in Korean.
    page = new_context().new_page()
    portal_sign_in(page, url, founder.email)
    assert page.get_attribute("html", "lang") == "ko"
    assert page.url.endswith("/portal/journey/")  # an enrolled company lands on its journey
    assert page.get_attribute("#current-stage", "data-stage") == "incubation"
    milestone = "tr[data-milestone='local_entity_registered']"
    assert page.get_attribute(milestone, "data-done") == "false"
    submit(page, "main a[href='/portal/requests/new/']")
    page.select_option("#id_kind", "company_registration")
    page.fill("#id_subject", "현지 법인 설립")
    page.fill("#id_body", REQUEST_BODY)
    submit(page, "#request-form button[type=submit]")
    service_request = ServiceRequest.objects.get(company=company)
    assert page.url.endswith(f"/portal/requests/{service_request.pk}/")
    assert REQUEST_BODY in page.text_content("#thread")

    # 3. The officer takes the request and answers in Chinese.
    conversation = f"{url}/admin/programs/servicerequest/{service_request.pk}/conversation/"
    officer_page.goto(conversation)
    assert REQUEST_BODY in officer_page.text_content("#thread")
    officer_page.select_option("#id_assign-owner", str(officer.pk))
    submit(officer_page, "input[name=_assign]")
    officer_page.fill("#id_reply-body", ANSWER)
    submit(officer_page, "input[name=_reply]")
    service_request.refresh_from_db()
    assert service_request.owner == officer and service_request.due_on is not None
    told = OutboxMessage.objects.get(kind="service_request_message", recipient=founder.email)
    assert told.language == "ko" and told.status == OutboxMessage.Status.SENT

    # 4. The founder reads the answer and records the local entity; a typo is caught first.
    page.reload()
    assert page.locator("#thread li[data-from='center']").text_content().count(ANSWER) == 1
    page.goto(url + "/portal/journey/local-entity/")
    page.fill("#id_name_zh", "哈尔滨奥朗心韩科技有限公司")
    page.fill("#id_uscc", "91110108551385082A")
    page.fill("#id_registered_on", (timezone.localdate() - dt.timedelta(days=2)).isoformat())
    page.fill("#id_city", "哈尔滨市宾县")
    page.fill("#id_registered_capital", "1000000")
    page.select_option("#id_capital_currency", "CNY")
    submit(page, "#local-entity-form button[type=submit]")
    assert page.locator("#id_uscc_error").count() == 1
    assert not LocalEntity.objects.exists()
    page.fill("#id_uscc", "91110108551385082Q")
    submit(page, "#local-entity-form button[type=submit]")
    assert page.url.endswith("/portal/journey/")
    assert page.get_attribute(milestone, "data-done") == "true"
    assert "91110108551385082Q" in page.text_content("#local-entity")

    # 5. The manager moves the company to acceleration.
    manager_page = signed_in(new_context(), manager)
    manager_page.goto(f"{url}/admin/programs/enrollment/{enrollment.pk}/move/")
    manager_page.check("input[name=to_stage][value=acceleration]")
    manager_page.fill("#id_reason", MOVE_REASON)
    submit(manager_page, "input[name=_move]")
    assert Enrollment.objects.get(pk=enrollment.pk).stage == stages.ACCELERATION

    # 6. The founder's journey shows the whole timeline.
    page.goto(url + "/portal/journey/")
    assert page.get_attribute("#current-stage", "data-stage") == "acceleration"
    assert page.get_attribute(".stage-path li[aria-current=step]", "data-stage") == "acceleration"
    steps = page.locator("#timeline li")
    assert steps.count() == 2
    assert steps.nth(0).get_attribute("data-to-stage") == "incubation"
    assert "Korean-language education with a Harbin partner." in steps.nth(0).text_content()
    assert steps.nth(1).get_attribute("data-from-stage") == "incubation"
    assert steps.nth(1).get_attribute("data-to-stage") == "acceleration"
    assert MOVE_REASON in steps.nth(1).text_content()
    assert "김학봉" in steps.nth(1).text_content()
    assert page.locator(f"#request-list tr[data-request='{service_request.pk}']").count() == 1
    moved = OutboxMessage.objects.get(kind="enrollment_stage_changed", recipient=founder.email)
    assert moved.payload["to_stage"] == "acceleration"
    assert time.monotonic() - started < 60
