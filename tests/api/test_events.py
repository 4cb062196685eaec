"""The partner API of events: what a partner sees of events and their calendars, and the
registrations of its people (the portal's waitlist rules, refusals as 409 in the caller's
language, another organisation's objects as 404)."""

import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from events import services
from events.models import Event, Registration
from incubator.models import AuditRecord, OutboxMessage
from tests.companies.factories import MembershipFactory
from tests.events.factories import (
    EventFactory,
    PartnerPersonFactory,
    PartnerRegistrationFactory,
)

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"
REGISTRATIONS = "/api/v1/registrations/"
NOT_FOUND = {
    "code": "not_found",
    "message": "Not found, or not visible to your organisation.",
    "fields": {},
}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def warm(client, url):
    # The key's first call writes its last use (once a minute at most): not a list's cost.
    assert client.get(url).status_code == 200


# --- Events -------------------------------------------------------------------------------


def test_a_partner_sees_published_and_completed_events_never_drafts(api_client):
    client = api_client("events:read")
    published = EventFactory()
    completed = EventFactory(
        status=Event.Status.COMPLETED,
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=3) + dt.timedelta(hours=8),
    )
    draft = EventFactory(status=Event.Status.DRAFT)
    cancelled = EventFactory(status=Event.Status.CANCELLED)

    assert ids(client.get(EVENTS)) == [completed.pk, published.pk]
    for hidden in (draft, cancelled):
        response = client.get(f"{EVENTS}{hidden.pk}/")
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


def test_a_cancelled_event_shows_to_the_organisations_whose_people_had_registered(
    api_client, person, other_organisation
):
    client = api_client("events:read")
    mine = PartnerRegistrationFactory(person=person).event
    theirs = PartnerRegistrationFactory(person__organisation=other_organisation).event
    for event in (mine, theirs):
        Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)

    assert ids(client.get(EVENTS, {"status": "cancelled"})) == [mine.pk]
    assert client.get(f"{EVENTS}{theirs.pk}/").status_code == 404


def test_events_filter_by_kind_dates_zone_and_status_ordered_by_start(api_client):
    client = api_client("events:read")
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=10)
    roadshow = EventFactory(
        kind=Event.Kind.ROADSHOW,
        time_zone="Asia/Seoul",
        starts_at=start + dt.timedelta(days=2),
        ends_at=start + dt.timedelta(days=2, hours=3),
    )
    session = EventFactory(starts_at=start, ends_at=start + dt.timedelta(hours=8))
    later = EventFactory(
        kind=Event.Kind.DEMO_DAY,
        starts_at=start + dt.timedelta(days=20),
        ends_at=start + dt.timedelta(days=20, hours=4),
    )

    assert ids(client.get(EVENTS)) == [session.pk, roadshow.pk, later.pk]
    assert ids(client.get(EVENTS, {"ordering": "-starts_at"})) == [
        later.pk,
        roadshow.pk,
        session.pk,
    ]
    assert ids(client.get(EVENTS, {"kind": ["roadshow", "demo_day"]})) == [roadshow.pk, later.pk]
    assert ids(client.get(EVENTS, {"time_zone": "Asia/Seoul"})) == [roadshow.pk]
    window = {
        "starts_after": (start + dt.timedelta(days=1)).isoformat(),
        "starts_before": (start + dt.timedelta(days=19)).isoformat(),
    }
    assert ids(client.get(EVENTS, window)) == [roadshow.pk]
    assert ids(client.get(EVENTS, {"status": "completed"})) == []

    # 0001-01-01 in Harbin is before the year 1 in UTC: refused, not a server error.
    wrong = client.get(
        EVENTS, {"kind": "party", "starts_after": "soon", "starts_before": "0001-01-01"}
    )
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid"
    assert set(wrong.json()["fields"]) == {"kind", "starts_after", "starts_before"}


def test_an_event_gives_its_times_in_utc_and_in_its_own_zone_and_its_places(api_client):
    client = api_client("events:read")
    event = EventFactory(
        time_zone="Asia/Seoul",
        starts_at=dt.datetime(2030, 12, 10, 1, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 12, 10, 9, 0, tzinfo=dt.UTC),
        capacity=2,
        title_ko="서울 로드쇼",
    )
    PartnerRegistrationFactory(event=event)

    body = client.get(f"{EVENTS}{event.pk}/").json()

    assert body["starts_at"] == "2030-12-10T01:00:00Z"
    assert body["local_starts_at"] == "2030-12-10T10:00:00+09:00"
    assert body["local_ends_at"] == "2030-12-10T18:00:00+09:00"
    assert body["title"]["ko"] == "서울 로드쇼"
    assert body["places_left"] == 1
    assert body["registration_open"] is True
    assert "online_url" not in body  # links go to the registered, in the portal


