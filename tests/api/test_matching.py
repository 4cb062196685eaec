"""The partner API of 1:1 meetings: whom a partner's person may ask, meeting requests
(create, status, withdraw), the agenda once scheduled, and a scheduled meeting opening a
company's contacts."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from companies.policies import partner_sees_contacts
from events.matching import services as meetings
from events.models import Event, Meeting, MeetingRequest, Registration, ScheduleRun
from incubator import roles
from incubator.models import AuditRecord, OutboxMessage
from programs.models import Enrollment
from tests.api.keys import EVERY_SCOPE
from tests.companies.factories import CompanyFactory, StaffFactory
from tests.events.factories import (
    EventFactory,
    PartnerPersonFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
    meeting_slots,
)
from tests.programs.factories import CohortFactory

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/meeting-requests/"
PARTICIPANTS = "/api/v1/meeting-participants/"
AGENDA = "/api/v1/meeting-agenda/"
NOT_FOUND = {
    "code": "not_found",
    "message": "Not found, or not visible to your organisation.",
    "fields": {},
}


@pytest.fixture
def event():
    return EventFactory(meeting_tables=4, interpreters_per_slot=1)


@pytest.fixture
def slots(event):
    return meeting_slots(event, count=4)


@pytest.fixture
def mine(event, person):
    """The registration of partner A's person at the matching session."""
    return PartnerRegistrationFactory(event=event, person=person)


@pytest.fixture
def coordinator():
    if not Group.objects.filter(name=roles.EVENT_COORDINATOR, permissions__isnull=False).exists():
        roles.sync_role_permissions()
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=roles.EVENT_COORDINATOR))
    return user


def founder(event, **fields):
    """A registered startup that agreed to be shown to partners."""
    registration = StartupRegistrationFactory(event=event, **fields)
    registration.company.consent_to_partners = True
    registration.company.save(update_fields=["consent_to_partners"])
    return registration


def ask(client, event, person, to, priority="must", **headers):
    body = {"event": event.pk, "from_person": person.pk, "to_participant": to.pk}
    return client.post(REQUESTS, {**body, "priority": priority, "message": "Hello"}, **headers)


def ids(response, key="id") -> list[int]:
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


# --- Participants ----------------------------------------------------------------------------


def test_a_person_may_ask_the_consenting_startups_of_their_session(api_client, event, mine):
    client = api_client("meetings:write")
    startup = founder(event, name="Nam Jeong-hwa")
    StartupRegistrationFactory(event=event)  # did not consent
    founder(event, status=Registration.Status.CANCELLED)
    PartnerRegistrationFactory(event=event)  # partners do not meet partners
    founder(EventFactory())  # another session

    response = client.get(PARTICIPANTS, {"event": event.pk, "person": mine.user.partner_person.pk})

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "participant": startup.pk,
            "name": "Nam Jeong-hwa",
            "affiliation": startup.company.name_en,
            "kind": "startup",
            "company": startup.company_id,
            "languages": ["en", "ko"],
        }
    ]


def test_affiliations_are_named_in_the_callers_language_in_every_list(
    api_client, event, mine, person
):
    # They were the words typed at registration (English), where the portal shows the name
    # of the company or organisation in the reader's language.
    startup = founder(event)
    startup.company.name_zh = "韩洁金融科技"
    startup.company.save(update_fields=["name_zh"])
    organisation = mine.partner_organisation
    organisation.name_zh = "黑龙江创业投资"
    organisation.save(update_fields=["name_zh"])
    meetings.meeting_request_create(from_registration=mine, to_registration=startup)
    client = api_client("meetings:write")
    chinese = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}

    listed = client.get(PARTICIPANTS, {"event": event.pk, "person": person.pk}, **chinese)
    requests = client.get(REQUESTS, **chinese).json()["results"]

    assert [row["affiliation"] for row in listed.json()["results"]] == ["韩洁金融科技"]
    assert requests[0]["recipient"]["affiliation"] == "韩洁金融科技"
    assert requests[0]["sender"]["affiliation"] == "黑龙江创业投资"


