"""The event admin takes and shows an event's times in the event's zone.

A coordinator in Shanghai sets up an event in Seoul: the 10:00 typed is 10:00 in Seoul,
wherever the person typing is, and the pages show it back as 10:00.
"""

import datetime as dt

import pytest
from django.urls import reverse

from events.models import Event, MeetingSlot, OnlineSession
from incubator import roles
from incubator.models import AuditRecord
from tests.companies.factories import staff_in
from tests.events.factories import EventFactory
from tests.forms_shown import form_as_shown

pytestmark = pytest.mark.django_db

INLINES = ("slots", "online_sessions", "competition_rounds")


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def coordinator(client):
    user = staff_in(roles.EVENT_COORDINATOR, time_zone="Asia/Shanghai")
    client.force_login(user)
    client.cookies["lang"] = "en"
    return user


def add_form(**fields) -> dict:
    """The add page filled in: a Seoul roadshow on 2027-05-10, 10:00–12:00."""
    form = {
        "kind": "roadshow",
        "title_en": "Seoul roadshow",
        "venue_ko": "서울창업허브",
        "starts_at_0": "2027-05-10",
        "starts_at_1": "10:00",
        "ends_at_0": "2027-05-10",
        "ends_at_1": "12:00",
        "time_zone": "Asia/Seoul",
        "registration_deadline_0": "2027-05-09",
        "registration_deadline_1": "18:00",
        "meeting_tables": "0",
        "interpreters_per_slot": "0",
        **fields,
    }
    for prefix in INLINES:
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return form


def seoul_event(**fields) -> Event:
    """A draft event 2027-05-10 10:00–12:00 in Seoul (01:00–03:00 UTC)."""
    return EventFactory(
        status=Event.Status.DRAFT,
        time_zone="Asia/Seoul",
        starts_at=utc(2027, 5, 10, 1),
        ends_at=utc(2027, 5, 10, 3),
        **fields,
    )


def change_page(client, event) -> tuple[str, dict]:
    html = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    return html, form_as_shown(html, "event_form")


def test_a_seoul_event_typed_in_shanghai_is_stored_in_seoul_time(client, coordinator):
    response = client.post(reverse("admin:events_event_add"), add_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title_en="Seoul roadshow")
    assert (event.starts_at, event.ends_at) == (utc(2027, 5, 10, 1), utc(2027, 5, 10, 3))
    assert event.registration_deadline == utc(2027, 5, 9, 9)
    assert AuditRecord.objects.get(verb="event.create").actor == coordinator


def test_the_add_page_says_the_times_are_in_the_event_zone(client, coordinator):
    html = client.get(reverse("admin:events_event_add")).content.decode()
    # Starts, ends, the registration deadline and the meeting requests' deadline.
    assert html.count("In the event's time zone.</div>") == 4
    assert "Empty: registration stays open until the event ends. In the event's" in html
    # The slots', sessions' and rounds' times, on the page of the event of their kind (a
    # tooltip of each column): slots' start and end, sessions' start and end, a round's
    # deadline.
    tooltip = 'title="In the event&#x27;s time zone."'
    for kind, columns in [
        (Event.Kind.MATCHING_SESSION, 2),
        (Event.Kind.ONLINE_PROGRAMME, 2),
        (Event.Kind.COMPETITION, 1),
    ]:
        html, _shown = change_page(client, seoul_event(kind=kind))
        assert html.count(tooltip) == columns, kind


def test_the_change_page_shows_the_saved_times_in_the_event_zone(client, coordinator):
    event = seoul_event(registration_deadline=utc(2027, 5, 9, 9))
    _html, shown = change_page(client, event)
    assert shown["starts_at_0"] == ["2027-05-10"] and shown["starts_at_1"] == ["10:00:00"]
    assert shown["ends_at_1"] == ["12:00:00"]
    assert shown["registration_deadline_0"] == ["2027-05-09"]
    assert shown["registration_deadline_1"] == ["18:00:00"]


def test_the_change_page_saved_as_shown_changes_no_time(client, coordinator):
    event = seoul_event()
    _html, shown = change_page(client, event)
    response = client.post(reverse("admin:events_event_change", args=[event.pk]), shown)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert (event.starts_at, event.ends_at) == (utc(2027, 5, 10, 1), utc(2027, 5, 10, 3))
    assert not AuditRecord.objects.filter(verb="event.update").exists()


