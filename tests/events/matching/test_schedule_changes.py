"""Changes to a schedule outside a run: a registration cancelled, staff adding or removing a
meeting by hand, a participant's availability changed. Whoever's agenda changes is told."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.matching import reminders as meeting_reminders
from events.matching import selectors as meeting_reads
from events.matching import services as meetings
from events.models import Meeting, MeetingRequest, Registration
from events.services import registration_cancel, registration_create
from incubator import roles
from incubator.models import AuditRecord, OutboxMessage
from incubator.services import render_message
from tests.companies.factories import PASSWORD, StaffFactory
from tests.events.factories import EventFactory, meeting_slots
from tests.events.matching.test_meetings import agreed, founder, investor, role_group, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(meeting_tables=4, interpreters_per_slot=1)


@pytest.fixture
def slots(event):
    return meeting_slots(event, count=4)


@pytest.fixture
def coordinator():
    user = StaffFactory(password=PASSWORD)
    user.groups.add(role_group(roles.EVENT_COORDINATOR))
    return user


def add(event, a, b, slot, actor):
    return meetings.meeting_add(
        event=event, registration_a=a, registration_b=b, slot=slot, actor=actor
    )


# --- A registration cancelled ------------------------------------------------------------


def test_cancelling_takes_the_meetings_off_and_tells_each_partner(
    client, event, slots, coordinator
):
    startup = founder(event, slots)
    first, second = investor(event, slots), investor(event, slots)
    second.user.language = "zh"
    second.user.save(update_fields=["language"])
    kept = add(event, first, founder(event, slots), slots[0], coordinator)
    add(event, startup, first, slots[1], coordinator)
    add(event, startup, second, slots[2], coordinator)

    signed_in(client, startup.user)
    response = client.post(reverse("events:registration-cancel", args=[event.pk]))
    assert response.status_code == 302

    assert list(Meeting.objects.all()) == [kept]
    told = OutboxMessage.objects.filter(kind="meeting_cancelled").order_by("pk")
    assert [(m.recipient, m.language) for m in told] == [
        (first.user.email, first.user.language),
        (second.user.email, "zh"),
    ]
    assert told[0].payload["other"] == startup.name
    assert told[0].payload["reason"] == "registration_cancelled"
    email = render_message(told[0])
    assert startup.name in email.subject
    assert "cancelled their registration" in email.body
    removed = AuditRecord.objects.filter(verb="meeting.remove")
    assert removed.count() == 2
    assert {r.changes["reason"] for r in removed} == {"registration_cancelled"}
    assert {r.actor_id for r in removed} == {startup.user_id}
    # The partner's agenda lists only the meeting that stands.
    assert [i.counterpart for i in meeting_reads.agenda_of(registration=first)] == [
        kept.registration_b
    ]


def test_cancelling_withdraws_the_requests_and_tells_each_counterpart_once(client, event, slots):
    partner = investor(event, slots)
    accepted_by, asked_both, asked_by = (founder(event, slots) for _ in range(3))
    for registration, language in ((accepted_by, "zh"), (asked_by, "en")):
        registration.user.language = language
        registration.user.save(update_fields=["language"])
    agreed(partner, accepted_by)
    # The two asked each other: both requests stand accepted, one e-mail tells of both.
    meetings.meeting_request_create(from_registration=partner, to_registration=asked_both)
    meetings.meeting_request_create(from_registration=asked_both, to_registration=partner)
    pending = meetings.meeting_request_create(from_registration=asked_by, to_registration=partner)
    OutboxMessage.objects.all().delete()

    signed_in(client, partner.user)
    response = client.post(reverse("events:registration-cancel", args=[event.pk]))
    assert response.status_code == 302

    # What the partner sent is withdrawn; what they were sent is declined.
    assert not MeetingRequest.objects.filter(from_registration=partner).exists()
    assert set(MeetingRequest.objects.values_list("from_registration", "status")) == {
        (asked_both.pk, MeetingRequest.Status.DECLINED),
        (asked_by.pk, MeetingRequest.Status.DECLINED),
    }
    told = OutboxMessage.objects.filter(kind="meeting_request_withdrawn").order_by("recipient")
    assert sorted((m.recipient, m.language) for m in told) == sorted(
        (r.user.email, r.user.language) for r in (accepted_by, asked_both, asked_by)
    )
    assert {m.payload["reason"] for m in told} == {"registration_cancelled"}
    assert {m.payload["other"] for m in told} == {partner.name}
    chinese = told.get(recipient=accepted_by.user.email)
    assert partner.name in render_message(chinese).subject
    assert chinese.payload["event"] in render_message(chinese).body
    english = render_message(told.get(recipient=asked_by.user.email))
    assert english.subject == f"{partner.name} cancelled their registration for {event.title_en}"
    assert "the 1:1 meeting requests between you and them no longer stand" in english.body
    withdrawn = AuditRecord.objects.filter(verb="meeting_request.withdraw")
    assert withdrawn.count() == 2
    declined = AuditRecord.objects.filter(verb="meeting_request.answer", object_id=str(pending.pk))
    assert declined.get().changes == {
        "status": ["pending", "declined"],
        "reason": "registration_cancelled",
    }
    assert {r.actor_id for r in [*withdrawn, *declined]} == {partner.user_id}

    # The founder's page lists no accepted request of someone gone; registering again
    # brings none back.
    signed_in(client, accepted_by.user)
    page = client.get(reverse("events:matching-session", args=[event.pk])).content.decode()
    assert partner.name not in page
    registration_create(event=event, user=partner.user)
    assert not MeetingRequest.objects.filter(
        from_registration=partner, status=MeetingRequest.Status.ACCEPTED
    ).exists()


def test_a_counterpart_with_a_scheduled_meeting_is_told_of_the_meeting_only(
    event, slots, coordinator
):
    startup, partner = founder(event, slots), investor(event, slots)
    agreed(startup, partner)
    add(event, startup, partner, slots[0], coordinator)
    OutboxMessage.objects.all().delete()
    registration_cancel(registration=startup, actor=startup.user)
    assert not MeetingRequest.objects.filter(from_registration=startup).exists()
    assert list(
        OutboxMessage.objects.exclude(recipient=startup.user.email).values_list("recipient", "kind")
    ) == [(partner.user.email, "meeting_cancelled")]


def test_staff_cancelling_a_registration_takes_its_meetings_off_too(event, slots, coordinator):
    startup, partner = founder(event, slots), investor(event, slots)
    add(event, startup, partner, slots[0], coordinator)
    registration_cancel(registration=startup, actor=None)
    assert not Meeting.objects.exists()
    assert OutboxMessage.objects.get(kind="meeting_cancelled").recipient == partner.user.email


def test_a_meeting_with_someone_no_longer_registered_is_shown_nowhere(event, slots, coordinator):
    """A guard for rows left by any other way of cancelling (a bulk update, old data)."""
    startup, partner = founder(event, slots), investor(event, slots)
    add(event, startup, partner, slots[0], coordinator)
    Registration.objects.filter(pk=startup.pk).update(status=Registration.Status.CANCELLED)
    assert meeting_reads.agenda_of(registration=partner) == []
    assert meeting_reads.meetings_of_event(event=event) == []
    assert meeting_reads.schedule_overview(event=event)["meetings"] == 0
    eve = event.starts_at - dt.timedelta(hours=12)
    since = eve - dt.timedelta(days=1)
    assert list(meeting_reminders.agenda_occurrences(since=since, now=eve)) == []


# --- Staff edits by hand -----------------------------------------------------------------


def test_staff_cannot_put_two_startups_in_a_meeting(event, slots, coordinator):
    one, two = founder(event, slots), founder(event, slots)
    with pytest.raises(ValidationError, match="cannot meet here: startups meet partners"):
        add(event, one, two, slots[0], coordinator)
    assert not Meeting.objects.exists()
    assert not OutboxMessage.objects.filter(kind="meeting_added").exists()


def test_a_meeting_added_by_hand_is_mailed_to_both(event, slots, coordinator):
    startup, partner = founder(event, slots), investor(event, slots)
    meeting = add(event, startup, partner, slots[0], coordinator)
    assert meeting.unavailable == []
    told = OutboxMessage.objects.filter(kind="meeting_added")
    assert {m.recipient for m in told} == {startup.user.email, partner.user.email}
    assert all(m.dedupe_key.startswith(f"meeting_added:{meeting.pk}:") for m in told)
    email = render_message(told.get(recipient=partner.user.email))
    assert startup.name in email.subject
    assert "The center added a 1:1 meeting" in email.body


def test_a_meeting_removed_by_hand_is_mailed_to_both(event, slots, coordinator):
    startup, partner = founder(event, slots), investor(event, slots)
    meeting = add(event, startup, partner, slots[0], coordinator)
    meetings.meeting_remove(meeting=meeting, actor=coordinator)
    told = OutboxMessage.objects.filter(kind="meeting_cancelled")
    assert {m.recipient for m in told} == {startup.user.email, partner.user.email}
    assert "The center took your 1:1 meeting" in render_message(told.first()).body
    assert AuditRecord.objects.get(verb="meeting.remove").changes["reason"] == "staff"


def test_a_meeting_in_a_slot_someone_is_not_free_is_added_with_a_warning(
    client, event, slots, coordinator
):
    startup, partner = founder(event, slots[1:]), investor(event, slots)
    signed_in(client, coordinator)
    response = client.post(
        reverse("events:meeting-add", args=[event.pk]),
        {"registration_a": startup.pk, "registration_b": partner.pk, "slot": slots[0].pk},
        follow=True,
    )
    meeting = Meeting.objects.get()
    page = response.content.decode()
    assert f"{startup.name} did not say they are free at this time" in page
    assert AuditRecord.objects.get(verb="meeting.add").changes["unavailable"] == [startup.pk]
    assert meeting.slot == slots[0]


# --- Participants' pages -----------------------------------------------------------------


def test_a_participant_withdraws_a_request_from_the_portal(client, event, slots):
    startup, partner = founder(event, slots), investor(event, slots)
    request = meetings.meeting_request_create(from_registration=startup, to_registration=partner)
    signed_in(client, startup.user)
    page = client.get(reverse("events:matching-session", args=[event.pk])).content.decode()
    url = reverse("events:meeting-request-withdraw", args=[request.pk])
    assert f'action="{url}"' in page
    assert "data-confirm=" in page
    # Only its sender finds it.
    signed_in(client, partner.user)
    assert client.post(url).status_code == 404
    signed_in(client, startup.user)
    response = client.post(url, follow=True)
    assert f"Your request to {partner.name} is withdrawn." in response.content.decode()
    assert not MeetingRequest.objects.exists()
    assert OutboxMessage.objects.filter(kind="meeting_request_withdrawn").count() == 1
    assert AuditRecord.objects.filter(verb="meeting_request.withdraw").count() == 1


def test_a_scheduled_request_offers_no_withdraw_button(client, event, slots, coordinator):
    startup, partner = founder(event, slots), investor(event, slots)
    request = agreed(startup, partner)
    add(event, startup, partner, slots[0], coordinator)
    signed_in(client, startup.user)
    page = client.get(reverse("events:matching-session", args=[event.pk])).content.decode()
    assert reverse("events:meeting-request-withdraw", args=[request.pk]) not in page


@pytest.mark.parametrize("asker", ["startup", "partner"])
def test_find_people_shows_an_agreed_meeting_without_an_ask_button(client, event, asker):
    startup, partner = founder(event), investor(event)
    if asker == "startup":
        agreed(startup, partner)
    else:
        agreed(partner, startup)
    for viewer, other in ((startup, partner), (partner, startup)):
        signed_in(client, viewer.user)
        page = client.get(reverse("events:matching-participants", args=[event.pk]))
        html = page.content.decode()
        assert 'data-status="agreed"' in html
        assert "Meeting agreed" in html
        assert f"Ask {other.name} for a meeting" not in html


# --- Availability changed under a meeting ------------------------------------------------


def test_taking_a_meeting_slot_out_of_availability_is_said_to_both_sides(
    client, event, slots, coordinator
):
    startup, partner = founder(event, slots), investor(event, slots)
    meeting = add(event, startup, partner, slots[1], coordinator)
    signed_in(client, startup.user)
    session = reverse("events:matching-session", args=[event.pk])
    assert "meetings-outside-availability" not in client.get(session).content.decode()

    response = client.post(
        reverse("events:matching-availability", args=[event.pk]),
        {"slots": [slots[0].pk, slots[2].pk], "languages": ["en"]},
        follow=True,
    )
    page = response.content.decode()
    assert 'id="meetings-outside-availability"' in page
    assert f'data-meeting="{meeting.pk}"' in page
    assert "You are no longer available at these times" in page
    assert Meeting.objects.filter(pk=meeting.pk).exists()  # the meeting stays until moved

    signed_in(client, coordinator)
    schedule = client.get(reverse("events:schedule", args=[event.pk])).content.decode()
    assert f'data-unavailable="{startup.pk}"' in schedule
    assert f'data-unavailable="{partner.pk}"' not in schedule
    assert f"{startup.name} is not available at this time" in schedule