def test_participants_need_an_event_and_one_of_the_organisations_registered_people(
    api_client, event, mine, other_organisation, organisation
):
    client = api_client("meetings:write")
    stranger = PartnerRegistrationFactory(event=event, person__organisation=other_organisation)
    absent = PartnerPersonFactory(organisation=organisation)

    missing = client.get(PARTICIPANTS, {"event": event.pk})
    theirs = client.get(
        PARTICIPANTS, {"event": event.pk, "person": stranger.user.partner_person.pk}
    )
    not_there = client.get(PARTICIPANTS, {"event": event.pk, "person": absent.pk})
    roadshow = EventFactory(kind=Event.Kind.ROADSHOW)
    PartnerRegistrationFactory(event=roadshow, person=mine.user.partner_person)
    no_session = client.get(
        PARTICIPANTS, {"event": roadshow.pk, "person": mine.user.partner_person.pk}
    )

    assert missing.status_code == 400
    assert missing.json()["fields"] == {"person": ["This field is required."]}
    for response in (theirs, not_there, no_session):
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


def test_the_participants_list_costs_the_same_queries_for_1_and_100(
    api_client, event, mine, django_assert_num_queries
):
    client = api_client("meetings:write")
    query = {"event": event.pk, "person": mine.user.partner_person.pk, "page_size": 100}
    founder(event)
    assert client.get(PARTICIPANTS, query).status_code == 200  # the key's last use written
    # 1 key + 1 person + 1 event + 1 participation + 1 count + 1 page of participants
    with django_assert_num_queries(6):
        assert len(ids(client.get(PARTICIPANTS, query), "participant")) == 1
    for _ in range(99):
        founder(event)
    with django_assert_num_queries(6):
        assert len(ids(client.get(PARTICIPANTS, query), "participant")) == 100


# --- Requests --------------------------------------------------------------------------------


def test_a_partner_asks_a_startup_for_a_meeting_for_one_of_its_people(
    api_client, event, mine, person
):
    client = api_client("meetings:write")
    startup = founder(event)

    response = ask(client, event, person, startup)

    assert response.status_code == 201, response.content
    request = MeetingRequest.objects.get()
    body = response.json()
    assert body["id"] == request.pk
    assert (body["direction"], body["priority"], body["status"]) == ("sent", "must", "pending")
    assert body["sender"] == {
        "participant": mine.pk,
        "person": person.pk,
        "name": mine.name,
        "affiliation": mine.affiliation,
        "company": None,
    }
    assert body["recipient"]["participant"] == startup.pk
    assert body["recipient"]["person"] is None
    assert body["scheduled"] is False
    assert (request.from_registration, request.to_registration) == (mine, startup)
    told = OutboxMessage.objects.get(kind="meeting_request_received")
    assert told.recipient == startup.user.email
    record = AuditRecord.objects.get(verb="meeting_request.create")
    assert record.actor_label.startswith(f"API key {client.key_row.prefix} of ")


def test_asking_a_startup_that_asked_first_agrees_the_meeting(api_client, event, mine, person):
    client = api_client("meetings:write")
    startup = founder(event)
    theirs = meetings.meeting_request_create(from_registration=startup, to_registration=mine)

    response = ask(client, event, person, startup)

    assert response.json()["status"] == "accepted"
    theirs.refresh_from_db()
    assert theirs.status == MeetingRequest.Status.ACCEPTED


def test_a_participant_the_person_may_not_ask_is_a_404(
    api_client, event, mine, person, other_organisation
):
    client = api_client("meetings:write")
    shy = StartupRegistrationFactory(event=event)
    partner_b = PartnerRegistrationFactory(event=event, person__organisation=other_organisation)
    elsewhere = founder(EventFactory())

    for to in (shy, partner_b, elsewhere):
        response = ask(client, event, person, to)
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    assert not MeetingRequest.objects.exists()


def test_another_organisations_person_cannot_send_and_an_absent_one_is_a_409(
    api_client, event, organisation, other_organisation
):
    client = api_client("meetings:write")
    startup = founder(event)
    stranger = PartnerRegistrationFactory(event=event, person__organisation=other_organisation)
    absent = PartnerPersonFactory(organisation=organisation)

    theirs = ask(client, event, stranger.user.partner_person, startup)
    not_there = ask(client, event, absent, startup, HTTP_ACCEPT_LANGUAGE="ko")

    assert theirs.status_code == 404
    assert not_there.status_code == 409
    assert not_there.json()["message"] == "이 사람은 이 행사에 참가가 확정되어 있지 않습니다."
    assert not MeetingRequest.objects.exists()


