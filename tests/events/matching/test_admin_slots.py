"""A meeting slot's own admin page shows and reads its times in its event's zone, as the
event's page does: a coordinator in Seoul sees a Harbin slot's 09:00 as 09:00."""

import datetime as dt

import pytest
from django.urls import reverse

from events.models import MeetingSlot
from incubator import roles
from tests.companies.factories import staff_in
from tests.events.factories import EventFactory
from tests.forms_shown import form_as_shown

pytestmark = pytest.mark.django_db


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_a_slot_page_shows_and_reads_times_in_the_event_zone(client):
    client.force_login(staff_in(roles.EVENT_COORDINATOR, time_zone="Asia/Seoul"))
    client.cookies["lang"] = "en"
    # Harbin, 09:00-17:00 China time (01:00-09:00 UTC).
    event = EventFactory(starts_at=utc(2027, 6, 1, 1), ends_at=utc(2027, 6, 1, 9))
    slot = MeetingSlot.objects.create(
        event=event, starts_at=utc(2027, 6, 1, 1), ends_at=utc(2027, 6, 1, 1, 20)
    )
    url = reverse("admin:events_meetingslot_change", args=[slot.pk])
    html = client.get(url).content.decode()
    shown = form_as_shown(html, "meetingslot_form")
    assert shown["starts_at_1"] == ["09:00:00"] and shown["ends_at_1"] == ["09:20:00"]
    assert "In the event&#x27;s time zone." in html or "In the event's time zone." in html

    shown["starts_at_1"], shown["ends_at_1"] = ["10:00"], ["10:20"]
    response = client.post(url, shown)
    assert response.status_code == 302, response.content.decode()[:3000]
    slot.refresh_from_db()
    assert (slot.starts_at, slot.ends_at) == (utc(2027, 6, 1, 2), utc(2027, 6, 1, 2, 20))
