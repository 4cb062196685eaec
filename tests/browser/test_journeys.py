"""A judge and a founder, from the sign-in page on, by clicks only, in Korean and Chinese."""

import pytest
from django.utils import translation

from events.judging.models import (
    CompetitionEntry,
    CompetitionRound,
    JudgeAssignment,
    JudgingCriterion,
)
from events.models import Event
from programs.admissions.models import Application
from tests.browser.test_application_journey import policy_and_roles, sign_in, submit  # noqa: F401
from tests.companies.factories import (
    ApplicationFactory,
    IntakeFactory,
    MembershipFactory,
    UserFactory,
)
from tests.events.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def text(language: str, message: str) -> str:
    with translation.override(language):
        return str(translation.gettext(message))


@pytest.mark.parametrize("language", ["ko", "zh-hans"])
def test_a_judge_and_a_founder_find_their_work_from_the_sign_in(
    live_server,
    new_context,
    policy_and_roles,  # noqa: F811
    language,
):
    url = live_server.url

    # The judge: lands on the entries to score, scores one, sees it submitted.
    event = EventFactory(kind=Event.Kind.COMPETITION, meeting_tables=0, interpreters_per_slot=0)
    round_ = CompetitionRound.objects.create(event=event, name_en="Final", name_ko="결선")
    criterion = JudgingCriterion.objects.create(round=round_, name_en="Technology", order=1)
    entry = CompetitionEntry.objects.create(
        round=round_, company=MembershipFactory().company, title="Alpha robot"
    )
    judge = UserFactory(language=language)
    assignment = JudgeAssignment.objects.create(entry=entry, judge=judge)

    page = new_context().new_page()
    sign_in(page, url, judge.email)
    assert page.url.endswith("/portal/judging/")
    assert page.get_attribute("html", "lang") == language
    assert page.get_attribute("[data-portal-link=judging]", "aria-current") == "page"
    assert text(language, "Judging") in page.text_content("nav.main-nav")
    submit(page, f"#assignments tr[data-assignment='{assignment.pk}'] a")
    page.fill(f"#score-{criterion.pk}", "8")
    submit(page, "button[name=action][value=submit]")
    submit(page, "[data-portal-link=judging]")
    row = page.text_content(f"#assignments tr[data-assignment='{assignment.pk}']")
    assert text(language, "Submitted") in row
    page.context.close()

    # The founder: lands on the application, is told what is missing, confirms, withdraws.
    founder = UserFactory(language=language)
    company = MembershipFactory(user=founder).company
    application = ApplicationFactory(
        company=company, intake=IntakeFactory(), market_fit="", step="review"
    )
    page = new_context().new_page()
    sign_in(page, url, founder.email)
    assert page.url.endswith(f"/portal/applications/{application.pk}/review/")
    assert page.get_attribute("html", "lang") == language
    assert page.is_visible("#missing-answers")
    page.fill("#id_market_fit", "Korean-language schools in Harbin are our first customers.")
    submit(page, "button[name=action][value=submit]")
    assert page.url.endswith(f"/portal/applications/{application.pk}/submit/")
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT  # not before the confirmation
    submit(page, "#confirm-submit button[type=submit]")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert page.url.endswith(f"/portal/applications/{application.pk}/")

    submit(page, f"a[href='/portal/applications/{application.pk}/withdraw/']")
    submit(page, "main form button[type=submit]")
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    with translation.override(language):
        withdrawn = str(Application.Status.WITHDRAWN.label)
    assert page.text_content("#application-status").strip().lower() == withdrawn.lower()

    # The header leads home: the company's page lists the application and no journey yet.
    submit(page, "[data-portal-link=application]")
    assert page.url.endswith(f"/portal/applications/{application.pk}/")
    submit(page, "[data-portal-link=company]")
    assert page.url.endswith("/portal/company/")
    assert page.get_attribute("html", "lang") == language
    assert not page.is_visible("#journey-summary")