def test_asking_twice_or_after_the_deadline_is_a_409_in_the_callers_language(
    api_client, event, mine, person
):
    client = api_client("meetings:write")
    startup, late = founder(event, name="Kim Min-jun"), founder(event)
    assert ask(client, event, person, startup).status_code == 201

    again = ask(client, event, person, startup, HTTP_ACCEPT_LANGUAGE="ko")
    Event.objects.filter(pk=event.pk).update(
        meeting_requests_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    closed = ask(client, event, person, late, HTTP_ACCEPT_LANGUAGE="ko")

    assert again.status_code == 409
    assert again.json() == {
        "code": "conflict",
        # The key asks for a colleague: the message names them, never "you".
        "message": f"{mine.name}님은 이미 Kim Min-jun님에게 미팅을 요청했습니다.",
        "fields": {},
        "reason": "twice",
    }
    assert closed.status_code == 409
    assert closed.json()["message"].startswith("미팅 요청은 ")
    assert closed.json()["reason"] == "closed"
    assert MeetingRequest.objects.count() == 1


def test_a_malformed_request_is_a_400(api_client, event, mine, person):
    client = api_client("meetings:write")

    response = client.post(REQUESTS, {"event": event.pk, "priority": "urgent"})

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"from_person", "to_participant", "priority"}


def test_the_list_holds_requests_sent_and_received_by_the_organisations_people(
    api_client, event, mine, person, other_organisation
):
    client = api_client("meetings:write")
    startup, other_startup = founder(event), founder(event)
    sent = meetings.meeting_request_create(from_registration=mine, to_registration=startup)
    received = meetings.meeting_request_create(
        from_registration=other_startup, to_registration=mine
    )
    partner_b = PartnerRegistrationFactory(event=event, person__organisation=other_organisation)
    theirs = meetings.meeting_request_create(from_registration=partner_b, to_registration=startup)
    meetings.meeting_request_create(from_registration=startup, to_registration=partner_b)

    assert sorted(ids(client.get(REQUESTS))) == [sent.pk, received.pk]
    assert ids(client.get(REQUESTS, {"direction": "sent"})) == [sent.pk]
    assert ids(client.get(REQUESTS, {"direction": "received"})) == [received.pk]
    pending = client.get(REQUESTS, {"person": person.pk, "status": "pending"})
    assert sorted(ids(pending)) == [sent.pk, received.pk]
    colleague = PartnerPersonFactory(organisation=person.organisation)
    assert ids(client.get(REQUESTS, {"person": colleague.pk})) == []
    detail = client.get(f"{REQUESTS}{received.pk}/").json()
    assert (detail["direction"], detail["status"]) == ("received", "pending")
    assert detail["recipient"]["person"] == person.pk
    for response in (
        client.get(f"{REQUESTS}{theirs.pk}/"),
        client.post(f"{REQUESTS}{theirs.pk}/withdraw/"),
        client.delete(f"{REQUESTS}{theirs.pk}/"),
    ):
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    assert MeetingRequest.objects.filter(pk=theirs.pk).exists()


def test_the_requests_list_costs_the_same_queries_for_1_and_100(
    api_client, event, mine, django_assert_num_queries
):
    client = api_client("meetings:write")
    meetings.meeting_request_create(from_registration=mine, to_registration=founder(event))
    assert client.get(REQUESTS).status_code == 200  # the key's last use written
    # 1 key + 1 count + 1 page of requests with both people and whether they are scheduled
    with django_assert_num_queries(3):
        assert len(ids(client.get(REQUESTS))) == 1
    for _ in range(99):
        meetings.meeting_request_create(from_registration=founder(event), to_registration=mine)
    with django_assert_num_queries(3):
        assert len(ids(client.get(REQUESTS, {"page_size": 100}))) == 100


# --- Withdrawing -----------------------------------------------------------------------------


def test_withdrawing_deletes_the_request_and_tells_the_startup(api_client, event, mine, person):
    client = api_client("meetings:write")
    startup = founder(event)
    request = ask(client, event, person, startup).json()

    response = client.post(f"{REQUESTS}{request['id']}/withdraw/")

    assert response.status_code == 204
    assert not MeetingRequest.objects.exists()
    told = OutboxMessage.objects.get(kind="meeting_request_withdrawn")
    assert told.recipient == startup.user.email
    assert told.payload["other"] == mine.name
    record = AuditRecord.objects.get(verb="meeting_request.withdraw")
    assert record.object_id == str(request["id"])
    assert record.actor_label.startswith("API key ")
    assert client.get(f"{REQUESTS}{request['id']}/").status_code == 404
    assert ask(client, event, person, startup).status_code == 201  # may ask again


