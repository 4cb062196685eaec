"""The reminder framework (incubator/reminders.py), shown with the event reminders: the
moment in UTC across KST and CST, once per occurrence whatever runs twice, a beat outage and
the grace periods, opted-out and required kinds, the message in Korean with both zones."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from events.models import Registration
from incubator import message_kinds, reminders
from incubator.models import AuditRecord, OutboxMessage, ReminderOptOut
from incubator.services import render_message
from tests.companies.factories import MembershipFactory, UserFactory
from tests.conftest import shows_time
from tests.events.factories import (
    EventFactory,
    GuestRegistrationFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
)

pytestmark = pytest.mark.django_db

# 10:00 in Seoul is 09:00 in Harbin: 01:00 UTC.
START = dt.datetime(2026, 12, 10, 1, 0, tzinfo=dt.UTC)
EVENT_KINDS = ("event_24h", "event_1h")


def sweep(at: dt.datetime, codes=EVENT_KINDS) -> int:
    with time_machine.travel(at, tick=False):
        return reminders.reminders_sweep(codes=codes).written


@pytest.fixture
def korean():
    user = UserFactory(language="ko", time_zone="Asia/Seoul", full_name="김민수")
    return MembershipFactory(user=user).user


@pytest.fixture
def event(korean):
    with time_machine.travel(START - dt.timedelta(days=20), tick=False):
        event = EventFactory(
            starts_at=START,
            ends_at=START + dt.timedelta(hours=8),
            time_zone="Asia/Shanghai",
            title_ko="하얼빈 매칭 세션",
        )
        register(event, korean)
    return event


def register(event, user):
    return Registration.objects.create(
        event=event, user=user, company=user.membership.company, kind="startup", name=user.full_name
    )


def reminder_rows(code: str):
    return OutboxMessage.objects.filter(dedupe_key__startswith=f"reminder:{code}:")


def test_the_24_hour_reminder_goes_at_its_moment_in_utc_and_not_before(event, korean):
    chinese = PartnerRegistrationFactory(
        event=event, person__user__language="zh-hans", person__user__time_zone="Asia/Shanghai"
    ).user
    guest = GuestRegistrationFactory(event=event)

    assert sweep(START - dt.timedelta(hours=24, minutes=1)) == 0
    assert sweep(START - dt.timedelta(hours=24)) == 3
    rows = {row.recipient: row for row in reminder_rows("event_24h")}
    assert set(rows) == {korean.email, chinese.email, guest.guest_email}
    # The same moment for all, whatever their zone: 01:00 UTC the day before.
    assert all(row.dedupe_key.endswith(":2026-12-09T01:00:00Z") for row in rows.values())
    assert rows[korean.email].dedupe_key == (
        f"reminder:event_24h:{event.pk}:{korean.pk}:2026-12-09T01:00:00Z"
    )
    assert rows[korean.email].language == "ko"
    assert rows[chinese.email].language == "zh-hans"
    # Each sees the event's zone first, then their own (the guest: the event's only).
    assert shows_time(rows[korean.email].payload["when"], "09:00–17:00", "CST")
    assert shows_time(rows[korean.email].payload["when"], "10:00–18:00", "KST")
    # In the event's own zone: the other zone beside it, not "your time".
    assert shows_time(rows[chinese.email].payload["when"], "10:00–18:00", "KST")
    assert "your time" not in rows[chinese.email].payload["when"]
    assert reminder_rows("event_1h").count() == 0


def test_the_1_hour_reminder_goes_an_hour_before_for_an_event_in_seoul(korean):
    with time_machine.travel(START - dt.timedelta(days=20), tick=False):
        event = EventFactory(
            starts_at=START, ends_at=START + dt.timedelta(hours=2), time_zone="Asia/Seoul"
        )
        register(event, korean)
    # 09:00 KST is 00:00 UTC; 08:59 is a minute early.
    assert sweep(dt.datetime(2026, 12, 9, 23, 59, tzinfo=dt.UTC)) == 0
    assert sweep(dt.datetime(2026, 12, 10, 0, 0, tzinfo=dt.UTC)) == 1
    assert reminder_rows("event_1h").get().payload["hours"] == 1


def test_a_second_sweep_writes_nothing_and_each_reminder_is_delivered_once(
    event, korean, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    at = START - dt.timedelta(hours=23, minutes=55)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(at) == 1
    assert sweep(at) == 0
    assert sweep(at + dt.timedelta(minutes=5)) == 0
    assert reminder_rows("event_24h").get().status == OutboxMessage.Status.SENT
    assert [m.to for m in mail.outbox] == [[korean.email]]


def test_cancelled_registrations_and_draft_events_get_no_reminder(event, korean):
    event.registrations.update(status="cancelled")
    with time_machine.travel(START - dt.timedelta(days=20), tick=False):
        draft = EventFactory(starts_at=START, ends_at=START + dt.timedelta(hours=1), status="draft")
        StartupRegistrationFactory(event=draft)
    assert sweep(START - dt.timedelta(hours=24)) == 0


def test_a_three_hour_beat_outage_sends_the_24h_reminder_once_and_drops_the_1h_one(korean):
    # The beat is down from 00:00 to 03:00 UTC. Due at 01:00: event A's 24-hour reminder
    # (grace 6 h) and event B's 1-hour reminder (grace 30 min).
    def event_at(start):
        with time_machine.travel(START - dt.timedelta(days=20), tick=False):
            event = EventFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2))
            register(event, korean)
        return event

    a = event_at(START + dt.timedelta(hours=24))
    event_at(START + dt.timedelta(hours=1))
    assert sweep(START - dt.timedelta(hours=1, minutes=5)) == 0
    back = START + dt.timedelta(hours=2)
    assert sweep(back) == 1
    assert sweep(back + dt.timedelta(minutes=5)) == 0
    assert reminder_rows("event_24h").get().payload["event"] == a.title_ko
    assert not reminder_rows("event_1h").exists()

    # A shorter gap, within the 1-hour reminder's grace: C's (due at 03:10) goes 25 minutes
    # late, once.
    event_at(back + dt.timedelta(hours=1, minutes=10))
    assert sweep(back + dt.timedelta(minutes=35)) == 1
    assert sweep(back + dt.timedelta(minutes=40)) == 0
    assert reminder_rows("event_1h").count() == 1


def test_an_optional_kind_turned_off_is_not_sent_and_a_required_one_always_is(event, korean):
    ReminderOptOut.objects.create(user=korean, kind="event_24h")
    result = None
    with time_machine.travel(START - dt.timedelta(hours=24), tick=False):
        result = reminders.reminders_sweep(codes=["event_24h"])
    assert (result.written, result.opted_out) == (0, 1)

    required = [kind for kind in reminders.kinds() if not kind.optional]
    assert {"judging_closing", "milestone_due", "quarterly_report_due"} <= {
        k.code for k in required
    }
    calls = []

    def due(*, since, now):
        calls.append(now)
        yield reminders.Occurrence(
            obj_id=1, due_at=now, email=korean.email, language="ko", payload={}, user_id=korean.pk
        )

    kind = reminders.ReminderKind(
        code="test_required",
        label="Required",
        occurrences=due,
        grace=dt.timedelta(hours=1),
        optional=False,
    )
    reminders.register(kind)
    try:
        ReminderOptOut.objects.create(user=korean, kind="test_required")
        with time_machine.travel(START, tick=False):
            assert reminders._sweep_kind(kind, START, reminders.SweepResult()) == 1
    finally:
        reminders._KINDS.pop("test_required")
        # Its messages' label too: the admin's outbox filter lists every named kind.
        message_kinds._REMINDERS.pop(kind.message_kind)


def test_the_reminder_renders_in_korean_with_both_zones(event, korean):
    sweep(START - dt.timedelta(hours=24))
    email = render_message(reminder_rows("event_24h").get())
    # Sent up to its grace late: it says when the event starts, not "in 24 hours".
    assert email.subject == "곧 시작: 하얼빈 매칭 세션"
    assert "하얼빈 매칭 세션: " in email.body and "에 시작합니다." in email.body
    assert shows_time(email.body, "2026-12-10 09:00–17:00", "CST")
    assert shows_time(email.body, "10:00–18:00", "KST")
    assert f"/portal/events/{event.pk}/" in email.body


def test_the_sweep_task_runs_the_sweep_at_the_frozen_time(event, korean):
    from incubator.tasks import reminders_sweep_task

    with time_machine.travel(START - dt.timedelta(hours=24), tick=False):
        assert reminders_sweep_task.delay().get() >= 1
    assert reminder_rows("event_24h").count() == 1


def test_the_sweep_makes_the_same_few_queries_for_1_or_30_reminders(korean):
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(people: int, day: int) -> int:
        start = START + dt.timedelta(days=day)
        with time_machine.travel(START - dt.timedelta(days=20), tick=False):
            event = EventFactory(starts_at=start, ends_at=start + dt.timedelta(hours=1))
            for _ in range(people):
                StartupRegistrationFactory(event=event)
        with (
            time_machine.travel(start - dt.timedelta(hours=24), tick=False),
            CaptureQueriesContext(connection) as queries,
            mock.patch.object(reminders, "_deliver_after_commit"),
        ):
            assert reminders.reminders_sweep(codes=["event_24h"]).written == people
        return len(queries)

    # 1 events + 1 registrations + 1 opt-outs + 1 existing keys + savepoint, INSERT, release
    assert queries_for(1, 1) == queries_for(30, 2) == 7


# --- Preferences ----------------------------------------------------------------------------


def test_a_user_turns_off_an_optional_kind_on_the_preferences_page(client, korean):
    client.force_login(korean)
    page = client.get(reverse("portal:preferences"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'value="event_24h"' in text and 'value="meeting_agenda_eve"' in text
    # Required kinds are listed, with no box to untick.
    assert 'value="milestone_due"' not in text and 'id="required-reminders"' in text
    # The staff's kinds are not offered to a startup member.
    assert 'value="staff_digest"' not in text

    keep = [k.code for k in reminders.kinds_for(korean) if k.optional and k.code != "event_24h"]

    response = client.post(
        reverse("portal:preferences"),
        {
            "full_name": korean.full_name,
            "language": "ko",
            "time_zone": "Asia/Seoul",
            "reminders": keep,
        },
    )
    assert response.status_code == 302
    assert reminders.opted_out(korean) == {"event_24h"}
    record = AuditRecord.objects.get(verb="account.reminders")
    assert record.changes == {"off": ["event_24h"], "on": []}

    # Saving again unchanged writes nothing; turning it back on is one more record.
    client.post(
        reverse("portal:preferences"),
        {
            "full_name": korean.full_name,
            "language": "ko",
            "time_zone": "Asia/Seoul",
            "reminders": keep,
        },
    )
    assert AuditRecord.objects.filter(verb="account.reminders").count() == 1
    client.post(
        reverse("portal:preferences"),
        {
            "full_name": korean.full_name,
            "language": "ko",
            "time_zone": "Asia/Seoul",
            "reminders": [*keep, "event_24h"],
        },
    )
    assert reminders.opted_out(korean) == set()
    assert AuditRecord.objects.filter(verb="account.reminders").count() == 2


def test_each_person_is_offered_only_the_reminders_that_can_reach_them(client, korean):
    from events.models import CompetitionEntry, CompetitionRound, Event, JudgeAssignment
    from tests.events.factories import PartnerPersonFactory

    event = EventFactory(kind=Event.Kind.COMPETITION, meeting_tables=0, interpreters_per_slot=0)
    round_ = CompetitionRound.objects.create(
        event=event, name_en="Final", judging_deadline=START + dt.timedelta(days=10)
    )
    entry = CompetitionEntry.objects.create(
        round=round_, company=korean.membership.company, title="Alpha"
    )
    judge = UserFactory(language="ko")
    JudgeAssignment.objects.create(entry=entry, judge=judge)
    partner = PartnerPersonFactory(user__language="ko").user

    def shown(user) -> set[str]:
        client.force_login(user)
        page = client.get(reverse("portal:preferences")).content.decode()
        with translation.override(user.language):
            return {kind.code for kind in reminders.kinds() if escape(str(kind.label)) in page}

    founders = {"milestone_due", "quarterly_report_due", "application_draft"}
    everyone = {"event_24h", "event_1h", "meeting_agenda_eve"}
    founder, judged, partnered = shown(korean), shown(judge), shown(partner)
    assert founders | everyone <= founder and "judging_closing" not in founder
    assert {"judging_closing"} | everyone <= judged and not founders & judged
    assert everyone <= partnered and not founders & partnered
    assert "judging_closing" not in partnered
    assert not {"staff_digest", "service_request_overdue"} & (founder | judged | partnered)


def test_a_required_kind_cannot_be_turned_off_through_the_service(korean):
    reminders.reminders_keep_on(user=korean, codes=[])
    off = reminders.opted_out(korean)
    assert "event_24h" in off
    assert "milestone_due" not in off and "judging_closing" not in off


def test_the_migration_schedules_the_sweep_every_five_minutes():
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = importlib.import_module("incubator.migrations.0007_reminders_schedule")
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)
    task = PeriodicTask.objects.get(task="incubator.tasks.reminders_sweep_task")
    assert (task.interval.every, task.interval.period) == (5, "minutes")
    # The quarterly reports' own daily job is gone: the sweep asks for them now.
    assert not PeriodicTask.objects.filter(task="programs.tasks.quarterly_report_reminders_task")
