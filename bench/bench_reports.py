"""Benchmark of the yearly KPI report on a large dataset: its queries and its time.

Run from the repository root:
    .venv/bin/python bench/bench_reports.py [--size small|full] [--figures F] [--runs N]

At full size uses a PostgreSQL database of its own, BENCH_REPORTS_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/incubator_bench_reports): creates it when missing,
migrates it, and fills it once, in bulk and seeded, with 10,000 companies (enrolled, with
their stage moves, leads, service requests, grants and quarterly reports), 5,000 events
over 2024 and 2025, 200,000 registrations (a third checked in) and 50,000 meetings at
1,000 matching sessions; a later run reuses it. At --size small, a tenth of each, in a
throwaway database on the same server. Then computes the report of 2025 N times (default
3) and prints the queries of one run (the same number as on an empty database: it does not
grow with the data), the median time of the figures, and the time of the workbook, and
writes the figures (bench/protocol.py). Exits non-zero when the query count differs, or
when PostgreSQL cannot be reached and REQUIRE_SERVICES=1 (as in CI).
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
from bench.protocol import Figures, add_arguments  # noqa: E402

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

# Rows per size; a session has 50 meetings and an event 40 registrations.
SIZES = {
    "full": {
        "companies": 10_000,  # and as many leads and enrollments
        "events": 5_000,  # 200,000 registrations
        "sessions": 1_000,  # 50,000 meetings
        "service_requests": 5_000,
        "grants": 2_000,
        "reporting": 4_000,  # companies with 8 quarterly reports each
    },
}
SIZES["small"] = {key: value // 10 for key, value in SIZES["full"].items()}
REGISTRATIONS_PER_EVENT = 40
SLOTS, TABLES = 10, 5  # 50 meetings a session
BATCH = 5_000
HARBIN = zoneinfo.ZoneInfo("Asia/Shanghai")
FIRST, LAST = dt.date(2024, 1, 1), dt.date(2025, 12, 31)


def progress(text: str) -> None:
    print(f"\rfill: {text:<60}", end="", flush=True)


class Fill:
    def __init__(self, sizes: dict[str, int], seed: int = 2025):
        self.rng = random.Random(seed)
        self.sizes = sizes

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
                for i in range(self.sizes["companies"])
            ),
            batch_size=BATCH,
        )
        ids = list(Company.objects.order_by("pk").values_list("pk", flat=True))
        Lead.objects.bulk_create(
            (
                Lead(company_name=f"Lead {i}", source=self.rng.choice(Lead.Source.values))
                for i in range(self.sizes["companies"])
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
        for enrollment in enrollments[: self.sizes["service_requests"]]:
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
                for e in enrollments[: self.sizes["grants"]]
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
                for e in enrollments[: self.sizes["reporting"]]
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
        starts = sorted(self.moment() for _ in range(self.sizes["events"]))
        events = Event.objects.bulk_create(
            (
                Event(
                    kind="matching_session"
                    if n < self.sizes["sessions"]
                    else self.rng.choice(kinds),
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
        progress(f"registrations ({len(events) * REGISTRATIONS_PER_EVENT:,})")
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

        progress(f"slots and meetings ({self.sizes['sessions'] * SLOTS * TABLES:,})")
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


def fill(sizes: dict[str, int]) -> None:
    data = Fill(sizes)
    data.journey(data.companies())
    data.events()


def prepare() -> None:
    """Migrate, and fill the database at full size unless a previous run did."""
    from bench.database import prepare as prepare_database
    from events.models import Event

    full = SIZES["full"]
    prepare_database(Event, full["events"], lambda: fill(full), "events")


def measure(runs: int, figures) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from companies.models import Company
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
    constant = len(few) <= len(queries) <= len(few) + 1
    companies = Company.objects.count()
    figures.add(
        f"yearly KPI report at {companies:,} companies: queries",
        len(queries),
        "queries",
        f"= those of a year without data ({len(few)}), or 1 more",
        constant,
    )
    figures.add(
        f"yearly KPI report: time (median of {runs} runs)", statistics.median(times) * 1000, "ms"
    )
    figures.add("yearly KPI report: its workbook (XLSX)", book_time * 1000, "ms")
    return 0 if constant else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--runs", type=int, default=3, help="timed reports")
    options = parser.parse_args()
    from bench.database import fill_now, set_up, throwaway_database

    full = options.size == "full"
    not_run = set_up(DATABASE_URL, "KPI report benchmark", keep=full)
    if not_run is not None:
        return not_run
    figures = Figures()
    if full:
        prepare()
        code = measure(options.runs, figures)
    else:
        with throwaway_database("bench_reports") as database:
            print(f"data: a tenth of the full size, in {database}")
            fill_now(lambda: fill(SIZES["small"]))
            code = measure(options.runs, figures)
    figures.write(options.figures)
    return code


if __name__ == "__main__":
    sys.exit(main())
