"""The reminders of events' sub-packages: each participant's 1:1 agenda the evening before a
matching session (18:00 in their own zone), and judges with unscored entries two days before
a round's judging deadline."""

import datetime as dt

import pytest
import time_machine

from events.models import CompetitionEntry, CompetitionRound, Event, JudgeAssignment, Meeting
from incubator import reminders
from incubator.models import OutboxMessage
from incubator.services import render_message
from tests.companies.factories import MembershipFactory, UserFactory
from tests.conftest import shows_time
from tests.events.factories import (
    EventFactory,
    GuestRegistrationFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
    meeting_slots,
)

pytestmark = pytest.mark.django_db

# 09:00 in Harbin (CST) on 10 December: the evening before is the 9th.
START = dt.datetime(2026, 12, 10, 1, 0, tzinfo=dt.UTC)


def sweep(at: dt.datetime, code: str) -> int:
    with time_machine.travel(at, tick=False):
        return reminders.reminders_sweep(codes=[code]).written


def rows(code: str):
    return OutboxMessage.objects.filter(dedupe_key__startswith=f"reminder:{code}:")


@pytest.fixture
def session():
    with time_machine.travel(START - dt.timedelta(days=20), tick=False):
        event = EventFactory(starts_at=START, ends_at=START + dt.timedelta(hours=8))
        slots = meeting_slots(event, count=2)
        korean = StartupRegistrationFactory(
            event=event,
            membership__user=UserFactory(language="ko", time_zone="Asia/Seoul", full_name="이서연"),
        )
        chinese = PartnerRegistrationFactory(
            event=event, person__user__language="zh-hans", person__user__time_zone="Asia/Shanghai"
        )
        third = StartupRegistrationFactory(event=event)
        a, b = sorted([korean, chinese], key=lambda r: r.pk)
        Meeting.objects.create(
            event=event, registration_a=a, registration_b=b, slot=slots[0], table=3
        )
        a, b = sorted([korean, third], key=lambda r: r.pk)
        Meeting.objects.create(
            event=event, registration_a=a, registration_b=b, slot=slots[1], table=1
        )
    return event, korean, chinese, third


def test_the_agenda_goes_at_18_00_in_each_participants_own_zone(session):
    event, korean, chinese, third = session
    # 18:00 KST on the 9th is 09:00 UTC; 18:00 CST is 10:00 UTC.
    assert sweep(dt.datetime(2026, 12, 9, 8, 59, tzinfo=dt.UTC), "meeting_agenda_eve") == 0
    assert sweep(dt.datetime(2026, 12, 9, 9, 0, tzinfo=dt.UTC), "meeting_agenda_eve") == 2
    assert {r.recipient for r in rows("meeting_agenda_eve")} == {
        korean.user.email,
        third.user.email,
    }
    assert sweep(dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.UTC), "meeting_agenda_eve") == 1
    assert rows("meeting_agenda_eve").filter(recipient=chinese.user.email).exists()
    assert sweep(dt.datetime(2026, 12, 9, 11, 0, tzinfo=dt.UTC), "meeting_agenda_eve") == 0

    message = rows("meeting_agenda_eve").get(recipient=korean.user.email)
    meetings = message.payload["meetings"]
    assert [m["table"] for m in meetings] == [3, 1]
    assert meetings[0]["counterpart"] == chinese.name
    email = render_message(message)
    assert "1:1 미팅" in email.subject
    assert shows_time(email.body, "09:00–09:20", "CST")
    assert shows_time(email.body, "10:00–10:20", "KST")
    assert f"/portal/matching/{event.pk}/agenda/" in email.body


def test_an_agenda_missed_by_more_than_its_grace_is_dropped(session):
    assert sweep(dt.datetime(2026, 12, 9, 13, 30, tzinfo=dt.UTC), "meeting_agenda_eve") == 1
    # Only the Chinese participant's (10:00 UTC) is within 4 hours; the Korean ones are dropped.
    assert rows("meeting_agenda_eve").get().language == "zh-hans"


