"""Online programmes: an online programme is its sessions, each with its time and link.

Each registrant is reminded of each session with its link (not only of the programme's
start); a session that moves, gets a new link or is cancelled is told to its registrants;
and the e-mails of an event held online say where to join, never a door or a badge.
"""

import datetime as dt

import pytest
import time_machine

from events import services
from events.models import Event, OnlineSession
from events.online import services as online
from incubator import reminders, roles
from incubator.models import AuditRecord, OutboxMessage, ReminderOptOut
from incubator.services import render_message
from tests.companies.factories import MembershipFactory, UserFactory, staff_in
from tests.conftest import shows_time
from tests.events.factories import (
    EventFactory,
    GuestRegistrationFactory,
    OnlineSessionFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
)

pytestmark = pytest.mark.django_db

# 10:00 in Seoul (KST), 09:00 in Harbin (CST), on Tuesdays from 1 December 2026.
START = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def programme(*starts: dt.datetime, **fields) -> tuple[Event, list[OnlineSession]]:
    """An online programme in Seoul, no venue, with one 90-minute session at each start."""
    event = EventFactory(
        kind=Event.Kind.ONLINE_PROGRAMME,
        venue_en="",
        meeting_tables=0,
        interpreters_per_slot=0,
        time_zone="Asia/Seoul",
        starts_at=starts[0],
        ends_at=starts[-1] + dt.timedelta(minutes=90),
        title_en="Selling in China",
        title_ko="중국 판매 과정",
        **fields,
    )
    sessions = [
        OnlineSessionFactory(
            event=event,
            title_en=f"Week {n}",
            title_ko=f"{n}주차",
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=90),
            link=f"https://meeting.example.cn/j/90{n}",
        )
        for n, start in enumerate(starts, 1)
    ]
    return event, sessions


def sweep(at: dt.datetime, code: str) -> int:
    with time_machine.travel(at, tick=False):
        return reminders.reminders_sweep(codes=[code]).written


def rows(code: str):
    return OutboxMessage.objects.filter(dedupe_key__startswith=f"reminder:{code}:")


@pytest.fixture
def six_weeks():
    """A six-week programme; an English founder in Harbin, a Korean founder in Seoul, a
    guest who speaks Chinese; someone who cancelled."""
    with time_machine.travel(START - 20 * DAY, tick=False):
        event, sessions = programme(*(START + n * WEEK for n in range(6)))
        english = StartupRegistrationFactory(
            event=event,
            membership__user=UserFactory(language="en", time_zone="Asia/Shanghai"),
        )
        korean = StartupRegistrationFactory(
            event=event, membership__user=UserFactory(language="ko", time_zone="Asia/Seoul")
        )
        guest = GuestRegistrationFactory(event=event, speaks_zh=True)
        StartupRegistrationFactory(event=event, status="cancelled")
    return event, sessions, english, korean, guest


# --- Reminders of each session ----------------------------------------------------------------


def test_each_session_is_reminded_an_hour_before_with_its_link_in_each_readers_language(
    six_weeks,
):
    event, sessions, english, korean, guest = six_weeks
    third = sessions[2]

    assert sweep(third.starts_at - HOUR - dt.timedelta(minutes=1), "online_session_1h") == 0
    assert sweep(third.starts_at - HOUR, "online_session_1h") == 3
    assert sweep(third.starts_at - HOUR + dt.timedelta(minutes=5), "online_session_1h") == 0

    messages = {m.recipient: m for m in rows("online_session_1h")}
    assert set(messages) == {english.user.email, korean.user.email, guest.guest_email}
    assert messages[english.user.email].dedupe_key == (
        f"reminder:online_session_1h:{third.pk}:{english.user_id}:2026-12-15T00:00:00Z"
    )
    assert messages[korean.user.email].language == "ko"
    assert messages[korean.user.email].payload["session"] == "3주차"
    assert messages[guest.guest_email].language == "zh-hans"
    for message in messages.values():
        assert message.payload["link"] == "https://meeting.example.cn/j/903"
        assert third.link in render_message(message).body

    email = render_message(messages[english.user.email])
    assert email.subject == "In one hour: Week 3 (Selling in China)"
    assert "The session “Week 3” of Selling in China starts in one hour." in email.body
    # The event's zone (Seoul), then the reader's (Harbin).
    assert shows_time(email.body, "2026-12-15 10:00–11:30", "KST")
    assert shows_time(email.body, "09:00–10:30", "CST")
    assert "Join: https://meeting.example.cn/j/903" in email.body
    assert f"/portal/events/{event.pk}/" in email.body
    assert "door" not in email.body and "badge" not in email.body
    option = "Sessions of online programmes I registered for: one hour before"
    assert f"“{option}” is on" in email.body


