"""An application's history reads as sentences in the reader's language, not as codes.

A screening kept its result as "policy v1: meets_some (70.5)"; it now keeps the policy's
version, the recommendation and the score, and the page words them when it is read.
"""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone, translation

from incubator import roles
from programs.admissions.models import ApplicationEvent
from tests.companies.portal import submitted
from tests.events.test_setup_services import staff

pytestmark = pytest.mark.django_db


def screened(application) -> ApplicationEvent:
    return application.events.get(kind=ApplicationEvent.Kind.SCREENED)


def test_a_screening_keeps_its_result_as_data(policy_v1):
    event = screened(submitted())
    assert event.reason == ""
    assert event.details == {
        "policy_version": 1,
        "recommendation": "meets_all",
        "score": str(event.application.score),
    }


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ko", "심사 기준 v1로 선별: 모든 기준 충족"),
        ("zh-hans", "按评审标准 v1 筛选：满足全部标准"),
    ],
)
def test_the_review_page_words_the_screening_in_the_readers_language(
    client, policy_v1, language, words
):
    application = submitted()
    client.force_login(staff(roles.PROGRAM_OFFICER))
    client.cookies["lang"] = language
    page = client.get(f"/admin/programs/application/{application.pk}/change/").content.decode()
    assert words in page
    assert "meets_all" not in page and "policy v1" not in page


def test_a_screening_written_before_is_worded_too_and_other_text_is_kept(policy_v1):
    application = submitted()
    old = screened(application)
    old.details, old.reason = {}, f"policy v1: meets_some ({application.score})"
    old.save()
    typed = ApplicationEvent.objects.create(
        application=application, kind=ApplicationEvent.Kind.SCREENED, reason="screened by hand"
    )
    migration = importlib.import_module("programs.migrations.0007_application_event_details")
    migration.details_from_reasons(apps, None)

    old.refresh_from_db()
    typed.refresh_from_db()
    assert old.reason == "" and old.details["recommendation"] == "meets_some"
    with translation.override("ko"):
        assert old.summary.startswith("심사 기준 v1로 선별: 일부 기준 충족")
    assert typed.summary == "screened by hand" and typed.details == {}


def test_a_history_entry_is_named_with_its_local_time_and_zone(policy_v1):
    event = screened(submitted())
    with translation.override("ko"), timezone.override("Asia/Seoul"):
        name = str(event)
    local = timezone.localtime(event.created_at, timezone.get_fixed_timezone(9 * 60))
    assert name.endswith(f"{local:%Y-%m-%d %H:%M} 한국 시간(KST)")
