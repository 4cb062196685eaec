"""The portal's calendar page: the address shown once, regenerated with a confirmation,
stopped; a partner person also manages their organisation's feed."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from events.feeds.models import CalendarFeed, token_hash
from incubator.zones import moment_text, zone_words
from tests.companies.factories import MembershipFactory
from tests.events.factories import PartnerPersonFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("events:calendar")
REGENERATE = reverse("events:calendar-regenerate")
STOP = reverse("events:calendar-stop")


def address_in(response) -> str:
    html = response.content.decode()
    found = re.search(r'value="(https?://[^"]+/portal/calendar/([\w-]+)\.ics)"', html)
    assert found, html
    return found.group(2)


@pytest.fixture
def member(client):
    user = MembershipFactory(user__language="en").user
    client.force_login(user)
    client.cookies["lang"] = "en"
    return user


def test_the_address_is_shown_once_with_the_three_ways_to_subscribe(client, member):
    assert "Make the subscription address" in client.get(PAGE).content.decode()

    response = client.post(REGENERATE, {"feed": "mine"})

    # Post, redirect, get: a reload of the page asks for nothing again.
    assert response.status_code == 302 and response["Location"] == PAGE
    feed = CalendarFeed.objects.get(user=member)
    made = feed.token_hash
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    token = address_in(response)
    html = response.content.decode()
    assert "The calendar address is made." in html
    assert f"webcal://testserver/portal/calendar/{token}.ics" in html
    assert "calendar.google.com/calendar/r?cid=webcal%3A%2F%2F" in html
    assert "outlook.live.com/calendar/0/addfromweb?url=" in html
    assert "Apple Calendar" in html
    assert made == token_hash(token)
    assert client.get(reverse("events:calendar-feed", kwargs={"token": token})).status_code == 200
    # Shown once: the page keeps no copy of it, and the reload made no new one.
    again = client.get(PAGE).content.decode()
    assert token not in again and "Active since" in again
    feed.refresh_from_db()
    assert feed.token_hash == made


def test_the_address_waits_for_its_page_nowhere_in_clear(client, member):
    response = client.post(REGENERATE, {"feed": "mine"})
    # Meanwhile: the session (a row of the database), the messages and the other cookies.
    kept = str(dict(client.session.items())) + client.cookies.output()

    token = address_in(client.get(PAGE))

    assert token not in kept and token not in str(response.headers)
    # Taken once: the session's half and the cookie's are gone.
    assert "calendar_feed_made" not in client.session
    assert client.cookies["calendar_feed_pad"].value == ""


def test_the_address_is_not_shown_to_another_account_in_the_same_browser(client, member):
    client.post(REGENERATE, {"feed": "mine"})
    client.force_login(MembershipFactory(user__language="en").user)

    html = client.get(PAGE).content.decode()

    assert not re.search(r"/portal/calendar/[\w-]+\.ics", html)
    assert "Make the subscription address" in html


def test_regenerating_asks_for_a_confirmation_and_kills_the_old_address(client, member):
    first = address_in(client.post(REGENERATE, {"feed": "mine"}, follow=True))

    refused = client.post(REGENERATE, {"feed": "mine"})
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    assert CalendarFeed.objects.get().token_hash == token_hash(first)

    response = client.post(REGENERATE, {"feed": "mine", "confirm": "on"}, follow=True)
    second = address_in(response)
    assert second != first
    assert "A new calendar address is made; the old one no longer works." in (
        response.content.decode()
    )
    assert client.get(reverse("events:calendar-feed", kwargs={"token": first})).status_code == 404
    assert client.get(reverse("events:calendar-feed", kwargs={"token": second})).status_code == 200


def test_stopping_the_feed_kills_its_address(client, member):
    token = address_in(client.post(REGENERATE, {"feed": "mine"}, follow=True))

    assert client.post(STOP, {"feed": "mine"}).status_code == 400
    response = client.post(STOP, {"feed": "mine", "confirm": "on"})

    assert response.status_code == 302 and response["Location"] == PAGE
    html = client.get(PAGE).content.decode()
    assert "The feed is stopped; its address no longer works." in html
    assert "This feed is stopped" in html
    assert client.get(reverse("events:calendar-feed", kwargs={"token": token})).status_code == 404


def test_a_startup_member_has_no_organisation_feed(client, member):
    assert "feed-organisation" not in client.get(PAGE).content.decode()
    assert client.post(REGENERATE, {"feed": "organisation"}).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_a_partner_person_manages_the_organisations_feed(client):
    person = PartnerPersonFactory(user__language="en")
    colleague = PartnerPersonFactory(organisation=person.organisation)
    client.force_login(person.user)
    assert 'id="feed-organisation"' in client.get(PAGE).content.decode()

    token = address_in(client.post(REGENERATE, {"feed": "organisation"}, follow=True))

    feed = CalendarFeed.objects.get(organisation=person.organisation)
    assert feed.token_hash == token_hash(token) and feed.created_by == person.user
    # A colleague sees it is active, and may replace it.
    client.force_login(colleague.user)
    assert "Active since" in client.get(PAGE).content.decode()
    address_in(client.post(REGENERATE, {"feed": "organisation", "confirm": "on"}, follow=True))
    assert client.get(reverse("events:calendar-feed", kwargs={"token": token})).status_code == 404


@pytest.mark.parametrize(
    "zone, shown",
    [("Asia/Seoul", "2026-12-02 10:29"), ("Asia/Shanghai", "2026-12-02 09:29")],
)
def test_the_feeds_times_are_shown_with_their_zone(client, member, zone, shown):
    member.time_zone = zone
    member.save(update_fields=["time_zone"])
    client.post(REGENERATE, {"feed": "mine"})
    at = dt.datetime(2026, 12, 2, 1, 29, tzinfo=dt.UTC)
    CalendarFeed.objects.filter(user=member).update(created_at=at, last_fetched_at=at)

    html = client.get(PAGE).content.decode()

    with timezone.override(zoneinfo.ZoneInfo(zone)), translation.override("en"):
        expected = f'<time datetime="{at.isoformat()}">{moment_text(at)}</time>'
        assert f"{shown} {zone_words(zone)}" in expected
    assert html.count(expected) == 2  # made at, last fetched at