def test_other_events_and_cancelled_participants_get_no_agenda(session):
    event, korean, chinese, third = session
    third.status = "cancelled"
    third.save(update_fields=["status"])
    Event.objects.filter(pk=event.pk).update(status="cancelled")
    assert sweep(dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.UTC), "meeting_agenda_eve") == 0


@pytest.fixture
def judged_round():
    deadline = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)  # 18:00 KST, 17:00 CST
    event = EventFactory(kind=Event.Kind.COMPETITION, meeting_tables=0, interpreters_per_slot=0)
    round_ = CompetitionRound.objects.create(
        event=event, name_en="Final", name_ko="결선", judging_deadline=deadline
    )
    entries = [
        CompetitionEntry.objects.create(round=round_, company=MembershipFactory().company, title=t)
        for t in ("Alpha robot", "Beta clinic")
    ]
    busy = UserFactory(language="ko", time_zone="Asia/Seoul")
    done = UserFactory()
    for entry in entries:
        JudgeAssignment.objects.create(entry=entry, judge=busy)
        JudgeAssignment.objects.create(
            entry=entry, judge=done, submitted_at=deadline - dt.timedelta(days=5)
        )
    JudgeAssignment.objects.filter(judge=busy, entry=entries[1]).update(submitted_at=deadline)
    return round_, busy, done


def test_judges_with_unscored_entries_hear_two_days_before_the_deadline(judged_round):
    round_, busy, done = judged_round
    due = round_.judging_deadline - dt.timedelta(days=2)
    assert sweep(due - dt.timedelta(minutes=1), "judging_closing") == 0
    assert sweep(due, "judging_closing") == 1
    assert sweep(due + dt.timedelta(minutes=5), "judging_closing") == 0
    message = rows("judging_closing").get()
    assert message.recipient == busy.email
    assert message.payload["entries"] == ["Alpha robot"]
    email = render_message(message)
    assert "결선" in email.subject
    assert shows_time(email.body, "2026-12-20 17:00", "CST")
    assert shows_time(email.body, "18:00", "KST")


def test_a_published_round_sends_no_judging_reminder(judged_round):
    round_, busy, done = judged_round
    round_.released_at = round_.judging_deadline - dt.timedelta(days=3)
    round_.save(update_fields=["released_at"])
    assert sweep(round_.judging_deadline - dt.timedelta(days=2), "judging_closing") == 0


def test_the_demo_briefing_reminds_the_korean_owner_within_minutes_of_loading(mailoutbox):
    from companies import demo as companies_demo
    from events import demo_reminder

    owner = MembershipFactory(
        user=UserFactory(email=companies_demo.OWNER_EMAIL, language="ko", time_zone="Asia/Seoul")
    ).user
    demo_reminder.load()
    demo_reminder.load()  # idempotent
    assert reminders.reminders_sweep(codes=["event_24h"]).written == 1
    message = rows("event_24h").get()
    assert message.recipient == owner.email
    email = render_message(message)
    # Not "tomorrow": a late sweep may send it on the day itself.
    assert "신규 입주 기업 온라인 설명회" in email.subject and "내일" not in email.subject
    assert "CST" in email.body and "KST" in email.body

    # A day later it is moved to 24 hours from then: a new moment, a new reminder.
    with time_machine.travel(dt.timedelta(days=2)):
        demo_reminder.load()
        assert reminders.reminders_sweep(codes=["event_24h"]).written == 1


def test_a_day_before_reminder_sent_late_says_when_the_event_starts_not_in_24_hours():
    with time_machine.travel(START - dt.timedelta(days=20), tick=False):
        event = EventFactory(
            starts_at=START, ends_at=START + dt.timedelta(hours=8), time_zone="Asia/Shanghai"
        )
        StartupRegistrationFactory(event=event, membership__user__time_zone="Asia/Seoul")
    # The beat was down: the reminder due 24 hours before goes out 5 hours late.
    assert sweep(START - dt.timedelta(hours=19), "event_24h") == 1

    email = render_message(rows("event_24h").get())

    # (The footer names the option, "the day before (24 hours)".)
    assert "starts in 24 hours" not in email.body and "Tomorrow" not in email.subject
    # 09:00 in Harbin is 10:00 in Seoul.
    assert f"{event.title} starts at 2026-12-10 09:00 China time (CST)" in email.body
    assert "your time: 10:00 Korea time (KST)." in email.body