def test_each_session_is_reminded_the_day_before_unless_it_follows_another_within_a_day():
    with time_machine.travel(START - 20 * DAY, tick=False):
        # Two sessions on the first day, one the next day, one a week later.
        starts = [START, START + 4 * HOUR, START + DAY, START + WEEK]
        event, sessions = programme(*starts)
        person = StartupRegistrationFactory(event=event)

    written = {
        session.title_en: sweep(session.starts_at - DAY, "online_session_24h")
        for session in sessions
    }

    assert written == {"Week 1": 1, "Week 2": 0, "Week 3": 0, "Week 4": 1}
    first = rows("online_session_24h").get(dedupe_key__contains=f":{sessions[0].pk}:")
    assert first.recipient == person.user.email
    email = render_message(first)
    assert email.subject == "Coming up: Week 1 (Selling in China)"
    assert "The session “Week 1” of Selling in China starts at 2026-12-01 10:00" in email.body
    assert "Join: https://meeting.example.cn/j/901" in email.body
    # Each session of the programme has its hour-before reminder.
    for session in sessions:
        assert sweep(session.starts_at - HOUR, "online_session_1h") == 1


def test_a_programme_with_sessions_is_reminded_of_by_its_sessions_not_by_the_event_too(
    six_weeks,
):
    event, sessions, english, korean, guest = six_weeks
    assert event.starts_at == sessions[0].starts_at

    assert sweep(START - DAY, "event_24h") == 0
    assert sweep(START - HOUR, "event_1h") == 0
    assert sweep(START - DAY, "online_session_24h") == 3
    assert sweep(START - HOUR, "online_session_1h") == 3

    # One link for the whole programme, no sessions: the event's reminders, with the link.
    with time_machine.travel(START - 20 * DAY, tick=False):
        single = EventFactory(
            kind=Event.Kind.ONLINE_PROGRAMME,
            venue_en="",
            online_url="https://meeting.example.cn/j/briefing",
            starts_at=START + 3 * HOUR,
            ends_at=START + 4 * HOUR,
        )
        StartupRegistrationFactory(event=single)
    assert sweep(single.starts_at - HOUR, "event_1h") == 1
    assert "https://meeting.example.cn/j/briefing" in render_message(rows("event_1h").get()).body


def test_session_reminders_follow_the_opt_outs_and_skip_programmes_not_on(six_weeks):
    event, sessions, english, korean, guest = six_weeks
    ReminderOptOut.objects.create(user=korean.user, kind="online_session_1h")

    assert sweep(sessions[1].starts_at - HOUR, "online_session_1h") == 2
    assert korean.user.email not in {m.recipient for m in rows("online_session_1h")}
    # A guest has no preferences to turn it off in: the footer offers none.
    guests = render_message(rows("online_session_1h").get(recipient=guest.guest_email))
    assert "/portal/preferences/" not in guests.body

    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    assert sweep(sessions[2].starts_at - HOUR, "online_session_1h") == 0
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    assert sweep(sessions[3].starts_at - HOUR, "online_session_1h") == 0


def test_a_late_hour_before_reminder_names_the_sessions_start(six_weeks):
    event, sessions, english, korean, guest = six_weeks
    # The beat was down: 25 minutes late, 35 minutes before the start.
    assert sweep(sessions[0].starts_at - dt.timedelta(minutes=35), "online_session_1h") == 3
    email = render_message(rows("online_session_1h").get(recipient=english.user.email))
    assert "starts in one hour" not in email.body and "In one hour" not in email.subject
    assert "The session “Week 1” of Selling in China starts at 2026-12-01 10:00" in email.body


def test_the_session_reminders_are_offered_on_the_preferences_page(client):
    user = MembershipFactory(user=UserFactory(language="en")).user
    client.force_login(user)
    page = client.get("/portal/preferences/").content.decode()
    assert 'value="online_session_24h"' in page and 'value="online_session_1h"' in page


