"""The events admin's links to the staff pages: each shown to whom its page opens for.

A link that answers 403 is a dead end: the lists ask the policy the page enforces.
"""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from events.matching.models import Meeting
from events.models import Event, SessionAttendance
from incubator import roles
from tests.companies.factories import StaffFactory
from tests.events.factories import (
    EventFactory,
    OnlineSessionFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
    meeting_slots,
)

pytestmark = pytest.mark.django_db

STAFF_ROLES = (roles.CENTER_MANAGER, roles.PROGRAM_OFFICER, roles.EVENT_COORDINATOR, roles.VIEWER)


@pytest.fixture(autouse=True)
def role_groups():
    roles.sync_role_permissions()


def signed_in(client, role):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    client.cookies["lang"] = "en"
    return user


def links(html: str) -> set[str]:
    return {href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', html)}


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_the_events_list_offers_the_door_page_only_to_who_checks_people_in(client, role):
    event = EventFactory()
    signed_in(client, role)

    shown = links(client.get(reverse("admin:events_event_changelist")).content.decode())

    check_in = reverse("events:check-in", args=[event.pk])
    door_staff = role in (roles.CENTER_MANAGER, roles.EVENT_COORDINATOR)
    assert (check_in in shown) is door_staff
    assert reverse("events:event-detail", args=[event.pk]) in shown
    if door_staff:
        assert client.get(check_in).status_code == 200


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_a_sessions_attendance_opens_for_every_staff_role(client, role):
    session = OnlineSessionFactory()
    registration = StartupRegistrationFactory(event=session.event)
    SessionAttendance.objects.create(session=session, registration=registration)
    other = OnlineSessionFactory(event=session.event)
    SessionAttendance.objects.create(
        session=other, registration=StartupRegistrationFactory(event=session.event)
    )
    signed_in(client, role)

    page = client.get(reverse("admin:events_onlinesession_changelist")).content.decode()
    row = next(line for line in page.split("<tr") if f"/onlinesession/{session.pk}/change/" in line)
    assert "1 person" in row
    (url,) = [href for href in links(row) if "/change/" not in href]

    # Who records attendance gets the session's page; who reads, the list of who attended.
    recorders = role in (roles.CENTER_MANAGER, roles.EVENT_COORDINATOR)
    attendance_page = reverse("events:session-attendance", args=[session.event_id, session.pk])
    assert (url == attendance_page) is recorders
    response = client.get(url)
    assert response.status_code == 200
    if not recorders:
        # The session's own attendance, not the other session's.
        assert [a.session_id for a in response.context_data["cl"].result_list] == [session.pk]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_the_meetings_list_says_what_the_schedule_page_lets_the_reader_do(client, role):
    event = EventFactory(
        kind=Event.Kind.MATCHING_SESSION,
        starts_at=dt.datetime(2030, 5, 10, 1, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 5, 10, 8, 0, tzinfo=dt.UTC),
    )
    slot = meeting_slots(event, count=1)[0]
    a, b = StartupRegistrationFactory(event=event), PartnerRegistrationFactory(event=event)
    Meeting.objects.create(event=event, slot=slot, registration_a=a, registration_b=b, table=1)
    signed_in(client, role)

    page = client.get(reverse("admin:events_meeting_changelist")).content.decode()

    schedulers = role in (roles.CENTER_MANAGER, roles.EVENT_COORDINATOR)
    assert ("add, lock or remove meetings" in page) is schedulers
    assert ("the event&#x27;s schedule" in page) is not schedulers
    schedule = reverse("events:schedule", args=[event.pk])
    assert schedule in links(page)
    assert client.get(schedule).status_code == 200