def test_a_zone_changed_on_the_form_reads_the_times_in_the_new_zone(client, coordinator):
    event = seoul_event()
    _html, shown = change_page(client, event)
    # 10:00–12:00 left as typed, the zone now Shanghai: 10:00 China time is 02:00 UTC.
    shown |= {"time_zone": ["Asia/Shanghai"]}
    response = client.post(reverse("admin:events_event_change", args=[event.pk]), shown)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.time_zone == "Asia/Shanghai"
    assert (event.starts_at, event.ends_at) == (utc(2027, 5, 10, 2), utc(2027, 5, 10, 4))
    changes = AuditRecord.objects.get(verb="event.update").changes
    assert {"time_zone", "starts_at", "ends_at"} <= set(changes)

    # And back to Seoul with another start: both read in Seoul.
    _html, shown = change_page(client, event)
    assert shown["starts_at_1"] == ["10:00:00"]
    shown |= {"time_zone": ["Asia/Seoul"], "starts_at_1": ["11:00"]}
    client.post(reverse("admin:events_event_change", args=[event.pk]), shown)
    event.refresh_from_db()
    assert (event.starts_at, event.ends_at) == (utc(2027, 5, 10, 2), utc(2027, 5, 10, 3))


def test_a_time_the_zone_cannot_tell_is_an_error_on_the_form(client, coordinator):
    # Seoul set its clocks back from 03:00 to 02:00 on 1988-10-09: 02:30 happened twice.
    form = add_form(
        starts_at_0="1988-10-09",
        starts_at_1="02:30",
        ends_at_0="1988-10-09",
        ends_at_1="04:00",
        registration_deadline_0="",
        registration_deadline_1="",
    )
    response = client.post(reverse("admin:events_event_add"), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "couldn’t be interpreted in time zone Asia/Seoul" in html
    assert not Event.objects.filter(title_en="Seoul roadshow").exists()


def test_the_list_shows_each_event_time_in_its_own_zone(client, coordinator):
    seoul_event(title_en="Seoul roadshow")
    EventFactory(
        title_en="Harbin matching",
        time_zone="Asia/Shanghai",
        starts_at=utc(2027, 6, 1, 1),
        ends_at=utc(2027, 6, 1, 9),
    )
    html = client.get(reverse("admin:events_event_changelist")).content.decode()
    assert "2027-05-10 10:00–12:00 Korea time (KST)" in html
    assert "2027-06-01 09:00–17:00 China time (CST)" in html


def test_a_slot_added_on_the_event_page_is_read_in_the_event_zone(client, coordinator):
    event = seoul_event(kind=Event.Kind.MATCHING_SESSION)
    _html, shown = change_page(client, event)
    shown |= {
        "slots-TOTAL_FORMS": ["1"],
        "slots-0-event": [str(event.pk)],
        "slots-0-starts_at_0": ["2027-05-10"],
        "slots-0-starts_at_1": ["10:00"],
        "slots-0-ends_at_0": ["2027-05-10"],
        "slots-0-ends_at_1": ["10:30"],
    }
    response = client.post(reverse("admin:events_event_change", args=[event.pk]), shown)
    assert response.status_code == 302, response.content.decode()[:3000]
    slot = MeetingSlot.objects.get(event=event)
    assert (slot.starts_at, slot.ends_at) == (utc(2027, 5, 10, 1), utc(2027, 5, 10, 1, 30))
    # The rows on the event page are shown back in the event's zone.
    _html, shown = change_page(client, event)
    assert shown["slots-0-starts_at_1"] == ["10:00:00"]


def test_a_session_added_on_its_own_page_is_read_in_its_event_zone(client, coordinator):
    event = seoul_event(kind=Event.Kind.ONLINE_PROGRAMME, venue_en="", meeting_tables=0)
    form = {
        "event": event.pk,
        "title_en": "Tax in Korea",
        "starts_at_0": "2027-05-10",
        "starts_at_1": "10:00",
        "ends_at_0": "2027-05-10",
        "ends_at_1": "11:00",
        "link": "https://meeting.example.kr/j/1",
    }
    response = client.post(reverse("admin:events_onlinesession_add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    session = OnlineSession.objects.get(title_en="Tax in Korea")
    assert (session.starts_at, session.ends_at) == (utc(2027, 5, 10, 1), utc(2027, 5, 10, 2))
    change = reverse("admin:events_onlinesession_change", args=[session.pk])
    shown = form_as_shown(client.get(change).content.decode(), "onlinesession_form")
    assert shown["starts_at_1"] == ["10:00:00"]
    html = client.get(reverse("admin:events_onlinesession_changelist")).content.decode()
    assert "2027-05-10 10:00–11:00 Korea time (KST)" in html
