"""What writes webhooks: meetings confirmed and moved, events changed and cancelled.

Each occurrence writes one outbox row per subscribed endpoint of the organisations it
concerns, once, with ids and public fields only.
"""

import json

import pytest
from django.core.exceptions import ValidationError

from companies.webhooks import services
from companies.webhooks.models import EventType
from events import messages as event_messages
from events import services as event_services
from events.matching import messages as meeting_messages
from events.matching import runs as schedule_runs
from events.matching import services as meetings
from events.models import Availability, Meeting, Registration
from incubator.models import AuditRecord, OutboxMessage
from tests.events.factories import (
    EventFactory,
    PartnerPersonFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
    meeting_slots,
)

pytestmark = pytest.mark.django_db

ALL = list(EventType.values)


def rows(event_type=None):
    found = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.WEBHOOK)
    if event_type:
        found = found.filter(kind=event_type)
    return list(found.order_by("pk"))


def available(registration, slots):
    Availability.objects.bulk_create(
        [Availability(registration=registration, slot=slot) for slot in slots]
    )
    return registration


@pytest.fixture
def endpoint(manager, organisation, receiver):
    endpoint, _secret = services.webhook_endpoint_create(
        actor=manager, organisation=organisation, url=receiver.url, event_types=ALL
    )
    return endpoint


@pytest.fixture
def bystander(manager, other_organisation, receiver):
    """An endpoint of an organisation with nobody at the event: it hears nothing."""
    endpoint, _secret = services.webhook_endpoint_create(
        actor=manager, organisation=other_organisation, url=receiver.url, event_types=ALL
    )
    return endpoint


@pytest.fixture
def event():
    return EventFactory(meeting_tables=4, interpreters_per_slot=1)


@pytest.fixture
def slots(event):
    return meeting_slots(event, count=6)


@pytest.fixture
def partner(event, slots, organisation):
    person = PartnerPersonFactory(organisation=organisation, user__email="li.wei@angel.example.cn")
    return available(PartnerRegistrationFactory(event=event, person=person), slots)


@pytest.fixture
def startups(event, slots):
    return [available(StartupRegistrationFactory(event=event), slots) for _ in range(2)]


def agreed(a, b):
    request = meetings.meeting_request_create(from_registration=a, to_registration=b)
    return meetings.meeting_request_respond(request=request, actor=b.user, accept=True)


def run_schedule(event, actor, capture):
    with capture(execute=True):
        run = schedule_runs.schedule_run_start(event=event, actor=actor)
    run.refresh_from_db()
    return run


# --- Meetings ----------------------------------------------------------------------------------


def test_a_meeting_placed_by_hand_is_confirmed_to_the_partners_organisation(
    event, slots, partner, startups, endpoint, bystander, coordinator
):
    startup = startups[0]
    meeting = meetings.meeting_add(
        event=event,
        registration_a=startup,
        registration_b=partner,
        slot=slots[1],
        actor=coordinator,
    )

    (message,) = rows()
    assert message.kind == "meeting.confirmed"
    assert message.recipient == f"webhook:{endpoint.pk}"
    assert message.dedupe_key == f"webhook:meeting.confirmed:meeting-{meeting.pk}:{endpoint.pk}"
    data = message.payload["data"]["meeting"]
    assert data["id"] == meeting.pk
    assert data["event"] == {
        "id": event.pk,
        "title": {"ko": event.title_ko, "zh": event.title_zh, "en": event.title_en},
        "time_zone": "Asia/Shanghai",
    }
    assert data["starts_at"] == slots[1].starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert data["ends_at"] == slots[1].ends_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert (data["time_zone"], data["table"]) == ("Asia/Shanghai", meeting.table)
    people = {p["registration_id"]: p for p in data["participants"]}
    assert people[partner.pk] == {
        "registration_id": partner.pk,
        "kind": "partner",
        "name": partner.name,
        "company_id": None,
        "organisation_id": partner.partner_organisation_id,
    }
    assert people[startup.pk]["company_id"] == startup.company_id
    text = json.dumps(message.payload, ensure_ascii=False)
    assert "@" not in text, "no e-mail address of anyone"

    # The same occurrence told again is the same row.
    meeting_messages.webhook_meeting_confirmed(
        event,
        meeting,
        slots[1],
        {startup.pk: startup, partner.pk: partner},
        key=f"meeting-{meeting.pk}",
    )
    assert len(rows()) == 1


def test_a_meeting_between_two_startups_tells_no_partner(
    event, slots, startups, endpoint, coordinator
):
    # Startups meet partners: such a meeting is refused now, and no partner hears of it.
    with pytest.raises(ValidationError):
        meetings.meeting_add(
            event=event,
            registration_a=startups[0],
            registration_b=startups[1],
            slot=slots[0],
            actor=coordinator,
        )
    assert rows() == []