# --- A session moved, relinked or cancelled ---------------------------------------------------


@pytest.fixture
def coordinator():
    return staff_in(roles.EVENT_COORDINATOR)


@pytest.fixture
def told():
    """A two-week programme, 30 days ahead, with a holder and a waitlisted person (English,
    in Harbin) and a Chinese-speaking guest."""
    day = dt.datetime.now(dt.UTC).date() + 30 * DAY
    start = dt.datetime.combine(day, dt.time(1), dt.UTC)  # 10:00 in Seoul
    event, sessions = programme(start, start + WEEK, capacity=2)
    holder = StartupRegistrationFactory(
        event=event, membership__user=UserFactory(language="en", time_zone="Asia/Shanghai")
    )
    guest = GuestRegistrationFactory(event=event, speaks_zh=True, speaks_ko=False)
    waiting = PartnerRegistrationFactory(
        event=event,
        status="waitlisted",
        waitlist_position=1,
        person__user=UserFactory(language="en", time_zone="Asia/Shanghai"),
    )
    return event, sessions, holder, guest, waiting


def _changed(kind="online_session_changed"):
    return {m.recipient: m for m in OutboxMessage.objects.filter(kind=kind)}


def test_a_moved_session_tells_its_registrants_the_old_and_the_new_time_in_both_zones(
    told, coordinator
):
    event, sessions, holder, guest, waiting = told
    session = OnlineSession.objects.get(pk=sessions[1].pk)
    old_start = session.starts_at
    session.starts_at += 2 * HOUR
    session.ends_at += 2 * HOUR

    session = online.online_session_save(session=session, actor=coordinator)

    assert session.told == 3
    messages = _changed()
    assert set(messages) == {holder.user.email, guest.guest_email, waiting.user.email}
    record = AuditRecord.objects.get(verb="online_session.update")
    assert set(record.changes) == {"starts_at", "ends_at"}
    assert messages[holder.user.email].dedupe_key == (
        f"online_session_changed:{holder.pk}:{record.pk}"
    )
    assert messages[guest.guest_email].language == "zh-hans"

    body = render_message(messages[holder.user.email]).body
    seoul = old_start.astimezone(event.tzinfo)
    assert "The time of the session “Week 2” of Selling in China has changed." in body
    new, old = f"{seoul:%Y-%m-%d} 12:00–13:30", f"{seoul:%Y-%m-%d} 10:00–11:30"
    assert shows_time(body, f"When: {new}", "KST") and shows_time(body, "11:00–12:30", "CST")
    assert shows_time(body, f"(before: {old}", "KST") and shows_time(body, "09:00–10:30", "CST")
    assert f"Join: {session.link}" in body and "You are registered." in body
    # The waitlisted person is not given the link (`policies.can_see_online_link`).
    waitlisted = render_message(messages[waiting.user.email]).body
    assert session.link not in waitlisted and "You are on the waitlist (position 1)." in waitlisted

    # The same change saved again is no new change; a second move is a new e-mail.
    online.online_session_save(session=session, actor=coordinator)
    assert OutboxMessage.objects.filter(kind="online_session_changed").count() == 3
    session.ends_at += HOUR
    online.online_session_save(session=session, actor=coordinator)
    assert OutboxMessage.objects.filter(kind="online_session_changed").count() == 6


def test_a_new_link_is_told_to_the_registered_people_only(told, coordinator):
    event, sessions, holder, guest, waiting = told
    session = OnlineSession.objects.get(pk=sessions[0].pk)
    session.link = "https://meeting.example.cn/j/new-room"

    assert online.online_session_save(session=session, actor=coordinator).told == 2

    messages = _changed()
    assert set(messages) == {holder.user.email, guest.guest_email}
    body = render_message(messages[holder.user.email]).body
    assert "The link of the session “Week 1” of Selling in China has changed." in body
    assert "Join: https://meeting.example.cn/j/new-room" in body
    assert "(before:" not in body
    assert render_message(messages[guest.guest_email]).body.count("new-room") == 1