def test_withdrawing_takes_back_the_yes_to_the_startups_own_request(
    api_client, event, mine, person
):
    client = api_client("meetings:write")
    startup = founder(event)
    theirs = meetings.meeting_request_create(from_registration=startup, to_registration=mine)
    request = ask(client, event, person, startup).json()
    theirs.refresh_from_db()
    assert theirs.status == MeetingRequest.Status.ACCEPTED

    assert client.delete(f"{REQUESTS}{request['id']}/").status_code == 204

    theirs.refresh_from_db()
    assert (theirs.status, theirs.responded_at) == ("pending", None)
    listed = client.get(REQUESTS).json()["results"]
    assert [(r["id"], r["direction"], r["status"]) for r in listed] == [
        (theirs.pk, "received", "pending")
    ]


@pytest.mark.parametrize("method, suffix", [("post", "withdraw/"), ("delete", "")])
def test_a_request_the_organisation_received_cannot_be_withdrawn_by_it(
    api_client, event, mine, method, suffix
):
    client = api_client(EVERY_SCOPE)  # not a missing scope: the other side of the request
    received = meetings.meeting_request_create(
        from_registration=founder(event), to_registration=mine
    )

    response = getattr(client, method)(f"{REQUESTS}{received.pk}/{suffix}")

    assert response.status_code == 403
    assert response.json() == {
        "code": "wrong_side",
        "message": "Only a request your people sent is withdrawn: a startup sent this one.",
        "fields": {},
    }
    assert MeetingRequest.objects.get(pk=received.pk).status == "pending"


