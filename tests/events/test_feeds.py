"""Calendar feeds: a private address per person and per partner organisation that calendar
apps subscribe to; regenerating or stopping it kills the old address (404)."""

import datetime as dt

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import ics, services
from events.feeds import selectors as feeds
from events.feeds.models import CalendarFeed, token_hash
from events.feeds.services import calendar_feed_regenerate, calendar_feed_stop
from events.models import Event, Meeting, Registration
from incubator.models import AuditRecord, OutboxMessage
from tests.companies.factories import MembershipFactory, StaffFactory
from tests.events.factories import (
    EventFactory,
    MeetingSlotFactory,
    PartnerPersonFactory,
    StartupRegistrationFactory,
)

pytestmark = pytest.mark.django_db


def feed_path(token: str) -> str:
    return reverse("events:calendar-feed", kwargs={"token": token})


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def summaries(calendar) -> list[str]:
    return sorted(str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT"))


def meeting(event, mine: Registration, other: Registration, *, minutes: int = 0) -> Meeting:
    slot = MeetingSlotFactory(
        event=event,
        starts_at=event.starts_at + dt.timedelta(minutes=minutes),
        ends_at=event.starts_at + dt.timedelta(minutes=minutes + 20),
    )
    a, b = sorted([mine, other], key=lambda r: r.pk)
    return Meeting.objects.create(
        event=event, registration_a=a, registration_b=b, slot=slot, table=1
    )


@pytest.fixture
def partner():
    person = PartnerPersonFactory(user__language="en")
    return person


def register(event, user) -> Registration:
    return services.registration_create(event=event, user=user)


def test_a_persons_feed_lists_their_events_and_meetings_and_nobody_elses(client, partner):
    session = EventFactory(title_en="Harbin matching day")
    roadshow = EventFactory(kind=Event.Kind.ROADSHOW, venue_en="COEX", title_en="Seoul roadshow")
    dropped = EventFactory(title_en="Changed my mind")
    theirs = EventFactory(title_en="Someone else's")
    mine = register(session, partner.user)
    register(roadshow, partner.user)
    services.registration_cancel(registration=register(dropped, partner.user), actor=partner.user)
    startup = StartupRegistrationFactory(event=session, name="Alpha Robotics · Kim")
    other = StartupRegistrationFactory(event=session, name="Beta Clinic · Lee")
    meeting(session, mine, startup)
    meeting(session, other, StartupRegistrationFactory(event=session), minutes=20)
    StartupRegistrationFactory(event=theirs)
    _feed, token = calendar_feed_regenerate(actor=partner.user, user=partner.user)

    response = client.get(feed_path(token))

    calendar = parse(response)
    assert summaries(calendar) == [
        "Harbin matching day",
        "Meeting: Alpha Robotics · Kim",
        "Seoul roadshow",
    ]
    assert str(calendar["X-WR-CALNAME"]) == "My events at the center"
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT1H"
    assert "X-PUBLISHED-TTL:PT1H" in response.content.decode()
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    by_summary = {str(v["SUMMARY"]): v for v in calendar.walk("VEVENT")}
    event_entry = by_summary["Harbin matching day"]
    assert str(event_entry["UID"]) == ics.uid_for("event", session.pk)
    assert str(event_entry["STATUS"]) == "CONFIRMED"
    assert event_entry.decoded("LAST-MODIFIED") == session.updated_at.replace(microsecond=0)
    assert int(event_entry["SEQUENCE"]) == ics.sequence_of(session.updated_at)
    assert by_summary["Meeting: Alpha Robotics · Kim"].decoded("DTSTART") == session.starts_at
    # No session needed, and no shared cache keeps it.
    assert response["Cache-Control"] == "private, max-age=300"
    assert "sessionid" not in response.cookies


def test_the_my_agenda_download_lists_what_the_feed_lists_meetings_included(client, partner):
    session = EventFactory(title_en="Harbin matching day")
    roadshow = EventFactory(kind=Event.Kind.ROADSHOW, title_en="Seoul roadshow")
    mine = register(session, partner.user)
    register(roadshow, partner.user)
    meeting(session, mine, StartupRegistrationFactory(event=session, name="Alpha Robotics · Kim"))
    _feed, token = calendar_feed_regenerate(actor=partner.user, user=partner.user)
    client.force_login(partner.user)
    client.cookies["lang"] = "en"

    download = parse(client.get(reverse("events:my-agenda-ics")))
    feed = parse(client.get(feed_path(token)))

    assert summaries(download) == [
        "Harbin matching day",
        "Meeting: Alpha Robotics · Kim",
        "Seoul roadshow",
    ]
    uids = {str(v["UID"]) for v in download.walk("VEVENT")}
    assert uids == {str(v["UID"]) for v in feed.walk("VEVENT")}
    assert str(download["X-WR-CALNAME"]) == str(feed["X-WR-CALNAME"])


def test_the_feed_speaks_its_owners_language_whoever_fetches_it(client, partner):
    register(EventFactory(title_ko="서울 로드쇼", title_en="Seoul roadshow"), partner.user)
    partner.user.language = "ko"
    partner.user.save(update_fields=["language"])
    _feed, token = calendar_feed_regenerate(actor=partner.user, user=partner.user)
    client.cookies["lang"] = "en"

    assert summaries(parse(client.get(feed_path(token)))) == ["서울 로드쇼"]


def test_the_feed_names_its_owners_language_not_the_fetchers(client, partner):
    register(EventFactory(title_ko="서울 로드쇼", title_zh="首尔路演"), partner.user)
    partner.user.language = "zh-hans"
    partner.user.save(update_fields=["language"])
    _feed, token = calendar_feed_regenerate(actor=partner.user, user=partner.user)
    client.cookies["lang"] = "en"

    response = client.get(feed_path(token), HTTP_ACCEPT_LANGUAGE="ko")

    assert summaries(parse(response)) == ["首尔路演"]
    assert response["Content-Language"] == "zh-hans"


def test_a_cancelled_event_stays_cancelled_with_a_higher_sequence(client, partner):
    event = EventFactory(title_en="Harbin matching day")
    register(event, partner.user)
    _feed, token = calendar_feed_regenerate(actor=partner.user, user=partner.user)
    Event.objects.filter(pk=event.pk).update(updated_at=event.updated_at - dt.timedelta(hours=1))
    (before,) = parse(client.get(feed_path(token))).walk("VEVENT")

    services.event_cancel(event=event, actor=None, reason="Snow storm")

    (after,) = parse(client.get(feed_path(token))).walk("VEVENT")
    assert str(after["UID"]) == str(before["UID"])
    assert str(before["STATUS"]) == "CONFIRMED" and str(after["STATUS"]) == "CANCELLED"
    assert int(after["SEQUENCE"]) >= int(before["SEQUENCE"]) + 3600
    assert after.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")


def test_a_meeting_whose_counterpart_left_leaves_the_feed_and_the_partner_is_told(client, partner):
    event = EventFactory()
    mine = register(event, partner.user)
    startup = StartupRegistrationFactory(event=event)
    meeting(event, mine, startup)
    _feed, token = calendar_feed_regenerate(actor=partner.user, user=partner.user)

    services.registration_cancel(registration=startup, actor=None)

    # The cancellation takes the meeting off the schedule: the subscribed calendar drops
    # it at its next fetch, and the partner reads why in an e-mail.
    entries = parse(client.get(feed_path(token))).walk("VEVENT")
    assert [v for v in entries if str(v["SUMMARY"]).startswith("Meeting")] == []
    assert OutboxMessage.objects.filter(kind="meeting_cancelled", recipient=partner.user.email)


def test_a_regenerated_or_stopped_address_is_a_404_like_one_never_made(client, partner):
    register(EventFactory(), partner.user)
    feed, first = calendar_feed_regenerate(actor=partner.user, user=partner.user)
    assert client.get(feed_path(first)).status_code == 200

    _feed, second = calendar_feed_regenerate(actor=partner.user, user=partner.user)

    dead = client.get(feed_path(first))
    unknown = client.get(feed_path("x" * 43))
    assert dead.status_code == unknown.status_code == 404
    assert dead.content == unknown.content
    assert client.get(feed_path(second)).status_code == 200
    assert CalendarFeed.objects.count() == 1

    calendar_feed_stop(actor=partner.user, feed=feed)
    assert client.get(feed_path(second)).status_code == 404
    verbs = list(AuditRecord.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs[-3:] == [
        "calendar_feed.regenerate",
        "calendar_feed.regenerate",
        "calendar_feed.stop",
    ]


def test_a_deactivated_persons_feed_is_a_404(client, partner):
    _feed, token = calendar_feed_regenerate(actor=partner.user, user=partner.user)
    partner.user.is_active = False
    partner.user.save(update_fields=["is_active"])

    assert client.get(feed_path(token)).status_code == 404


def test_nobody_regenerates_someone_elses_feed(partner):
    with pytest.raises(PermissionDenied):
        calendar_feed_regenerate(actor=MembershipFactory().user, user=partner.user)
    with pytest.raises(PermissionDenied):
        calendar_feed_regenerate(actor=MembershipFactory().user, organisation=partner.organisation)
    with pytest.raises(PermissionDenied):
        calendar_feed_regenerate(actor=StaffFactory(), organisation=partner.organisation)
    assert not CalendarFeed.objects.exists()


def test_an_organisations_feed_lists_its_peoples_registrations_and_meetings(client, partner):
    colleague = PartnerPersonFactory(organisation=partner.organisation)
    stranger = PartnerPersonFactory()
    session = EventFactory(title_en="Harbin matching day")
    mine = register(session, partner.user)
    register(session, colleague.user)
    register(EventFactory(title_en="Only the stranger"), stranger.user)
    startup = StartupRegistrationFactory(event=session, name="Alpha Robotics · Kim")
    meeting(session, mine, startup)
    _feed, token = calendar_feed_regenerate(actor=partner.user, organisation=partner.organisation)

    calendar = parse(client.get(feed_path(token)))

    assert summaries(calendar) == sorted(
        [
            f"Harbin matching day · {mine.name}",
            f"Harbin matching day · {colleague.user.full_name}",
            f"Meeting: {mine.name} – Alpha Robotics · Kim",
        ]
    )
    uids = {str(v["UID"]) for v in calendar.walk("VEVENT")}
    assert len(uids) == 3
    assert str(calendar["X-WR-CALNAME"]).endswith("at the center")


def test_a_feed_costs_the_same_queries_for_1_or_20_events(client, partner):
    def fetch_queries(count: int) -> int:
        for _ in range(count):
            event = EventFactory()
            meeting(event, register(event, partner.user), StartupRegistrationFactory(event=event))
        _feed, token = calendar_feed_regenerate(actor=partner.user, user=partner.user)
        with CaptureQueriesContext(connection) as queries:
            calendar = parse(client.get(feed_path(token)))
        registered = partner.user.event_registrations.count()
        assert len(calendar.walk("VEVENT")) == 2 * registered  # each event and its meeting
        return len(queries)

    one = fetch_queries(1)
    twenty = fetch_queries(19)
    # the feed and its owner + registrations with events + their online sessions + meetings
    # with slots, people and events + "last fetched" written
    assert one == twenty == 5


def test_the_selector_finds_no_feed_for_an_empty_or_overlong_token():
    assert feeds.feed_by_token("") is None
    assert feeds.feed_by_token("a" * 101) is None
    assert token_hash("a") != token_hash("b")


def test_the_center_manager_stops_a_leaked_feed_in_the_admin(client, partner):
    from django.contrib.auth.models import Group

    from incubator import roles

    feed, token = calendar_feed_regenerate(actor=partner.user, user=partner.user)
    roles.sync_role_permissions()
    staff = {}
    for role in (roles.EVENT_COORDINATOR, roles.CENTER_MANAGER):
        staff[role] = StaffFactory()
        staff[role].groups.add(Group.objects.get(name=role))
    action = {"action": "stop_feeds", "_selected_action": [feed.pk], "index": "0"}
    changelist = reverse("admin:events_calendarfeed_changelist")

    client.force_login(staff[roles.EVENT_COORDINATOR])
    assert client.post(changelist, action).status_code == 403
    assert client.get(feed_path(token)).status_code == 200

    client.force_login(staff[roles.CENTER_MANAGER])
    assert client.post(changelist, action).status_code == 302
    assert client.get(feed_path(token)).status_code == 404
    with pytest.raises(PermissionDenied):  # the address would be the manager's to read
        calendar_feed_regenerate(actor=staff[roles.CENTER_MANAGER], user=partner.user)


def test_a_calendar_app_may_ask_with_head_first_and_may_not_post(client, partner):
    _feed, token = calendar_feed_regenerate(actor=partner.user, user=partner.user)

    assert client.head(feed_path(token)).status_code == 200
    assert client.head(feed_path("x" * 43)).status_code == 404
    assert client.post(feed_path(token)).status_code == 405