def test_a_title_corrected_tells_nobody(told, coordinator):
    event, sessions, holder, guest, waiting = told
    session = OnlineSession.objects.get(pk=sessions[0].pk)
    session.title_ko = "1주차: 시장 조사"
    assert online.online_session_save(session=session, actor=coordinator).told == 0
    assert not OutboxMessage.objects.filter(kind__startswith="online_session").exists()
    assert AuditRecord.objects.filter(verb="online_session.update").count() == 1


def test_a_session_added_is_told_with_its_time_and_to_the_registered_its_link(told, coordinator):
    event, sessions, holder, guest, waiting = told
    added = OnlineSession(
        event=event,
        title_en="Extra",
        starts_at=sessions[1].starts_at - DAY,
        ends_at=sessions[1].starts_at - DAY + HOUR,
        link="https://meeting.example.cn/j/extra",
    )
    assert online.online_session_save(session=added, actor=coordinator).told == 3

    messages = _changed("online_session_added")
    assert set(messages) == {holder.user.email, guest.guest_email, waiting.user.email}
    record = AuditRecord.objects.get(verb="online_session.create")
    assert messages[holder.user.email].dedupe_key == f"online_session_added:{holder.pk}:{record.pk}"
    email = render_message(messages[holder.user.email])
    assert email.subject == "New session: Extra (Selling in China)"
    assert "A session has been added to Selling in China: “Extra”." in email.body
    seoul = added.starts_at.astimezone(event.tzinfo)
    assert shows_time(email.body, f"When: {seoul:%Y-%m-%d} 10:00–11:00", "KST")
    assert shows_time(email.body, "09:00–10:00", "CST")
    assert "Join: https://meeting.example.cn/j/extra" in email.body
    # The waitlisted person is not given the link (`policies.can_see_online_link`).
    waitlisted = render_message(messages[waiting.user.email]).body
    assert "https://meeting.example.cn/j/extra" not in waitlisted
    assert "You are on the waitlist (position 1)." in waitlisted


@pytest.mark.parametrize("status", [Event.Status.DRAFT, Event.Status.CANCELLED, "over"])
def test_a_session_of_a_programme_not_on_tells_nobody(told, coordinator, status):
    event, sessions, holder, guest, waiting = told
    session = OnlineSession.objects.get(pk=sessions[1].pk)
    if status == "over":
        at = event.ends_at + HOUR
    else:
        Event.objects.filter(pk=event.pk).update(status=status)
        at = dt.datetime.now(dt.UTC)
    session = OnlineSession.objects.select_related("event").get(pk=session.pk)
    with time_machine.travel(at, tick=False):
        session.starts_at += HOUR
        session.ends_at += HOUR
        online.online_session_save(session=session, actor=coordinator)
        online.online_session_delete(session=session, actor=coordinator)
    assert not OutboxMessage.objects.filter(kind__startswith="online_session").exists()
    assert AuditRecord.objects.filter(verb__startswith="online_session.").count() == 2


def test_a_past_session_corrected_while_the_programme_runs_tells_nobody(told, coordinator):
    event, sessions, holder, guest, waiting = told
    session = OnlineSession.objects.select_related("event").get(pk=sessions[0].pk)
    with time_machine.travel(session.ends_at + DAY, tick=False):
        session.ends_at += dt.timedelta(minutes=15)  # it ran longer
        online.online_session_save(session=session, actor=coordinator)
    assert not OutboxMessage.objects.filter(kind__startswith="online_session").exists()


def test_a_cancelled_session_is_told_to_the_registered_and_waitlisted(told, coordinator):
    event, sessions, holder, guest, waiting = told
    session = OnlineSession.objects.select_related("event").get(pk=sessions[1].pk)

    online.online_session_delete(session=session, actor=coordinator)

    assert not OnlineSession.objects.filter(pk=sessions[1].pk).exists()
    messages = _changed("online_session_cancelled")
    assert set(messages) == {holder.user.email, guest.guest_email, waiting.user.email}
    record = AuditRecord.objects.get(verb="online_session.delete")
    assert messages[holder.user.email].dedupe_key == (
        f"online_session_cancelled:{holder.pk}:{record.pk}"
    )
    email = render_message(messages[holder.user.email])
    assert email.subject == "Cancelled: Week 2 (Selling in China)"
    assert "We are sorry: the session “Week 2” of Selling in China (" in email.body
    assert shows_time(email.body, "10:00–11:30", "KST")
    assert shows_time(email.body, "09:00–10:30", "CST")


