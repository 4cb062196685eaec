"""The KPI report's figures equal what the test counts itself from the same rows."""

import datetime as dt
import statistics
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from incubator.reports.kpi import kpi_report, report_as_dict
from incubator.reports.period import Period
from tests.events.factories import EventFactory, GuestRegistrationFactory
from tests.reports.world import PERIOD, SHANGHAI, build, inside

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


@pytest.fixture
def report(world):
    return kpi_report(PERIOD)


def test_leads_by_source(world, report):
    expected = Counter(source for source, at in world.leads if inside(at))
    table = report.table("leads", "by_source")
    assert {row.key: row.values[0] for row in table.rows} == {
        source: expected.get(source, 0) for source, _at in world.leads
    }


def test_applications_submitted_and_decided(world, report):
    assert report.value("admissions", "submitted", "submitted") == sum(
        inside(submitted) for _status, submitted, _decided in world.applications
    )
    for status in ("accepted", "rejected", "waitlisted"):
        assert report.value("admissions", "by_result", status) == sum(
            s == status and inside(decided) for s, _submitted, decided in world.applications
        )


def test_companies_per_stage_at_the_end_and_moves(world, report):
    end = dt.datetime(2024, 4, 1, tzinfo=SHANGHAI)
    last_stage = {}
    for company, _from, to, at in sorted(world.transitions, key=lambda t: t[3]):
        if at < end:
            last_stage[company] = to
    per_stage = Counter(last_stage.values())
    table = report.table("journey", "per_stage")
    for stage in ("incubation", "acceleration", "industrialization", "withdrawn", "graduated"):
        assert table.value(stage) == per_stage.get(stage, 0), stage
    moves = Counter(f"{a}>{b}" for _company, a, b, at in world.transitions if a and inside(at))
    assert {row.key: row.values[0] for row in report.table("journey", "moves").rows} == moves


def test_companies_introduced_and_registered_locally(world, report):
    introduced = [sector for sector, started in world.enrollments if inside(started)]
    table = report.table("journey", "introduced")
    assert table.value("introduced") == len(introduced)
    assert table.value("local_entities") == sum(inside(on) for _c, on in world.local_entities)
    end = dt.datetime(2024, 4, 1, tzinfo=SHANGHAI)
    assert table.value("registering") == len(
        {
            company
            for company, kind, opened, resolved, _due in world.service_requests
            if kind == "company_registration"
            and opened < end
            and (resolved is None or resolved >= end)
        }
    )
    by_sector = report.table("journey", "introduced_by_sector")
    assert {row.key: row.values[0] for row in by_sector.rows} == Counter(introduced)


def test_events_held_by_kind_and_registrations(world, report):
    now = timezone.now()
    held = Counter(
        kind
        for kind, status, starts in world.events
        if inside(starts)
        and (
            status == "completed"
            or (status == "published" and starts + dt.timedelta(hours=2) <= now)
        )
    )
    table = report.table("events", "held_by_kind")
    assert {row.key: row.values[0] for row in table.rows if row.values[0]} == held
    assert report.value("events", "totals", "roadshows_and_matching") == (
        held["roadshow"] + held["matching_session"]
    )
    assert report.value("events", "totals", "cancelled") == sum(
        status == "cancelled" and inside(starts) for _k, status, starts in world.events
    )
    registrations = report.table("registrations", "by_kind")
    for kind in {k for k, *_ in world.registrations}:
        rows = [r for r in world.registrations if r[0] == kind and inside(r[1])]
        # The registered and waitlisted people of a cancelled event are counted on their own.
        held = [r for r in rows if r[4] != "cancelled"]
        for status in ("registered", "waitlisted"):
            assert registrations.value(kind, status) == sum(r[2] == status for r in held)
        assert registrations.value(kind, "cancelled") == sum(r[2] == "cancelled" for r in rows)
        assert registrations.value(kind, "attended") == sum(r[3] for r in held)
        assert registrations.value(kind, "event_cancelled") == sum(
            r[4] == "cancelled" and r[2] != "cancelled" for r in rows
        )


def test_the_registrations_of_a_cancelled_event_are_counted_apart():
    # The walk's December: one roadshow held (5 registered, 4 checked in), one cancelled
    # with 3 registered and 4 waitlisted, who never came and never waited on anything.
    start = dt.datetime(2024, 3, 14, 6, 0, tzinfo=dt.UTC)
    held = EventFactory(
        kind="roadshow", status="completed", starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )
    cancelled = EventFactory(
        kind="roadshow", status="cancelled", starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )
    for n in range(5):
        GuestRegistrationFactory(event=held, checked_in_at=start if n < 4 else None)
    GuestRegistrationFactory(event=held, status="cancelled")
    for _n in range(3):
        GuestRegistrationFactory(event=cancelled)
    for position in range(1, 5):
        GuestRegistrationFactory(event=cancelled, status="waitlisted", waitlist_position=position)
    GuestRegistrationFactory(event=cancelled, status="cancelled")

    table = kpi_report(PERIOD).table("registrations", "by_kind")

    assert [table.value("roadshow", column) for column in COLUMNS] == [5, 0, 2, 4, 7]


COLUMNS = ("registered", "waitlisted", "cancelled", "attended", "event_cancelled")


def test_meetings_requested_scheduled_held(world, report):
    table = report.table("meetings", "totals")
    assert table.value("requested") == sum(inside(at) for at, _s in world.meeting_requests)
    assert table.value("declined") == sum(
        inside(at) and s == "declined" for at, s in world.meeting_requests
    )
    assert table.value("scheduled") == sum(inside(at) for at, _both in world.meetings)
    assert table.value("held") == sum(inside(at) and both for at, both in world.meetings)


