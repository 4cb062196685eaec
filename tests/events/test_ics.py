"""Calendar files: an event's .ics in its own zone, a person's agenda, the reusable builder."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from events import ics, services
from events.models import Event
from tests.companies.factories import MembershipFactory, StaffFactory, UserFactory, staff_in
from tests.events.factories import EventFactory, OnlineSessionFactory, PartnerPersonFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 10, 1, 0, tzinfo=dt.UTC)  # 10:00 in Seoul, 09:00 in Harbin


def seoul_roadshow(**fields):
    values = {
        "kind": Event.Kind.ROADSHOW,
        "starts_at": START,
        "ends_at": START + dt.timedelta(hours=3),
        "time_zone": "Asia/Seoul",
        "title_ko": "서울 투자 로드쇼",
        "title_zh": "首尔投资路演",
        "title_en": "Seoul investment roadshow",
        "venue_en": "COEX, Seoul",
    }
    return EventFactory(**(values | fields))


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_an_events_calendar_file_keeps_its_zone_with_a_timezone_component(client):
    event = seoul_roadshow()

    response = client.get(reverse("events:event-ics", args=[event.pk]))

    text = response.content.decode()
    assert "DTSTART;TZID=Asia/Seoul:20261210T100000" in text
    assert "DTEND;TZID=Asia/Seoul:20261210T130000" in text
    calendar = parse(response)
    zones = [c for c in calendar.walk("VTIMEZONE")]
    assert [str(z["TZID"]) for z in zones] == ["Asia/Seoul"]
    # The zone before the event that names it, as calendar apps read a file top down.
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE", "VEVENT"]
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("DTSTART") == START
    assert str(vevent["LOCATION"]) == "COEX, Seoul"
    assert str(vevent["URL"]).endswith(f"/portal/events/{event.pk}/")
    assert 'filename="event-' in response["Content-Disposition"]


def test_the_uid_is_stable_and_the_summary_speaks_the_viewers_language(client):
    event = seoul_roadshow()
    url = reverse("events:event-ics", args=[event.pk])

    client.cookies["lang"] = "ko"
    korean = parse(client.get(url)).walk("VEVENT")[0]
    client.cookies["lang"] = "zh-hans"
    chinese = parse(client.get(url)).walk("VEVENT")[0]

    assert str(korean["UID"]) == str(chinese["UID"]) == ics.uid_for("event", event.pk)
    assert str(korean["SUMMARY"]) == "서울 투자 로드쇼"
    assert str(chinese["SUMMARY"]) == "首尔投资路演"


@pytest.mark.parametrize("status", [Event.Status.DRAFT, Event.Status.CANCELLED])
def test_a_calendar_of_an_event_the_viewer_may_not_see_is_a_404(client, status):
    event = seoul_roadshow(status=status)
    url = reverse("events:event-ics", args=[event.pk])

    assert client.get(url).status_code == 404
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 200


def test_a_registrant_gets_a_cancelled_calendar_entry_when_the_event_is_cancelled(client):
    event = seoul_roadshow()
    person = PartnerPersonFactory()
    services.registration_create(event=event, user=person.user)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    client.force_login(person.user)

    (vevent,) = parse(client.get(reverse("events:event-ics", args=[event.pk]))).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"
    (in_agenda,) = parse(client.get(reverse("events:my-agenda-ics"))).walk("VEVENT")
    assert str(in_agenda["STATUS"]) == "CANCELLED"


LINK = "https://meeting.example.cn/j/briefing"


def test_an_online_events_link_is_in_the_calendar_of_those_with_a_place_and_staff(client):
    # Its page shows the link to registered people only: its calendar file, which anyone
    # may download, did not (the link lets anyone into the call).
    event = seoul_roadshow(
        kind=Event.Kind.ONLINE_PROGRAMME, venue_en="", online_url=LINK, capacity=1
    )
    registered, waitlisted = PartnerPersonFactory(), PartnerPersonFactory()
    services.registration_create(event=event, user=registered.user)
    services.registration_create(event=event, user=waitlisted.user)
    url = reverse("events:event-ics", args=[event.pk])

    def location(user) -> str:
        client.logout()
        if user is not None:
            client.force_login(user)
        client.cookies["lang"] = "en"
        response = client.get(url)
        (vevent,) = parse(response).walk("VEVENT")
        assert (LINK in response.content.decode()) == (str(vevent["LOCATION"]) == LINK)
        return str(vevent["LOCATION"])

    assert location(None) == "Online"
    assert location(waitlisted.user) == "Online"
    assert location(MembershipFactory().user) == "Online"
    assert location(registered.user) == LINK
    assert location(StaffFactory()) == "Online"  # staff of no role
    assert location(staff_in("viewer")) == LINK
    client.force_login(registered.user)
    (in_agenda,) = parse(client.get(reverse("events:my-agenda-ics"))).walk("VEVENT")
    assert str(in_agenda["LOCATION"]) == LINK


def test_an_online_programme_is_its_sessions_each_with_its_time_and_link(client):
    # One entry of two weeks kept people busy for two weeks and hid the sessions' links.
    event = seoul_roadshow(kind=Event.Kind.ONLINE_PROGRAMME, venue_en="", meeting_tables=0)
    first = OnlineSessionFactory(event=event, title_en="Market entry", link=LINK)
    second = OnlineSessionFactory(
        event=event,
        title_en="Hiring in China",
        starts_at=event.starts_at + dt.timedelta(days=7),
        link="https://meeting.example.cn/j/2",
    )
    registered = PartnerPersonFactory()
    services.registration_create(event=event, user=registered.user)
    client.force_login(registered.user)
    client.cookies["lang"] = "en"

    for url in (reverse("events:event-ics", args=[event.pk]), reverse("events:my-agenda-ics")):
        entries = sorted(parse(client.get(url)).walk("VEVENT"), key=lambda v: v["DTSTART"].dt)
        assert [str(v["SUMMARY"]) for v in entries] == [
            f"{event.title_en} · Market entry",
            f"{event.title_en} · Hiring in China",
        ]
        assert [v["DTSTART"].dt for v in entries] == [first.starts_at, second.starts_at]
        assert [v["DTEND"].dt for v in entries] == [first.ends_at, second.ends_at]
        assert [str(v["LOCATION"]) for v in entries] == [LINK, "https://meeting.example.cn/j/2"]
        assert len({str(v["UID"]) for v in entries}) == 2
    client.logout()
    client.cookies["lang"] = "en"
    entries = parse(client.get(reverse("events:event-ics", args=[event.pk]))).walk("VEVENT")
    assert [str(v["LOCATION"]) for v in entries] == ["Online", "Online"]


def test_a_missing_event_is_a_404(client):
    assert client.get(reverse("events:event-ics", args=[999999])).status_code == 404


def test_my_agenda_lists_the_events_i_am_registered_for_and_only_those(client):
    person = PartnerPersonFactory()
    mine = seoul_roadshow()
    harbin = EventFactory(time_zone="Asia/Shanghai", title_en="Harbin matching day")
    cancelled_by_me = EventFactory(title_en="Changed my mind")
    waitlisted = EventFactory(capacity=1, title_en="Full house")
    not_mine = EventFactory(title_en="Someone else's")
    for event in (mine, harbin, cancelled_by_me):
        services.registration_create(event=event, user=person.user)
    services.registration_create(event=waitlisted, user=MembershipFactory().user)
    services.registration_create(event=waitlisted, user=person.user)
    services.registration_cancel(
        registration=cancelled_by_me.registrations.get(), actor=person.user
    )
    services.registration_create(event=not_mine, user=MembershipFactory().user)
    client.force_login(person.user)
    client.cookies["lang"] = "en"

    calendar = parse(client.get(reverse("events:my-agenda-ics")))

    summaries = sorted(str(v["SUMMARY"]) for v in calendar.walk("VEVENT"))
    assert summaries == ["Harbin matching day", "Seoul investment roadshow"]
    assert sorted(str(z["TZID"]) for z in calendar.walk("VTIMEZONE")) == [
        "Asia/Seoul",
        "Asia/Shanghai",
    ]


def test_my_agenda_needs_a_sign_in(client):
    response = client.get(reverse("events:my-agenda-ics"))
    assert response.status_code == 302 and "/portal/sign-in/" in response["Location"]


def test_an_empty_agenda_is_still_a_valid_calendar(client):
    client.force_login(UserFactory())
    calendar = parse(client.get(reverse("events:my-agenda-ics")))
    assert calendar.walk("VEVENT") == []


def test_calendar_for_takes_plain_items_such_as_meetings():
    start = dt.datetime(2026, 12, 15, 2, 0, tzinfo=dt.UTC)
    content = ics.calendar_for(
        [
            {
                "uid": "meeting-7@example",
                "summary": "Meeting: Hanbit Robotics ↔ Heilongjiang Capital",
                "start": start,
                "end": start + dt.timedelta(minutes=20),
                "tz": "Asia/Shanghai",
                "location": "Table 4",
                "description": "Interpreter 2 (ko ↔ zh)",
            },
            ics.CalendarItem(
                uid="meeting-8@example",
                summary="Meeting 2",
                start=start + dt.timedelta(minutes=20),
                end=start + dt.timedelta(minutes=40),
                tz="Asia/Shanghai",
            ),
        ],
        name="Agenda",
    )

    calendar = icalendar.Calendar.from_ical(content)
    first, second = calendar.walk("VEVENT")
    assert "DTSTART;TZID=Asia/Shanghai:20261215T100000" in content.decode()
    assert str(first["LOCATION"]) == "Table 4"
    assert str(first["DESCRIPTION"]) == "Interpreter 2 (ko ↔ zh)"
    assert second.decoded("DTEND") == start + dt.timedelta(minutes=40)
    assert str(calendar["X-WR-CALNAME"]) == "Agenda"