@pytest.mark.parametrize("answer, status", [("accept", "accepted"), ("decline", "declined")])
def test_a_request_a_startup_sent_is_answered_through_the_api_and_the_startup_told(
    api_client, event, mine, answer, status
):
    client = api_client("meetings:write")
    startup = founder(event, name="Kim Min-jun")
    received = meetings.meeting_request_create(from_registration=startup, to_registration=mine)

    response = client.post(f"{REQUESTS}{received.pk}/{answer}/")

    assert response.status_code == 200, response.content
    assert (response.json()["direction"], response.json()["status"]) == ("received", status)
    told = OutboxMessage.objects.get(kind="meeting_request_answered")
    assert told.recipient == startup.user.email
    assert MeetingRequest.objects.get(pk=received.pk).status == status
    record = AuditRecord.objects.get(verb="meeting_request.answer")
    assert record.actor is None and record.actor_label.startswith("API key ")
    again = client.post(f"{REQUESTS}{received.pk}/accept/", HTTP_ACCEPT_LANGUAGE="ko")
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert again.json()["reason"] == "answered"


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_a_request_the_organisation_sent_cannot_be_answered_by_it(
    api_client, event, mine, person, answer
):
    client = api_client(EVERY_SCOPE)
    sent = ask(client, event, person, founder(event)).json()

    response = client.post(f"{REQUESTS}{sent['id']}/{answer}/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 403
    assert response.json()["code"] == "wrong_side"
    assert "此 API 密钥" not in response.json()["message"]  # not "this key may not"
    assert MeetingRequest.objects.get(pk=sent["id"]).status == "pending"


def test_a_scheduled_meeting_cannot_be_withdrawn(
    api_client, event, slots, mine, person, coordinator
):
    client = api_client("meetings:write")
    startup = founder(event, name="Kim Min-jun")
    request = ask(client, event, person, startup).json()
    meetings.meeting_request_respond(
        request=MeetingRequest.objects.get(), actor=startup.user, accept=True
    )
    meetings.meeting_add(
        event=event, registration_a=mine, registration_b=startup, slot=slots[0], actor=coordinator
    )

    response = client.post(f"{REQUESTS}{request['id']}/withdraw/", HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 409
    assert (response.json()["code"], response.json()["reason"]) == ("conflict", "scheduled")
    assert "Kim Min-jun" in response.json()["message"]
    assert MeetingRequest.objects.filter(pk=request["id"]).exists()
    assert client.get(f"{REQUESTS}{request['id']}/").json()["scheduled"] is True


def test_a_request_cannot_be_withdrawn_after_the_session(api_client, event, mine, person):
    client = api_client("meetings:write")
    request = ask(client, event, person, founder(event)).json()
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=9),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )

    response = client.delete(f"{REQUESTS}{request['id']}/", HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 409
    assert response.json()["message"] == "종료된 행사입니다."
    assert response.json()["reason"] == "over"


# --- Agenda ----------------------------------------------------------------------------------


def test_the_agenda_is_empty_until_the_session_is_scheduled(api_client, event, slots, mine):
    client = api_client("meetings:write")
    query = {"event": event.pk, "person": mine.user.partner_person.pk}

    response = client.get(AGENDA, query)

    assert response.status_code == 200
    assert response.json() == {
        "event": event.pk,
        "person": mine.user.partner_person.pk,
        "participant": mine.pk,
        "time_zone": "Asia/Shanghai",
        "scheduled": False,
        "meetings": [],
    }
    ScheduleRun.objects.create(event=event, status=ScheduleRun.Status.DONE, progress=100)
    assert client.get(AGENDA, query).json()["scheduled"] is True


def test_the_agenda_gives_each_meeting_in_utc_and_in_the_events_zone(
    api_client, slots, mine, coordinator
):
    client = api_client("meetings:write")
    event = mine.event
    startup = founder(event, name="Nam Jeong-hwa")
    meetings.meeting_add(
        event=event, registration_a=startup, registration_b=mine, slot=slots[1], actor=coordinator
    )
    start = slots[1].starts_at

    body = client.get(AGENDA, {"event": event.pk, "person": mine.user.partner_person.pk}).json()

    assert body["scheduled"] is True
    [meeting] = body["meetings"]
    assert meeting["starts_at"] == start.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    assert (
        meeting["local_starts_at"]
        == (start + dt.timedelta(hours=8))
        .replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
        .isoformat()
    )
    assert dt.datetime.fromisoformat(meeting["local_ends_at"]) == slots[1].ends_at
    assert meeting["table"] == 1
    assert meeting["counterpart"] == {
        "participant": startup.pk,
        "person": None,
        "name": "Nam Jeong-hwa",
        "affiliation": startup.affiliation,
        "company": startup.company_id,
    }


def test_the_agenda_of_another_organisations_person_is_a_404(
    api_client, event, mine, other_organisation
):
    client = api_client("meetings:write")
    stranger = PartnerRegistrationFactory(event=event, person__organisation=other_organisation)

    response = client.get(AGENDA, {"event": event.pk, "person": stranger.user.partner_person.pk})
    missing = client.get(AGENDA, {"person": mine.user.partner_person.pk})

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert missing.status_code == 400


def test_a_key_without_meetings_write_gets_403(api_client, event, mine, person):
    client = api_client(["events:read", "registrations:write"])
    startup = founder(event)
    query = {"event": event.pk, "person": person.pk}

    for response in (
        client.get(REQUESTS),
        ask(client, event, person, startup),
        client.get(PARTICIPANTS, query),
        client.get(AGENDA, query),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "scope_missing"
    assert not MeetingRequest.objects.exists()


# --- Contacts --------------------------------------------------------------------------------


def test_a_scheduled_meeting_opens_the_companys_contacts_to_the_organisation(
    api_client, event, slots, mine, coordinator, other_organisation
):
    client = api_client("companies:read")
    company = CompanyFactory(consent_to_partners=True)
    Enrollment.objects.create(
        company=company,
        cohort=CohortFactory(),
        stage=Enrollment.Stage.ACCELERATION,
        started_on=timezone.localdate(),
    )
    startup = founder(event, membership__company=company)
    url = f"/api/v1/companies/{company.pk}/"
    assert client.get(url).json()["contacts"] is None

    meeting = meetings.meeting_add(
        event=event, registration_a=mine, registration_b=startup, slot=slots[0], actor=coordinator
    )

    contacts = client.get(url).json()["contacts"]
    assert [c["email"] for c in contacts] == [startup.user.email]
    assert not partner_sees_contacts(other_organisation.pk, company)
    # A meeting that will not take place opens nothing.
    Registration.objects.filter(pk=startup.pk).update(status=Registration.Status.CANCELLED)
    assert not partner_sees_contacts(mine.partner_organisation_id, company)
    Registration.objects.filter(pk=startup.pk).update(status=Registration.Status.REGISTERED)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    assert not partner_sees_contacts(mine.partner_organisation_id, company)
    assert Meeting.objects.filter(pk=meeting.pk).exists()