def test_service_requests_and_time_to_resolve(world, report):
    end = dt.datetime(2024, 4, 1, tzinfo=SHANGHAI)
    rows = world.service_requests
    table = report.table("concierge", "totals")
    assert table.value("opened") == sum(inside(opened) for _c, _k, opened, _r, _d in rows)
    resolved = [r - o for _c, _k, o, r, _d in rows if inside(r)]
    assert table.value("resolved") == len(resolved)
    assert table.value("overdue") == sum(
        o < end and due <= dt.date(2024, 3, 31) and (r is None or r >= end)
        for _c, _k, o, r, due in rows
    )
    days = [Decimal(d.total_seconds()) / 86400 for d in resolved]
    assert table.value("mean_days") == round(sum(days) / len(days), 1)
    assert table.value("median_days") == round(statistics.median(days), 1)


def test_fund_granted_and_disbursed_by_currency(world, report):
    table = report.table("fund", "by_currency")
    for currency in ("CNY", "USD"):
        grants = [a for c, a, at in world.grants if c == currency and inside(at)]
        paid = [a for c, a, on in world.disbursements if c == currency and inside(on)]
        assert table.value(currency, "grants") == len(grants)
        assert table.value(currency, "granted") == sum(grants)
        assert table.value(currency, "tranches") == len(paid)
        assert table.value(currency, "disbursed") == sum(paid)


def test_portfolio_counts_the_quarters_ending_in_the_period(world, report):
    # March 2024 holds the end of 2024 Q1 only.
    q1 = [r for r in world.reports if r[:2] == (2024, 1)]
    revenue = report.table("portfolio", "revenue")
    for currency in ("CNY", "KRW"):
        assert revenue.value(currency, "revenue") == sum(r[2] for r in q1 if r[3] == currency)
    employees = report.table("portfolio", "employees")
    assert [row.key for row in employees.rows] == ["2024-Q1"]
    assert employees.value("2024-Q1", "employees_china") == sum(r[4] for r in q1)
    assert employees.value("2024-Q1", "employees_korea") == sum(r[5] for r in q1)


def test_technology_listings_and_inquiries(world, report):
    listings = report.table("technology", "listings")
    assert listings.value("submitted") == sum(inside(s) for s, _r, _st in world.listings)
    assert listings.value("approved") == sum(
        inside(r) and st == "approved" for _s, r, st in world.listings
    )
    inquiries = report.table("technology", "inquiries")
    assert inquiries.value("sent") == sum(inside(s) for s, _a, _ok in world.inquiries)
    assert inquiries.value("answered") == sum(inside(a) for _s, a, _ok in world.inquiries)


def test_the_report_is_json_with_numbers(report):
    data = report_as_dict(report)
    assert data["period"] == {"from": "2024-03-01", "to": "2024-03-31"}
    keys = [section["key"] for section in data["sections"]]
    assert keys == [
        "leads",
        "admissions",
        "journey",
        "portfolio",
        "concierge",
        "fund",
        "events",
        "registrations",
        "meetings",
        "technology",
    ]
    fund = next(s for s in data["sections"] if s["key"] == "fund")["tables"][0]
    assert isinstance(fund["rows"][0]["values"]["granted"], float)


def test_english_labels_start_with_a_capital_as_in_the_workbook(report):
    # Rows labelled by a model's choices read "accepted", "incubation" beside "Roadshow".
    with translation.override("en"):
        data = report_as_dict(report)
    labels = [
        text
        for section in data["sections"]
        for table in section["tables"]
        for text in [
            section["title"],
            table["title"],
            *(c["label"] for c in table["columns"]),
            *(r["label"] for r in table["rows"]),
        ]
    ]
    assert "Accepted" in labels and "Incubation" in labels
    assert [text for text in labels if text[:1].islower()] == []
    with translation.override("ko"):
        assert report_as_dict(report)["sections"][0]["title"] == str(report.sections[0].title)


def _queries(period) -> int:
    with CaptureQueriesContext(connection) as queries:
        kpi_report(period)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data():
    build(size=1)
    few = _queries(PERIOD)
    build(size=4)
    # Leads 1, admissions 1, journey 5, portfolio 2, concierge 3, fund 2, events 2,
    # registrations 2, meetings 2, technology 2.
    assert _queries(PERIOD) == few == 22


def test_a_period_reads_whole_days_in_the_centers_zone():
    period = Period.parse("2024-03-01", "2024-03-31")
    assert period.starts_at == dt.datetime(2024, 2, 29, 16, 0, tzinfo=dt.UTC)
    assert period.ends_at == dt.datetime(2024, 3, 31, 16, 0, tzinfo=dt.UTC)
    assert Period.preset("week", dt.date(2024, 3, 6)) == Period(
        dt.date(2024, 2, 26), dt.date(2024, 3, 3)
    )
    assert Period.preset("month", dt.date(2024, 3, 6)) == PERIOD.__class__(
        dt.date(2024, 2, 1), dt.date(2024, 2, 29)
    )
    assert Period.preset("quarter", dt.date(2024, 2, 6)) == Period(
        dt.date(2023, 10, 1), dt.date(2023, 12, 31)
    )
    assert Period.preset("year", dt.date(2024, 2, 6)) == Period(
        dt.date(2023, 1, 1), dt.date(2023, 12, 31)
    )


@pytest.mark.parametrize(
    "start, end, code",
    [
        ("2024-03-31", "2024-03-01", "reversed"),
        ("2024-3-1", "2024-03-31", "invalid_date"),
        ("", "2024-03-31", "invalid_date"),
        ("2018-01-01", "2024-03-31", "too_long"),
    ],
)
def test_a_bad_period_is_refused(start, end, code):
    with pytest.raises(ValidationError) as refused:
        Period.parse(start, end)
    assert refused.value.code == code