def test_an_events_calendar_file_is_text_calendar_in_the_events_zone(api_client):
    client = api_client("events:read")
    event = EventFactory(title_en="Harbin matching session", title_ko="하얼빈 매칭 세션")

    response = client.get(f"{EVENTS}{event.pk}/ics", HTTP_ACCEPT="application/json")
    korean = client.get(f"{EVENTS}{event.pk}/ics", HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["summary"]) == "Harbin matching session"
    assert vevent["dtstart"].dt.tzinfo.key == "Asia/Shanghai"
    assert calendar.walk("VTIMEZONE")
    assert "하얼빈 매칭 세션" in korean.content.decode()


def test_an_online_events_calendar_file_has_its_link_once_one_of_the_people_has_a_place(
    api_client, person
):
    client = api_client("events:read")
    link = "https://meeting.example.cn/j/briefing"
    event = EventFactory(kind=Event.Kind.ONLINE_PROGRAMME, venue_en="", online_url=link)
    url = f"{EVENTS}{event.pk}/ics"

    before = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    PartnerRegistrationFactory(event=event, person=person)
    after = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert link not in before.content.decode()
    assert str(icalendar.Calendar.from_ical(before.content).walk("VEVENT")[0]["LOCATION"]) == (
        "Online"
    )
    assert str(icalendar.Calendar.from_ical(after.content).walk("VEVENT")[0]["LOCATION"]) == link


def test_the_calendar_of_a_draft_is_a_404_in_json(api_client):
    client = api_client("events:read")
    draft = EventFactory(status=Event.Status.DRAFT)

    for url in (f"{EVENTS}{draft.pk}/ics", f"{EVENTS}seven/ics"):
        response = client.get(url, HTTP_ACCEPT="text/calendar")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == NOT_FOUND


def test_the_events_list_costs_the_same_queries_for_1_and_100_events(
    api_client, django_assert_num_queries
):
    client = api_client("events:read")
    EventFactory()
    warm(client, EVENTS)
    # 1 key (with its organisation) + 1 count + 1 page of events with their counts
    with django_assert_num_queries(3):
        assert len(ids(client.get(EVENTS))) == 1
    EventFactory.create_batch(99)
    with django_assert_num_queries(3):
        assert len(ids(client.get(EVENTS, {"page_size": 100}))) == 100


