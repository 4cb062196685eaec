"""Who a service lets act for a registrant: the person, staff, or the API key of the
person's partner organisation, never another organisation's key; and withdrawing a meeting
request, from the portal's side."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from companies.apikeys.models import PartnerAPIKey
from events import policies, services
from events.matching import services as meetings
from events.models import MeetingRequest
from incubator.api.auth import Partner
from incubator.models import AuditRecord, OutboxMessage
from incubator.services import render_message
from tests.companies.factories import MembershipFactory
from tests.events.factories import (
    EventFactory,
    PartnerPersonFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
)

pytestmark = pytest.mark.django_db


def key_of(organisation, scopes=("registrations:write", "meetings:write")) -> Partner:
    key_row, _key = PartnerAPIKey.objects.create_key(
        organisation=organisation, name="test", scopes=list(scopes)
    )
    return Partner(key_row)


def consenting_startup(event):
    registration = StartupRegistrationFactory(event=event)
    registration.company.consent_to_partners = True
    registration.company.save(update_fields=["consent_to_partners"])
    return registration


def test_an_organisations_key_registers_its_people_and_no_one_else():
    person, stranger = PartnerPersonFactory(), PartnerPersonFactory()
    event = EventFactory()
    key = key_of(person.organisation)

    registration = services.registration_create(event=event, user=person.user, actor=key)

    assert registration.partner_organisation == person.organisation
    assert AuditRecord.objects.get(verb="registration.create").actor_label == str(key)
    with pytest.raises(PermissionDenied):
        services.registration_create(event=event, user=stranger.user, actor=key)
    assert not policies.can_register(key, MembershipFactory().user)


def test_a_key_cancels_its_own_registrations_only_while_the_person_stays():
    registration = PartnerRegistrationFactory()
    person = registration.user.partner_person
    theirs = PartnerRegistrationFactory(event=registration.event)
    key = key_of(person.organisation)

    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=theirs, actor=key)
    person.organisation = theirs.partner_organisation
    person.save(update_fields=["organisation"])
    assert not policies.may_handle_registration(key, registration)
    assert not policies.may_handle_registration(key_of(person.organisation), registration)


def test_a_key_asks_for_meetings_for_its_people_only():
    partner = PartnerRegistrationFactory()
    startup = consenting_startup(partner.event)
    other_key = key_of(PartnerPersonFactory().organisation)

    with pytest.raises(PermissionDenied):
        meetings.meeting_request_create(
            from_registration=partner, to_registration=startup, actor=other_key
        )
    made = meetings.meeting_request_create(
        from_registration=partner,
        to_registration=startup,
        actor=key_of(partner.partner_organisation),
    )
    assert made.status == MeetingRequest.Status.PENDING


def test_the_sender_withdraws_their_request_in_the_portal_and_the_recipient_cannot():
    startup = consenting_startup(EventFactory())
    partner = PartnerRegistrationFactory(event=startup.event, person__user__language="ko")
    request = meetings.meeting_request_create(from_registration=startup, to_registration=partner)

    with pytest.raises(PermissionDenied):
        meetings.meeting_request_withdraw(request=request, actor=partner.user)
    with pytest.raises(PermissionDenied):
        meetings.meeting_request_withdraw(
            request=request, actor=key_of(partner.partner_organisation)
        )
    meetings.meeting_request_withdraw(request=request, actor=startup.user)

    assert not MeetingRequest.objects.exists()
    email = render_message(OutboxMessage.objects.get(kind="meeting_request_withdrawn"))
    assert email.to == [partner.user.email]
    assert email.subject == f"{startup.name}님이 {startup.event.title_ko} 미팅 요청을 철회했습니다"
    assert f"/portal/matching/{startup.event_id}/" in email.body
    record = AuditRecord.objects.get(verb="meeting_request.withdraw")
    assert record.actor == startup.user
    assert record.company_id == startup.company_id
    with pytest.raises(ValidationError, match="withdrawn already"):
        meetings.meeting_request_withdraw(request=request, actor=startup.user)


def test_a_withdrawn_request_is_no_longer_a_wish_the_scheduler_sees():
    startup = consenting_startup(EventFactory())
    partner = PartnerRegistrationFactory(event=startup.event)
    asked_first = meetings.meeting_request_create(
        from_registration=partner, to_registration=startup
    )
    agreed = meetings.meeting_request_create(from_registration=startup, to_registration=partner)
    asked_first.refresh_from_db()
    assert (asked_first.status, agreed.status) == ("accepted", "accepted")

    meetings.meeting_request_withdraw(request=agreed, actor=startup.user)

    asked_first.refresh_from_db()
    assert asked_first.status == MeetingRequest.Status.PENDING
    assert not MeetingRequest.objects.filter(status=MeetingRequest.Status.ACCEPTED).exists()