def test_a_session_moved_to_another_programme_is_off_for_the_first_ones_registrants(
    told, coordinator
):
    event, sessions, holder, guest, waiting = told
    other, _sessions = programme(sessions[1].starts_at)
    theirs = StartupRegistrationFactory(event=other)
    session = OnlineSession.objects.get(pk=sessions[1].pk)
    session.event = other
    online.online_session_save(session=session, actor=coordinator)
    assert set(_changed("online_session_cancelled")) == {
        holder.user.email,
        guest.guest_email,
        waiting.user.email,
    }
    # The other programme's registrant hears of a new session.
    assert set(_changed("online_session_added")) == {theirs.user.email}


# --- The e-mails of an event held online --------------------------------------------------------


def test_registering_for_an_online_programme_lists_its_sessions_and_links_not_a_door():
    event, sessions = programme(START, START + WEEK)
    user = MembershipFactory(user=UserFactory(language="en", time_zone="Asia/Seoul")).user

    services.registration_create(event=event, user=user)

    message = OutboxMessage.objects.get(kind="event_registered", recipient=user.email)
    email = render_message(message)
    html = email.alternatives[0][0]
    for text in (email.body, html):
        assert "door" not in text and "badge" not in text.lower()
        assert "Sessions, each with its link to join:" in text
        assert "https://meeting.example.cn/j/901" in text
        assert "https://meeting.example.cn/j/902" in text
        assert "The links to join are on the event page:" in text
    assert message.payload["badge_code"] not in email.body
    assert "Where: Online" in email.body
    assert shows_time(email.body, "- Week 2: 2026-12-08 10:00–11:30", "KST")


def test_a_guest_of_an_online_programme_is_told_to_keep_the_e_mail_with_the_links():
    event, sessions = programme(START, START + WEEK, capacity=1)
    taken = StartupRegistrationFactory(event=event)
    coordinator = staff_in(roles.EVENT_COORDINATOR)
    guest = services.registration_create_guest(
        event=event, name="Kim", email="kim@guest.example.com", languages={"en"}, actor=coordinator
    )
    assert guest.status == "waitlisted"
    waitlisted = OutboxMessage.objects.get(kind="event_waitlisted", recipient=guest.guest_email)
    assert "meeting.example.cn" not in render_message(waitlisted).body

    services.registration_cancel(registration=taken, actor=taken.user)

    message = OutboxMessage.objects.get(kind="event_promoted", recipient=guest.guest_email)
    email = render_message(message)
    for text in (email.body, email.alternatives[0][0]):
        assert "door" not in text and "badge" not in text.lower()
        assert "https://meeting.example.cn/j/902" in text
        assert "Keep this e-mail for the links to join; the reminders give them again." in text
    assert guest.badge_code not in email.body


def test_a_reminder_of_an_event_held_online_speaks_of_no_badge():
    with time_machine.travel(START - 20 * DAY, tick=False):
        event = EventFactory(
            kind=Event.Kind.TRAINING,
            venue_en="",
            online_url="https://meeting.example.cn/j/training",
            starts_at=START,
            ends_at=START + 2 * HOUR,
        )
        user = StartupRegistrationFactory(event=event, membership__user__language="en")
        guest = GuestRegistrationFactory(event=event, speaks_en=True, speaks_zh=False)
    assert sweep(START - DAY, "event_24h") == 2

    for message in rows("event_24h"):
        email = render_message(message)
        for text in (email.body, email.alternatives[0][0]):
            assert "door" not in text and "badge" not in text.lower()
            assert "https://meeting.example.cn/j/training" in text
        assert guest.badge_code not in email.body
    assert user.user.email in {m.recipient for m in rows("event_24h")}


def test_an_event_with_a_venue_still_asks_for_the_badge_at_the_door():
    event = EventFactory(online_url="https://meeting.example.cn/j/hybrid")
    user = MembershipFactory(user=UserFactory(language="en")).user
    services.registration_create(event=event, user=user)
    body = render_message(OutboxMessage.objects.get(kind="event_registered")).body
    assert "Show your badge (with its QR code) at the door" in body