def test_an_hour_before_reminder_sent_late_says_when_the_event_starts_not_in_one_hour():
    with time_machine.travel(START - dt.timedelta(days=20), tick=False):
        event = EventFactory(
            starts_at=START, ends_at=START + dt.timedelta(hours=8), time_zone="Asia/Shanghai"
        )
        StartupRegistrationFactory(event=event, membership__user__time_zone="Asia/Shanghai")
        late = StartupRegistrationFactory(event=event, membership__user__time_zone="Asia/Shanghai")
    # On time (the sweep of every five minutes): "in one hour".
    assert sweep(START - dt.timedelta(minutes=57), "event_1h") == 2
    on_time = render_message(rows("event_1h").first())
    assert f"{event.title} starts in one hour." in on_time.body
    # 25 minutes late, 35 minutes before the start: the same words would be wrong.
    rows("event_1h").filter(recipient=late.user.email).delete()
    assert sweep(START - dt.timedelta(minutes=35), "event_1h") == 1
    email = render_message(rows("event_1h").get(recipient=late.user.email))
    assert "starts in one hour" not in email.body and "In one hour" not in email.subject
    assert f"{event.title} starts at 2026-12-10 09:00 China time (CST)" in email.body


def test_a_guests_reminder_is_in_their_language_and_zone_with_no_preferences_or_badge_page():
    with time_machine.travel(START - dt.timedelta(days=20), tick=False):
        # In Seoul; the guest speaks only Chinese: Chinese, and the time in China too.
        event = EventFactory(
            starts_at=START, ends_at=START + dt.timedelta(hours=8), time_zone="Asia/Seoul"
        )
        guest = GuestRegistrationFactory(
            event=event, name="赵磊 Zhao Lei", speaks_ko=False, speaks_zh=True, speaks_en=False
        )
    assert sweep(START - dt.timedelta(hours=24), "event_24h") == 1

    message = rows("event_24h").get()
    assert message.recipient == guest.guest_email and message.language == "zh-hans"
    email = render_message(message)
    assert event.title_zh in email.body
    # 10:00 in Seoul is 09:00 in Harbin, "your time".
    assert "您当地时间 09:00 北京时间（CST）" in email.body
    # No account: nothing to turn off in preferences, no badge page; the code instead.
    assert "/portal/preferences/" not in email.body
    assert "List-Unsubscribe" not in email.extra_headers
    html = email.alternatives[0][0]
    assert "/portal/preferences/" not in html
    assert f"胸牌编码： {guest.badge_code}" in email.body
    assert "请在入场时出示此编码。活动页面：" in email.body


def test_each_event_reminder_names_its_own_option_in_the_footer(settings):
    settings.SITE_URL = "https://center.example"
    with time_machine.travel(START - dt.timedelta(days=20), tick=False):
        event = EventFactory(starts_at=START, ends_at=START + dt.timedelta(hours=8))
        registration = StartupRegistrationFactory(event=event, membership__user__language="en")
    assert sweep(START - dt.timedelta(hours=24), "event_24h") == 1
    assert sweep(START - dt.timedelta(hours=1), "event_1h") == 1

    day_before = render_message(rows("event_24h").get())
    hour_before = render_message(rows("event_1h").get())

    assert "“Events I registered for: the day before (24 hours)” is on" in day_before.body
    assert "one hour before" not in day_before.body
    assert "“Events I registered for: one hour before” is on" in hour_before.body
    for email in (day_before, hour_before):
        assert email.to == [registration.user.email]
        assert email.extra_headers["List-Unsubscribe"] == (
            "<https://center.example/portal/preferences/>"
        )
