"""Benchmark of the yearly KPI report on a large dataset: its queries and its time.

Run from the repository root:  .venv/bin/python bench/bench_reports.py [--runs N]

Uses a PostgreSQL database of its own, BENCH_REPORTS_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/incubator_bench_reports): creates it when missing,
migrates it, and fills it once, in bulk and seeded, with 10,000 companies (enrolled, with
their stage moves, leads, service requests, grants and quarterly reports), 5,000 events
over 2024 and 2025, 200,000 registrations (a third checked in) and 50,000 meetings at
1,000 matching sessions; a later run reuses it. Then computes the report of 2025 N times
(default 3) and prints the queries of one run (the same number as on an empty database:
it does not grow with the data), the median time of the figures, and the time of the
workbook. Exits non-zero when the query count differs, or when PostgreSQL cannot be
reached and REQUIRE_SERVICES=1 (as in CI).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import statistics
import sys
import time
import zoneinfo
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/incubator_bench_reports"
DATABASE_URL = os.environ.get("BENCH_REPORTS_DATABASE_URL", DEFAULT_DATABASE_URL)
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "incubator.settings",
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + secrets.token_urlsafe(40),
    }
)

COMPANIES = 10_000
EVENTS = 5_000
REGISTRATIONS_PER_EVENT = 40  # 200,000
MATCHING_SESSIONS = 1_000
SLOTS, TABLES = 10, 5  # 50 meetings a session: 50,000
BATCH = 5_000
HARBIN = zoneinfo.ZoneInfo("Asia/Shanghai")
FIRST, LAST = dt.date(2024, 1, 1), dt.date(2025, 12, 31)


def progress(text: str) -> None:
    print(f"\rfill: {text:<60}", end="", flush=True)


class Fill:
    def __init__(self, seed: int = 2025):
        self.rng = random.Random(seed)

    def moment(self) -> dt.datetime:
        day = FIRST + dt.timedelta(days=self.rng.randrange((LAST - FIRST).days + 1))
        return dt.datetime(day.year, day.month, day.day, self.rng.randint(8, 20), tzinfo=HARBIN)

    def companies(self) -> list[int]:
        from companies import validators
        from companies.models import Company, Lead, Sector

        progress("companies and leads")

        def brn(i: int) -> str:
            prefix = f"{120 + i // 9000:03d}81{1000 + i % 9000:04d}"
            return prefix + validators.brn_check_digit(prefix)

        Company.objects.bulk_create(
            (
                Company(
                    name_ko=f"벤치 기업 {i}",
                    name_en=f"Bench company {i}",
                    brn=brn(i),
                    founded_on=dt.date(2015, 1, 1) + dt.timedelta(days=i % 2000),
                    sector=self.rng.choice(Sector.values),
                )
                for i in range(COMPANIES)
            ),
            batch_size=BATCH,
        )
        ids = list(Company.objects.order_by("pk").values_list("pk", flat=True))
        Lead.objects.bulk_create(
            (
                Lead(company_name=f"Lead {i}", source=self.rng.choice(Lead.Source.values))
                for i in range(COMPANIES)
            ),
            batch_size=BATCH,
        )
        for source in Lead.Source.values:  # created_at is set on insert: spread it after
            Lead.objects.filter(source=source).update(created_at=self.moment())
        return ids

    def journey(self, company_ids: list[int]) -> None:
        from programs.models import (
            Cohort,
            Enrollment,
            FundApplication,
            FundCall,
            Program,
            QuarterlyReport,
            ServiceKind,
            ServiceRequest,
            StageTransition,
        )

        progress("enrollments and stage moves")
        program = Program.objects.create(name_ko="벤치 프로그램", name_en="Bench program")
        cohort = Cohort.objects.create(
            program=program, label_en="Bench cohort", starts_on=FIRST, ends_on=LAST
        )
        paths = [["incubation"], ["incubation", "acceleration"], ["incubation", "withdrawn"]]
        chosen = [self.rng.choice(paths) for _ in company_ids]
        enrollments = Enrollment.objects.bulk_create(
            (
                Enrollment(company_id=c, cohort=cohort, stage=path[-1], started_on=FIRST)
                for c, path in zip(company_ids, chosen, strict=True)
            ),
            batch_size=BATCH,
        )
        transitions = []
        for enrollment, path in zip(enrollments, chosen, strict=True):
            previous, at = "", self.moment()
            for stage in path:
                transitions.append(
                    StageTransition(
                        enrollment=enrollment,
                        from_stage=previous,
                        to_stage=stage,
                        reason="bench",
                        created_at=at,
                    )
                )
                previous, at = stage, at + dt.timedelta(days=90)
        StageTransition.objects.bulk_create(transitions, batch_size=BATCH)

        progress("service requests, grants, quarterly reports")
        requests = []
        for enrollment in enrollments[:5_000]:
            opened = self.moment()
            resolved = opened + dt.timedelta(hours=self.rng.randint(2, 900))
            done = self.rng.random() < 0.7
            requests.append(
                ServiceRequest(
                    company_id=enrollment.company_id,
                    enrollment=enrollment,
                    kind=self.rng.choice(ServiceKind.values),
                    subject="bench",
                    status="resolved" if done else "open",
                    opened_at=opened,
                    resolved_at=resolved if done else None,
                    due_on=(opened + dt.timedelta(days=14)).date(),
                )
            )
        ServiceRequest.objects.bulk_create(requests, batch_size=BATCH)
        call = FundCall.objects.create(
            title_en="Bench fund",
            opens_at=dt.datetime(2024, 1, 1, tzinfo=HARBIN),
            closes_at=dt.datetime(2025, 12, 31, tzinfo=HARBIN),
            budget=Decimal("100000000"),
            remaining=Decimal("100000000"),
        )
        FundApplication.objects.bulk_create(
            (
                FundApplication(
                    call=call,
                    company_id=e.company_id,
                    enrollment=e,
                    amount_requested=Decimal("50000"),
                    purpose="bench",
                    status="granted",
                    amount_granted=Decimal("50000"),
                    decided_at=self.moment(),
                )
                for e in enrollments[:2_000]
            ),
            batch_size=BATCH,
        )
        QuarterlyReport.objects.bulk_create(
            (
                QuarterlyReport(
                    company_id=e.company_id,
                    enrollment=e,
                    year=year,
                    quarter=quarter,
                    revenue=Decimal(self.rng.randint(1, 900) * 1000),
                    revenue_currency="CNY",
                    employees_china=self.rng.randint(0, 30),
                    employees_korea=self.rng.randint(1, 30),
                    funding_raised=0,
                    funding_currency="CNY",
                    customers_china=self.rng.randint(0, 50),
                )
                for e in enrollments[:4_000]
                for year in (2024, 2025)
                for quarter in (1, 2, 3, 4)
            ),
            batch_size=BATCH,
        )

    def events(self) -> None:
        from events.matching.models import Meeting, MeetingSlot
        from events.models import Event, Registration

        progress("events")
        kinds = ["roadshow", "online_programme", "training", "demo_day"]
        starts = sorted(self.moment() for _ in range(EVENTS))
        events = Event.objects.bulk_create(
            (
                Event(
                    kind="matching_session" if n < MATCHING_SESSIONS else self.rng.choice(kinds),
                    status="completed",
                    title_en=f"Bench event {n}",
                    starts_at=at,
                    ends_at=at + dt.timedelta(hours=4),
                    venue_en="Harbin",
                    online_url="https://meeting.example.cn/bench",
                    meeting_tables=TABLES,
                )
                for n, at in enumerate(starts)
            ),
            batch_size=BATCH,
        )
        progress("registrations (200,000)")
        rows = []
        for event in events:
            for r in range(REGISTRATIONS_PER_EVENT):
                checked = event.starts_at if r % 3 == 0 else None
                rows.append(
                    Registration(
                        event=event,
                        kind="guest",
                        name=f"Guest {r}",
                        search_name=f"guest {r}",
                        guest_email=f"guest{r}@bench.example",
                        status="registered" if r % 10 else "cancelled",
                        checked_in_at=checked if r % 10 else None,
                    )
                )
            if len(rows) >= 20_000:
                Registration.objects.bulk_create(rows, batch_size=BATCH)
                rows = []
        Registration.objects.bulk_create(rows, batch_size=BATCH)

        progress("slots and meetings (50,000)")
        sessions = [e for e in events if e.kind == "matching_session"]
        slots = MeetingSlot.objects.bulk_create(
            (
                MeetingSlot(
                    event=e,
                    starts_at=e.starts_at + dt.timedelta(minutes=20 * s),
                    ends_at=e.starts_at + dt.timedelta(minutes=20 * s + 20),
                )
                for e in sessions
                for s in range(SLOTS)
            ),
            batch_size=BATCH,
        )
        registrations: dict[int, list[int]] = {}
        for event_id, pk in (
            Registration.objects.filter(event__kind="matching_session")
            .order_by("event_id", "pk")
            .values_list("event_id", "pk")
            .iterator(chunk_size=BATCH)
        ):
            registrations.setdefault(event_id, []).append(pk)
        meetings = []
        for n, slot in enumerate(slots):
            regs, s = registrations[slot.event_id], n % SLOTS
            for t in range(TABLES):
                # a in 0..4, b in 5..39: each once per slot, each pair once per session
                b = 5 + (7 * t + s) % 35
                meetings.append(
                    Meeting(
                        event_id=slot.event_id,
                        registration_a_id=regs[t],
                        registration_b_id=regs[b],
                        slot=slot,
                        table=t + 1,
                    )
                )
        Meeting.objects.bulk_create(meetings, batch_size=BATCH)


def prepare() -> None:
    """Migrate, and fill the database unless a previous run did."""
    from bench.database import prepare as prepare_database
    from events.models import Event

    def fill() -> None:
        data = Fill()
        data.journey(data.companies())
        data.events()

    prepare_database(Event, EVENTS, fill, "events")


def measure(runs: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.matching.models import Meeting
    from events.models import Registration
    from incubator.reports.kpi import kpi_report
    from incubator.reports.period import Period
    from incubator.reports.workbook import report_workbook

    print(
        f"rows: {Registration.objects.count():,} registrations, "
        f"{Meeting.objects.count():,} meetings"
    )
    year = Period.parse("2025-01-01", "2025-12-31")
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            report = kpi_report(year)
            times.append(time.perf_counter() - start)
    start = time.perf_counter()
    workbook = report_workbook(report, "ko")
    book_time = time.perf_counter() - start
    empty = Period.parse("2030-01-01", "2030-12-31")
    with CaptureQueriesContext(connection) as few:
        kpi_report(empty)
    held = report.value("events", "totals", "held")
    print(f"yearly KPI report of {year}: {len(queries)} queries ({held:,} events held)")
    print(f"  time: median {statistics.median(times) * 1000:.0f} ms of {runs} runs")
    print(f"  workbook: {book_time * 1000:.0f} ms, {len(workbook) / 1024:.0f} KiB")
    print(f"  queries on a year without data: {len(few)} (must not be more than the above)")
    # The median of the service requests' time to resolve is skipped with none resolved.
    return 0 if len(few) <= len(queries) <= len(few) + 1 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed reports")
    options = parser.parse_args()
    from bench.database import set_up

    not_run = set_up(DATABASE_URL, "KPI report benchmark")
    if not_run is not None:
        return not_run
    prepare()
    return measure(options.runs)


if __name__ == "__main__":
    sys.exit(main())
