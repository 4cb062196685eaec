"""The registrations' export: its times in each event's zone, named, whoever exports."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Meeting, Registration
from incubator import roles
from tests.companies.factories import staff_in
from tests.events.factories import (
    EventFactory,
    GuestRegistrationFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
    meeting_slots,
)
from tests.incubator.test_exports import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

TIMES = ["event starts at", "registered at", "checked in at", "cancelled at"]


def registration_in(zone: str, title: str):
    event = EventFactory(
        time_zone=zone,
        title_en=title,
        starts_at=dt.datetime(2030, 5, 10, 1, 0, tzinfo=dt.UTC),  # 10:00 KST, 09:00 CST
        ends_at=dt.datetime(2030, 5, 10, 8, 0, tzinfo=dt.UTC),
    )
    registration = GuestRegistrationFactory(event=event)
    # Registered at 13:30 UTC on 1 May, had cancelled once, checked in on the day.
    Registration.objects.filter(pk=registration.pk).update(
        created_at=dt.datetime(2030, 5, 1, 13, 30, tzinfo=dt.UTC),
        cancelled_at=dt.datetime(2030, 5, 2, 15, 0, tzinfo=dt.UTC),
        checked_in_at=dt.datetime(2030, 5, 10, 0, 45, tzinfo=dt.UTC),
    )
    return registration


def exported(fmt: str, time_zone: str) -> list:
    """Return the rows a coordinator whose own zone is `time_zone` exports."""
    client = Client()
    client.force_login(staff_in(roles.EVENT_COORDINATOR, time_zone=time_zone))
    response = client.get(reverse(f"admin:events_registration_export_{fmt}"))
    assert response.status_code == 200
    return csv_rows(response) if fmt == "csv" else xlsx_rows(response)


def by_event(rows) -> dict:
    header = list(rows[0])
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}


def test_the_times_are_in_each_events_zone_named_and_the_same_for_harbin_and_seoul():
    registration_in("Asia/Seoul", "Seoul demo day")
    registration_in("Asia/Shanghai", "Harbin roadshow")

    harbin, seoul = exported("csv", "Asia/Shanghai"), exported("csv", "Asia/Seoul")
    assert harbin == seoul
    rows = by_event(harbin)
    korean, chinese = rows["Seoul demo day"], rows["Harbin roadshow"]
    assert korean["time zone"] == "Korea (Asia/Seoul)"
    assert [korean[t] for t in TIMES] == [
        "2030-05-10 10:00:00",
        "2030-05-01 22:30:00",
        "2030-05-10 09:45:00",
        "2030-05-03 00:00:00",
    ]
    assert chinese["time zone"] == "China (Asia/Shanghai)"
    assert [chinese[t] for t in TIMES] == [
        "2030-05-10 09:00:00",
        "2030-05-01 21:30:00",
        "2030-05-10 08:45:00",
        "2030-05-02 23:00:00",
    ]

    # The workbook: the same clock times, kept date-times.
    workbook = by_event(exported("xlsx", "Asia/Seoul"))
    assert workbook["Harbin roadshow"]["time zone"] == "China (Asia/Shanghai)"
    assert [workbook["Harbin roadshow"][t] for t in TIMES] == [
        dt.datetime(2030, 5, 10, 9, 0),
        dt.datetime(2030, 5, 1, 21, 30),
        dt.datetime(2030, 5, 10, 8, 45),
        dt.datetime(2030, 5, 2, 23, 0),
    ]
    assert workbook["Seoul demo day"]["registered at"] == dt.datetime(2030, 5, 1, 22, 30)


def test_the_meetings_export_writes_the_slots_in_the_events_zone_and_names_it():
    event = EventFactory(
        time_zone="Asia/Seoul",
        title_en="Seoul matching",
        starts_at=dt.datetime(2030, 5, 10, 1, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 5, 10, 8, 0, tzinfo=dt.UTC),
    )
    slot = meeting_slots(event, count=1)[0]
    a, b = sorted(
        (StartupRegistrationFactory(event=event), PartnerRegistrationFactory(event=event)),
        key=lambda registration: registration.pk,
    )
    Meeting.objects.create(event=event, slot=slot, registration_a=a, registration_b=b, table=1)
    client = Client()
    client.force_login(staff_in(roles.EVENT_COORDINATOR, time_zone="Asia/Shanghai"))

    response = client.get(reverse("admin:events_meeting_export_csv"))

    row = by_event(csv_rows(response))["Seoul matching"]
    assert (row["time zone"], row["starts at"], row["ends at"]) == (
        "Korea (Asia/Seoul)",
        "2030-05-10 10:00:00",
        "2030-05-10 10:20:00",
    )
