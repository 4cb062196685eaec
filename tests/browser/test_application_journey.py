"""A Korean or Chinese speaking founder, from the landing page to the decision, in Chromium."""

import datetime as dt
import re
import time

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.text import capfirst

from companies.models import Document
from incubator import roles
from incubator.models import OutboxMessage, User
from incubator.services import render_message
from programs.admissions import services as admissions_services
from programs.admissions.models import Application, ScreeningPolicy
from tests.companies.factories import PASSWORD, IntakeFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A words of the screening reason for the age criterion, per language, as the
# catalogues translate "Founded %(duration)s ago (at least %(required)s years asked)."
FOUNDED = {"ko": "설립 후", "zh-hans": "成立时间"}


def tiny_pdf() -> bytes:
    """Return a valid one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@pytest.fixture
def policy_and_roles():
    # A transactional test empties the tables the migrations filled: restore them.
    roles.sync_role_permissions()
    if not ScreeningPolicy.objects.exists():
        admissions_services.policy_publish(
            actor=None,
            effective_from=dt.datetime(2020, 8, 10, tzinfo=dt.UTC),
            certification_kinds=["venture", "innobiz", "mainbiz", "rnd_center", "tips"],
        )


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def sign_in(page, url, email, password=PASSWORD):
    page.goto(url + "/portal/sign-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    submit(page, "main form button[type=submit]")


@pytest.mark.parametrize("language", ["ko", "zh-hans"])
def test_a_founder_applies_and_reads_the_decision_in_their_language(
    live_server, new_context, policy_and_roles, tmp_path, language
):
    started = time.monotonic()
    url = live_server.url
    intake = IntakeFactory()
    email = f"founder-{language}@example.kr"

    # First visit: landing page, language, account.
    page = new_context().new_page()
    page.goto(url + "/")
    with page.expect_navigation():
        page.select_option("#language-select", language)  # submits itself
    assert page.get_attribute("html", "lang") == language
    submit(page, "main a[href='/portal/sign-up/']")
    page.fill("#id_email", email)
    page.fill("#id_full_name", "남정화")
    assert page.input_value("#id_language") == language
    page.select_option("#id_time_zone", "Asia/Seoul")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    submit(page, "main form button[type=submit]")
    assert email in page.text_content("main")

    # The outbox stores no link: render the message as its delivery does.
    message = OutboxMessage.objects.get(kind="verify_email", recipient=email)
    link = re.search(r"https?://[^/\s]+(/portal/verify/\S+/)", render_message(message).body)
    page.goto(url + link.group(1))
    assert page.url.endswith("/portal/company/")
    assert page.get_attribute("html", "lang") == language

    # The company, then the application.
    submit(page, "main a[href='/portal/company/create/']")
    page.fill("#id_name_ko", "할빈오랑심한과학기술")
    page.fill("#id_name_zh", "哈尔滨奥朗心韩科技")
    page.fill("#id_name_en", "Orangsimhan Technology")
    page.fill("#id_brn", "134-86-72683")
    page.fill("#id_founded_on", "2016-03-02")
    page.select_option("#id_sector", "education")
    page.check("#id_consent_to_partners")
    submit(page, "main form button[type=submit]")
    assert "134-86-72683" in page.text_content("main")

    submit(page, f"form[action='/portal/intakes/{intake.pk}/apply/'] button")
    application = Application.objects.get(intake=intake)
    assert page.url.endswith(f"/portal/applications/{application.pk}/company/")
    page.fill("#id_city", "Seoul")
    page.fill("#id_employees", "12")
    submit(page, "main form.narrow button[type=submit]")
    assert page.url.endswith("/patents/")

    page.select_option("#id_jurisdiction", "KR")
    page.select_option("#id_status", "registered")
    page.fill("#id_number", "10-1234567")
    page.fill("#id_title", "Language-learning robot")
    page.fill("#id_applied_on", "2019-05-04")
    page.fill("#id_registered_on", "2021-01-20")
    submit(page, "#patent-form button")
    assert "10-1234567" in page.text_content("#patent-list")
    submit(page, "button[name=action][value=continue]")

    assert page.url.endswith("/financing/")
    page.select_option("#id_funding-round_type", "seed")
    page.fill("#id_funding-amount", "300000000")
    page.select_option("#id_funding-currency", "KRW")
    page.fill("#id_funding-date", "2021-07-01")
    submit(page, "#funding-form button")
    assert "KRW 300,000,000" in page.text_content("#funding-list")
    submit(page, "button[name=action][value=continue]")

    assert page.url.endswith("/certifications/")
    page.select_option("#id_kind", "venture")
    page.fill("#id_number", "20230101234")
    page.fill("#id_issued_on", "2023-01-01")
    page.fill("#id_expires_on", (dt.date.today() + dt.timedelta(days=700)).isoformat())
    submit(page, "#certification-form button")
    assert "20230101234" in page.text_content("#certification-list")
    page.context.close()

    # Second visit: signed out, a new browser context; the wizard resumes.
    page = new_context().new_page()
    sign_in(page, url, email)  # an applicant lands on their application, at the last step
    assert page.url.endswith(f"/portal/applications/{application.pk}/certifications/")
    assert page.get_attribute("html", "lang") == language
    assert page.get_attribute(".steps li[aria-current=step] a", "href").endswith("/certifications/")
    submit(page, "button[name=action][value=continue]")

    assert page.url.endswith("/documents/")
    pdf = tmp_path / "벤처기업확인서.pdf"
    pdf.write_bytes(tiny_pdf())
    page.select_option("#id_kind", "certificate")
    page.set_input_files("#id_file", str(pdf))
    submit(page, "#document-form button")
    assert "벤처기업확인서.pdf" in page.text_content("#document-list")
    assert Document.objects.get().original_name == "벤처기업확인서.pdf"
    submit(page, "button[name=action][value=continue]")

    assert page.url.endswith("/review/")
    page.fill("#id_market_fit", "Korean-language schools in Harbin are our first customers.")
    submit(page, "button[name=action][value=submit]")
    submit(page, "#confirm-submit button[type=submit]")  # submitting asks to confirm
    assert page.url.endswith(f"/portal/applications/{application.pk}/")
    assert page.get_attribute("html", "lang") == language
    assert page.locator("li[data-criterion]").count() == 5
    assert FOUNDED[language] in page.text_content("li[data-criterion=age]")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert OutboxMessage.objects.get(kind="application_submitted").status == "sent"

    # A program officer decides, through the service of the admin's decision page (which
    # test_journey drives in the browser): this test is about what the founder reads.
    officer = StaffFactory()
    officer.groups.add(Group.objects.get(name=roles.PROGRAM_OFFICER))
    admissions_services.application_decide(
        application=application,
        decision=Application.Status.ACCEPTED,
        actor=officer,
        reason="Registered patent and a clear plan for Harbin.",
    )
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED

    # The founder reloads the status page.
    page.reload()
    with translation.override(language):
        accepted = capfirst(str(Application.Status.ACCEPTED.label))
    assert page.text_content("#application-status").strip() == accepted
    assert "Registered patent and a clear plan for Harbin." in page.text_content("main")
    decided = OutboxMessage.objects.get(kind="application_decided")
    assert decided.recipient == email
    assert decided.language == language == User.objects.get(email=email).language
    assert decided.status == OutboxMessage.Status.SENT
    assert re.search(r"\S", decided.payload["reason"])
    assert time.monotonic() - started < 40
