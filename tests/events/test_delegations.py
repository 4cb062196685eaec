"""Delegation visits in the admin: one leader, a programme within the visit, and times in
the zone of the delegation's event."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from events.models import Delegation, DelegationMember
from incubator import roles
from incubator.models import AuditRecord
from tests.companies.factories import StaffFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


@pytest.fixture
def coordinator(client):
    roles.sync_role_permissions()
    user = StaffFactory(time_zone="Asia/Shanghai")
    user.groups.add(Group.objects.get(name=roles.EVENT_COORDINATOR))
    client.force_login(user)
    return user


def form(**more) -> dict:
    return {
        "name_en": "Gyeonggi founders' visit",
        "arrives_at_0": "2030-07-28",
        "arrives_at_1": "09:00",
        "departs_at_0": "2030-08-02",
        "departs_at_1": "18:00",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
        "programme-TOTAL_FORMS": "0",
        "programme-INITIAL_FORMS": "0",
        **more,
    }


def members(*people) -> dict:
    rows = {"members-TOTAL_FORMS": str(len(people))}
    for n, (name, role) in enumerate(people):
        rows |= {f"members-{n}-name": name, f"members-{n}-role": role}
    return rows


def item(day: str, start: str, end: str) -> dict:
    return {
        "programme-TOTAL_FORMS": "1",
        "programme-0-starts_at_0": day,
        "programme-0-starts_at_1": start,
        "programme-0-ends_at_0": day,
        "programme-0-ends_at_1": end,
        "programme-0-title_en": "Visit of the Seoul startup center",
    }


def test_two_leaders_are_refused_on_the_form_not_with_a_server_error(client, coordinator):
    add = reverse("admin:events_delegation_add")
    response = client.post(add, form(**members(("Jeong", "leader"), ("Kim", "leader"))))

    assert response.status_code == 200
    assert "A delegation has one leader: 2 members are marked as leader." in (
        response.content.decode()
    )
    assert not Delegation.objects.exists() and not AuditRecord.objects.exists()


def test_a_second_leader_added_to_a_saved_delegation_is_refused(client, coordinator):
    add = reverse("admin:events_delegation_add")
    assert client.post(add, form(**members(("Jeong", "leader")))).status_code == 302
    delegation = Delegation.objects.get()
    kept = delegation.members.get()
    change = reverse("admin:events_delegation_change", args=[delegation.pk])
    rows = {
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "1",
        "members-0-id": str(kept.pk),
        "members-0-delegation": str(delegation.pk),
        "members-0-name": "Jeong",
        "members-0-role": "leader",
        "members-1-name": "Kim",
        "members-1-role": "leader",
    }

    response = client.post(change, form(**rows))

    assert (
        response.status_code == 200 and "A delegation has one leader" in response.content.decode()
    )
    assert list(delegation.members.values_list("name", flat=True)) == ["Jeong"]
    # The leader handed over in the same save is one leader.
    rows["members-0-role"] = "official"
    assert client.post(change, form(**rows)).status_code == 302
    assert delegation.members.get(role=DelegationMember.Role.LEADER).name == "Kim"


def test_a_programme_item_outside_the_visit_is_refused(client, coordinator):
    add = reverse("admin:events_delegation_add")
    response = client.post(add, form(**item("2030-08-10", "10:00", "12:00")))

    assert response.status_code == 200
    text = response.content.decode()
    assert "is outside the visit" in text and "Visit of the Seoul startup center" in text
    assert not Delegation.objects.exists()


def test_times_are_typed_and_printed_in_the_zone_of_the_delegation_event(client, coordinator):
    event = EventFactory(kind="delegation_visit", time_zone="Asia/Seoul")
    add = reverse("admin:events_delegation_add")
    more = {"event": str(event.pk), **item("2030-07-29", "10:00", "12:00")}
    assert client.post(add, form(**more)).status_code == 302

    delegation = Delegation.objects.get()
    # 09:00 typed by a coordinator in Harbin for a Seoul event is 09:00 in Seoul.
    assert delegation.arrives_at == dt.datetime(2030, 7, 28, 9, 0, tzinfo=SEOUL)
    assert delegation.programme.get().starts_at == dt.datetime(2030, 7, 29, 10, 0, tzinfo=SEOUL)
    page = client.get(reverse("events:delegation-programme", args=[delegation.pk]))
    assert "10:00–12:00" in page.content.decode()
    change = client.get(reverse("admin:events_delegation_change", args=[delegation.pk]))
    assert "In the time zone of the delegation&#x27;s event" in change.content.decode()