def test_a_key_without_events_read_gets_403_scope_missing(api_client):
    client = api_client("companies:read")

    response = client.get(EVENTS, HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 403
    assert response.json() == {
        "code": "scope_missing",
        "message": "이 API 키에는 events:read 권한 범위가 없습니다.",
        "fields": {},
    }
    assert client.get(f"{EVENTS}{EventFactory().pk}/ics").status_code == 403


# --- Registrations ---------------------------------------------------------------------------


def register(client, event, person, **headers):
    return client.post(REGISTRATIONS, {"event": event.pk, "person": person.pk}, **headers)


def test_a_partner_registers_one_of_its_people_as_the_portal_does(api_client, person):
    client = api_client("registrations:write")
    event = EventFactory()

    response = register(client, event, person)

    assert response.status_code == 201, response.content
    registration = Registration.objects.get()
    assert response.json() == {
        "id": registration.pk,
        "event": {
            "id": event.pk,
            "title": {"ko": event.title_ko, "zh": event.title_zh, "en": event.title_en},
            "status": "published",
            "starts_at": event.starts_at.isoformat().replace("+00:00", "Z"),
            "time_zone": "Asia/Shanghai",
        },
        "person": person.pk,
        "name": person.user.full_name,
        "status": "registered",
        "waitlist_position": None,
        "checked_in": False,
        "created_at": registration.created_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "cancelled_at": None,
    }
    assert registration.user == person.user
    assert registration.partner_organisation == person.organisation
    assert OutboxMessage.objects.filter(
        kind="event_registered", recipient=person.user.email
    ).exists()
    record = AuditRecord.objects.get(verb="registration.create")
    assert record.actor is None
    assert record.actor_label == f"API key {client.key_row.prefix} of {person.organisation}"


def test_a_full_event_puts_the_person_on_the_waitlist(api_client, person, organisation):
    client = api_client("registrations:write")
    event = EventFactory(capacity=1)
    services.registration_create(event=event, user=MembershipFactory().user)
    second = PartnerPersonFactory(organisation=organisation)

    first_wait = register(client, event, person).json()
    second_wait = register(client, event, second).json()

    assert (first_wait["status"], first_wait["waitlist_position"]) == ("waitlisted", 1)
    assert (second_wait["status"], second_wait["waitlist_position"]) == ("waitlisted", 2)
    assert OutboxMessage.objects.filter(
        kind="event_waitlisted", recipient=person.user.email
    ).exists()


def test_another_organisations_person_is_a_404_like_a_person_that_does_not_exist(
    api_client, other_organisation
):
    client = api_client("registrations:write")
    event = EventFactory()
    stranger = PartnerPersonFactory(organisation=other_organisation)

    theirs = register(client, event, stranger)
    nobody = client.post(REGISTRATIONS, {"event": event.pk, "person": stranger.pk + 1000})

    assert theirs.status_code == nobody.status_code == 404
    assert theirs.json() == nobody.json() == NOT_FOUND
    assert not Registration.objects.exists()


def test_a_person_who_moved_to_another_organisation_is_no_longer_the_partners(
    api_client, person, other_organisation
):
    client = api_client("registrations:write")
    registration = PartnerRegistrationFactory(person=person)
    person.organisation = other_organisation
    person.save(update_fields=["organisation"])

    assert client.get(f"{REGISTRATIONS}{registration.pk}/").status_code == 404
    assert register(client, EventFactory(), person).status_code == 404


def test_a_draft_event_is_a_404_and_a_malformed_body_a_400(api_client, person):
    client = api_client("registrations:write")

    draft = register(client, EventFactory(status=Event.Status.DRAFT), person)
    malformed = client.post(REGISTRATIONS, {"event": "seven"}, format="json")

    assert draft.status_code == 404
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "invalid"
    assert set(malformed.json()["fields"]) == {"event", "person"}


def test_registering_twice_is_a_409_that_names_the_person_in_korean(api_client, person):
    client = api_client("registrations:write")
    event = EventFactory()
    assert register(client, event, person).status_code == 201
    name = Registration.objects.get().name

    again = register(client, event, person, HTTP_ACCEPT_LANGUAGE="ko")
    chinese = register(client, event, person, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert again.status_code == 409
    # The key's organisation registers a colleague: "you are registered" would be wrong.
    assert again.json() == {
        "code": "conflict",
        "message": f"{name}님은 이미 이 행사에 참가 신청되어 있습니다.",
        "fields": {},
        "reason": "twice",  # a retry's answer a client may read as done
    }
    assert chinese.json()["message"] == f"{name} 已报名本活动。"
    assert Registration.objects.count() == 1


def test_a_closed_registration_and_an_event_that_is_over_are_409s(api_client, person):
    client = api_client("registrations:write")
    now = timezone.now()
    closed = EventFactory(registration_deadline=now - dt.timedelta(hours=1))
    over = EventFactory(starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=1))

    refused = register(client, closed, person)
    late = register(client, over, person, HTTP_ACCEPT_LANGUAGE="ko")

    assert refused.status_code == 409
    assert refused.json()["message"].startswith("Registration closed on ")
    assert late.status_code == 409
    assert late.json()["message"] == "종료된 행사입니다."


def test_the_list_holds_the_organisations_registrations_only(
    api_client, person, other_organisation
):
    client = api_client("registrations:write")
    mine = PartnerRegistrationFactory(person=person)
    theirs = PartnerRegistrationFactory(person__organisation=other_organisation)
    # A startup's registration is nobody's partner data.
    services.registration_create(event=mine.event, user=MembershipFactory().user)

    assert ids(client.get(REGISTRATIONS)) == [mine.pk]
    assert ids(client.get(REGISTRATIONS, {"person": person.pk, "status": "registered"})) == [
        mine.pk
    ]
    assert ids(client.get(REGISTRATIONS, {"event": theirs.event_id})) == []
    for response in (
        client.get(f"{REGISTRATIONS}{theirs.pk}/"),
        client.post(f"{REGISTRATIONS}{theirs.pk}/cancel/"),
        client.delete(f"{REGISTRATIONS}{theirs.pk}/"),
    ):
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    theirs.refresh_from_db()
    assert theirs.status == Registration.Status.REGISTERED


def test_the_registrations_list_costs_the_same_queries_for_1_and_100_rows(
    api_client, organisation, django_assert_num_queries
):
    client = api_client("registrations:write")
    event = EventFactory()
    PartnerRegistrationFactory(event=event, person__organisation=organisation)
    warm(client, REGISTRATIONS)
    # 1 key (with its organisation) + 1 count + 1 page of registrations with their events
    # and people
    with django_assert_num_queries(3):
        assert len(ids(client.get(REGISTRATIONS))) == 1
    PartnerRegistrationFactory.create_batch(99, event=event, person__organisation=organisation)
    with django_assert_num_queries(3):
        assert len(ids(client.get(REGISTRATIONS, {"page_size": 100}))) == 100


def test_cancelling_frees_the_place_for_the_waitlists_first(api_client, person, organisation):
    client = api_client("registrations:write")
    event = EventFactory(capacity=1)
    placed = register(client, event, person).json()
    waiting = register(client, event, PartnerPersonFactory(organisation=organisation)).json()

    response = client.post(f"{REGISTRATIONS}{placed['id']}/cancel/")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_at"] is not None
    promoted = client.get(f"{REGISTRATIONS}{waiting['id']}/").json()
    assert (promoted["status"], promoted["waitlist_position"]) == ("registered", None)
    assert (
        AuditRecord.objects.filter(verb="registration.cancel")
        .get()
        .actor_label.startswith("API key ")
    )

    again = client.delete(f"{REGISTRATIONS}{placed['id']}/", HTTP_ACCEPT_LANGUAGE="ko")
    assert again.status_code == 409
    assert again.json()["message"] == "이미 취소된 참가 신청입니다."


def test_delete_cancels_and_answers_204(api_client, person):
    client = api_client("registrations:write")
    registration = PartnerRegistrationFactory(person=person)

    response = client.delete(f"{REGISTRATIONS}{registration.pk}/")

    assert response.status_code == 204
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_a_registration_cannot_be_cancelled_once_the_event_is_over(api_client, person):
    client = api_client("registrations:write")
    now = timezone.now()
    registration = PartnerRegistrationFactory(
        person=person,
        event=EventFactory(
            starts_at=now - dt.timedelta(hours=5), ends_at=now - dt.timedelta(hours=1)
        ),
    )

    response = client.post(f"{REGISTRATIONS}{registration.pk}/cancel/", HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 409
    assert response.json()["message"] == "종료된 행사입니다."
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_a_key_without_registrations_write_gets_403(api_client, person):
    client = api_client(["events:read", "meetings:write"])
    registration = PartnerRegistrationFactory(person=person)

    assert client.get(REGISTRATIONS).status_code == 403
    assert register(client, EventFactory(), person).status_code == 403
    response = client.post(f"{REGISTRATIONS}{registration.pk}/cancel/")
    assert response.status_code == 403
    assert response.json()["code"] == "scope_missing"
    assert not Registration.objects.exclude(pk=registration.pk).exists()


def test_a_start_filter_with_a_far_offset_is_read_in_utc(api_client):
    # ISO 8601 allows -20:10; PostgreSQL refuses such an offset in a query.
    answer = api_client("events:read").get(
        "/api/v1/events/", {"starts_after": "2026-07-25T21:56:23-20:10"}
    )
    assert answer.status_code == 200, answer.content


def test_a_registration_says_its_event_is_cancelled(api_client, person):
    # The registration stays "registered": without the event's status a client listing its
    # registrations could not see the cancellation.
    from incubator import roles
    from tests.companies.factories import staff_in

    client = api_client("registrations:write")
    event = EventFactory()
    assert register(client, event, person).status_code == 201
    services.event_cancel(event=event, actor=staff_in(roles.EVENT_COORDINATOR), reason="Snow.")

    (row,) = client.get(REGISTRATIONS, {"event": event.pk}).json()["results"]

    assert row["event"]["status"] == "cancelled"
    assert row["status"] == "registered"


def test_each_refusal_of_a_cancellation_gives_its_reason(api_client, person):
    client = api_client("registrations:write")
    event = EventFactory()
    registration = register(client, event, person).json()
    assert client.post(f"{REGISTRATIONS}{registration['id']}/cancel/").status_code == 200

    again = client.post(f"{REGISTRATIONS}{registration['id']}/cancel/")
    deleted = client.delete(f"{REGISTRATIONS}{registration['id']}/")

    for refused in (again, deleted):
        assert refused.status_code == 409
        assert (refused.json()["code"], refused.json()["reason"]) == ("conflict", "cancelled")
