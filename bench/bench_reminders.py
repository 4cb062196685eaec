"""Benchmark of the reminders sweep (incubator/reminders.py) over 20,000 due reminders.

Run from the repository root:
    .venv/bin/python bench/bench_reminders.py [--size small|full] [--figures F] [count]

Creates a throwaway database from DATABASE_URL (PostgreSQL in CI; the SQLite fallback works
too) with 200 published events starting in 24 hours and `count` (default 20,000; 2,000 at
--size small) registrations among them in bulk (half Korean members in Asia/Seoul, half
Chinese in Asia/Shanghai), then runs the sweep at the events' 24-hour moment and prints its
time, its throughput, the number of queries and the outbox rows written, which must be
exactly `count`; a second sweep must write 0. The delivery tasks the sweep enqueues after
commit are counted, not sent (no broker is needed, and no worker delivers the bench's
messages). Writes the figures (bench/protocol.py).

Exits non-zero unless both counts are right. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.database import setup_django, throwaway_database  # noqa: E402
from bench.protocol import Figures, add_arguments  # noqa: E402

setup_django()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

COUNTS = {"small": 2_000, "full": 20_000}
EVENTS = 200
BATCH = 2_000
START = dt.datetime(2026, 12, 10, 1, 0, tzinfo=dt.UTC)


def populate(count: int) -> None:
    from companies.models import Company
    from events.models import Event, Registration
    from incubator.models import User

    company = Company.objects.create(
        name_ko="벤치마크", brn="1108100010", founded_on=dt.date(2018, 1, 1), sector="ai"
    )
    events = Event.objects.bulk_create(
        Event(
            kind=Event.Kind.TRAINING,
            status=Event.Status.PUBLISHED,
            title_ko=f"벤치마크 행사 {n}",
            title_en=f"Bench event {n}",
            starts_at=START + dt.timedelta(minutes=n % 4),
            ends_at=START + dt.timedelta(hours=2),
            time_zone="Asia/Shanghai" if n % 2 else "Asia/Seoul",
            venue_ko="하얼빈 빈시 한중 혁신 센터",
        )
        for n in range(EVENTS)
    )
    for first in range(0, count, BATCH):
        numbers = range(first, min(first + BATCH, count))
        users = User.objects.bulk_create(
            User(
                email=f"bench{n}@example.kr",
                full_name=f"Bench {n}",
                language="ko" if n % 2 else "zh-hans",
                time_zone="Asia/Seoul" if n % 2 else "Asia/Shanghai",
                password="!",
            )
            for n in numbers
        )
        Registration.objects.bulk_create(
            Registration(
                event=events[n % EVENTS],
                kind=Registration.Kind.STARTUP,
                user=user,
                company=company,
                name=user.full_name,
                search_name=user.full_name.lower(),
            )
            for n, user in zip(numbers, users, strict=True)
        )


def timed_sweep(moment: dt.datetime):
    from incubator import reminders

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = reminders.reminders_sweep(now=moment, codes=["event_24h"])
        seconds = time.perf_counter() - started
    return result, seconds, len(queries.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("count", type=int, nargs="?", help="due reminders (default by --size)")
    options = parser.parse_args()
    count = options.count or COUNTS[options.size]
    enqueued = []
    with throwaway_database("bench_reminders"):
        from incubator.models import OutboxMessage

        print(f"Reminders sweep benchmark on {connection.vendor} ({count:,} due reminders)")
        started = time.perf_counter()
        populate(count)
        print(f"setup: {time.perf_counter() - started:.1f} s")
        moment = START - dt.timedelta(hours=24) + dt.timedelta(minutes=5)
        with mock.patch(
            "incubator.services.task_send", lambda name, *args, **kw: enqueued.append(args)
        ):
            first, seconds, queries = timed_sweep(moment)
            rows = OutboxMessage.objects.count()
            second, seconds_again, queries_again = timed_sweep(moment + dt.timedelta(minutes=5))

    delivered = sum(len(ids) for (ids,) in enqueued)
    print(
        f"first sweep:  {first.written:,} written in {seconds:.2f} s "
        f"({first.written / seconds:,.0f} reminders/s), {queries} queries"
    )
    print(f"outbox rows after the first sweep: {rows:,}")
    print(f"delivery tasks enqueued after commit: {len(enqueued)} for {delivered:,} messages")
    print(
        f"second sweep: {second.written:,} written in {seconds_again:.2f} s, "
        f"{queries_again} queries"
    )
    once = first.written == rows == count == delivered
    figures = Figures()
    figures.add(
        f"reminders sweep over {count:,} due: outbox rows written (and enqueued)",
        rows if rows == first.written == delivered else f"{first.written} / {rows} / {delivered}",
        "rows",
        f"= {count:,}",
        once,
    )
    figures.add(
        "reminders sweep run again: outbox rows written",
        second.written,
        "rows",
        "= 0",
        second.written == 0,
    )
    figures.add("reminders sweep: reminders per second", first.written / seconds, "/s")
    figures.add("reminders sweep: queries of the first sweep", queries, "queries")
    figures.write(options.figures)
    ok = once and second.written == 0
    print("OK" if ok else f"FAILED: expected {count:,} rows and 0 on the second sweep")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
