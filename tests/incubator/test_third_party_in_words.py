"""What django-celery-beat and django-axes show staff: their language, times in their zone."""

import pytest
from axes.models import AccessAttempt
from django.utils import timezone, translation
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from incubator import roles
from incubator.schedules import OUTBOX_SWEEP
from tests.events.test_setup_services import staff

pytestmark = pytest.mark.django_db


def sweep() -> PeriodicTask:
    return PeriodicTask.objects.get(name=OUTBOX_SWEEP.name)


@pytest.mark.parametrize(
    ("language", "enabled", "ran"),
    [
        ("ko", "작업 1개를 활성화했습니다.", "작업 1개를 실행했습니다."),
        ("zh-hans", "已启用 1 个任务。", "已运行 1 个任务。"),
    ],
)
def test_the_periodic_tasks_actions_report_in_the_staffs_language(client, language, enabled, ran):
    client.force_login(staff(roles.CENTER_MANAGER))
    client.cookies["lang"] = language
    url = "/admin/django_celery_beat/periodictask/"
    for action, message in (("enable_tasks", enabled), ("run_tasks", ran)):
        page = client.post(
            url, {"action": action, "_selected_action": [sweep().pk], "index": "0"}, follow=True
        ).content.decode()
        assert message in page


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ko", "작업 incubator.tasks.no_such_task을(를) 아는 워커가 없어 아무것도 실행하지"),
        ("zh-hans", "没有工作进程认识任务 incubator.tasks.no_such_task，未运行任何任务。"),
    ],
)
def test_running_a_task_no_worker_knows_says_so_in_the_staffs_language(client, language, message):
    known = sweep()
    unknown = PeriodicTask.objects.create(
        name="gone",
        task="incubator.tasks.no_such_task",
        interval=known.interval,
        crontab=known.crontab,
    )
    client.force_login(staff(roles.CENTER_MANAGER))
    client.cookies["lang"] = language
    page = client.post(
        "/admin/django_celery_beat/periodictask/",
        {"action": "run_tasks", "_selected_action": [unknown.pk, known.pk], "index": "0"},
        follow=True,
    ).content.decode()
    assert message in page
    assert "not found" not in page


def test_the_portals_tasks_are_listed_by_their_names_in_the_staffs_language(client):
    client.force_login(staff(roles.CENTER_MANAGER))
    client.cookies["lang"] = "ko"
    page = client.get("/admin/django_celery_beat/periodictask/").content.decode()
    assert "발신함 점검: 대기 중인 메시지 발송" in page
    assert OUTBOX_SWEEP.name not in page  # the name as stored, in English


def test_a_crontab_is_described_in_the_readers_language_and_zone():
    crontab = CrontabSchedule(minute="0", hour="8", day_of_week="1", timezone="Asia/Seoul")
    with translation.override("ko"):
        assert crontab.human_readable == "08:00, 월요일에 (한국 시간(KST))"
    with translation.override("zh-hans"):
        assert "星期一" in crontab.human_readable and "Monday" not in crontab.human_readable


def test_a_lockouts_heading_has_the_local_time_and_zone(client):
    attempt = AccessAttempt.objects.create(
        username="owner@alpha.example.kr",
        ip_address="203.0.113.7",
        user_agent="Firefox",
        path_info="/portal/sign-in/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )
    manager = staff(roles.CENTER_MANAGER)
    manager.time_zone = "Asia/Seoul"
    manager.save()
    client.force_login(manager)
    client.cookies["lang"] = "ko"
    page = client.get(f"/admin/axes/accessattempt/{attempt.pk}/change/").content.decode()
    local = timezone.localtime(attempt.attempt_time, timezone.get_fixed_timezone(9 * 60))
    assert (
        f"owner@alpha.example.kr의 로그인 시도({local:%Y-%m-%d %H:%M} 한국 시간(KST)부터)" in page
    )
    assert "+00:00" not in page