def test_a_schedule_run_confirms_new_pairs_once_and_tells_of_moved_ones(
    event,
    slots,
    partner,
    startups,
    endpoint,
    bystander,
    coordinator,
    django_capture_on_commit_callbacks,
):
    for startup in startups:
        agreed(startup, partner)

    first = run_schedule(event, coordinator, django_capture_on_commit_callbacks)

    confirmed = rows("meeting.confirmed")
    assert len(confirmed) == 2
    assert {m.recipient for m in confirmed} == {f"webhook:{endpoint.pk}"}
    assert {m.dedupe_key for m in confirmed} == {
        f"webhook:meeting.confirmed:run-{first.pk}:{min(partner.pk, s.pk)}-{max(partner.pk, s.pk)}"
        f":{endpoint.pk}"
        for s in startups
    }
    assert {m.status for m in confirmed} == {"sent"}, "delivered to the local receiver"

    # A second run with nothing changed replaces the meeting rows but tells nobody.
    run_schedule(event, coordinator, django_capture_on_commit_callbacks)
    assert len(rows()) == 2

    # The first startup can no longer make its slot: its meeting moves.
    moved_pair = tuple(sorted((startups[0].pk, partner.pk)))
    mine = Meeting.objects.get(
        event=event, registration_a_id=moved_pair[0], registration_b_id=moved_pair[1]
    )
    meetings.availability_set(
        registration=startups[0], slot_ids=[s.pk for s in slots if s.pk != mine.slot_id]
    )
    third = run_schedule(event, coordinator, django_capture_on_commit_callbacks)

    assert third.moved_count == 1
    (moved,) = rows("meeting.moved")
    assert moved.dedupe_key == (
        f"webhook:meeting.moved:run-{third.pk}:{moved_pair[0]}-{moved_pair[1]}:{endpoint.pk}"
    )
    now = Meeting.objects.get(
        event=event, registration_a_id=moved_pair[0], registration_b_id=moved_pair[1]
    )
    data = moved.payload["data"]
    assert data["meeting"]["id"] == now.pk
    assert data["meeting"]["starts_at"] == now.slot.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert data["previous"] == {
        "id": mine.pk,
        "starts_at": mine.slot.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ends_at": mine.slot.ends_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "table": mine.table,
    }
    assert len(rows("meeting.confirmed")) == 2


# --- Events ------------------------------------------------------------------------------------


def test_a_change_of_a_published_events_public_fields_tells_registered_organisations(
    event, partner, endpoint, bystander, coordinator
):
    cancelled_elsewhere = PartnerRegistrationFactory(
        event=event,
        person=PartnerPersonFactory(organisation=bystander.organisation),
        status=Registration.Status.CANCELLED,
    )
    assert cancelled_elsewhere.partner_organisation_id == bystander.organisation_id

    event_services.event_update(
        event=event, actor=coordinator, data={"capacity": 80}
    )  # not a public field: nobody is told
    assert rows() == []

    event_services.event_update(
        event=event, actor=coordinator, data={"title_en": "Harbin matching day", "venue_ko": "빈현"}
    )

    (message,) = rows()
    assert message.kind == "event.changed"
    assert message.recipient == f"webhook:{endpoint.pk}"
    data = message.payload["data"]
    assert data["changed"] == ["title", "venue"]
    assert data["event"]["title"]["en"] == "Harbin matching day"
    assert data["event"]["venue"]["ko"] == "빈현"
    assert data["event"]["starts_at"] == event.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert data["event"]["time_zone"] == "Asia/Shanghai"
    assert data["event"]["status"] == "published"
    assert "online_url" not in json.dumps(data)


def test_an_event_cancelled_tells_registered_and_waitlisted_organisations_once(
    event, partner, endpoint, coordinator, manager, other_organisation, receiver
):
    theirs, _secret = services.webhook_endpoint_create(
        actor=manager,
        organisation=other_organisation,
        url=receiver.url,
        event_types=[EventType.EVENT_CANCELLED],
    )
    PartnerRegistrationFactory(
        event=event,
        person=PartnerPersonFactory(organisation=other_organisation),
        status=Registration.Status.WAITLISTED,
        waitlist_position=1,
    )

    event_services.event_cancel(event=event, actor=coordinator, reason="Typhoon warning")

    cancelled = rows("event.cancelled")
    assert {m.recipient for m in cancelled} == {f"webhook:{endpoint.pk}", f"webhook:{theirs.pk}"}
    assert {m.payload["data"]["reason"] for m in cancelled} == {"Typhoon warning"}
    assert {m.payload["data"]["event"]["status"] for m in cancelled} == {"cancelled"}

    record = AuditRecord.objects.get(verb="event.cancel", object_id=str(event.pk))
    event_messages.webhook_event_cancelled(event, record, "Typhoon warning")
    assert len(rows("event.cancelled")) == 2


def test_a_draft_events_changes_tell_nobody(partner, endpoint, coordinator):
    draft = EventFactory(status="draft")
    PartnerRegistrationFactory(
        event=draft, person=PartnerPersonFactory(organisation=endpoint.organisation)
    )
    event_services.event_update(event=draft, actor=coordinator, data={"title_en": "Renamed"})
    assert rows() == []
