"""Benchmark of the reminders sweep (incubator/reminders.py) over 20,000 due reminders.

Run from the repository root:  .venv/bin/python bench/bench_reminders.py [count]

Creates a throwaway test database from DATABASE_URL (PostgreSQL in CI; the SQLite fallback
works too) with 200 published events starting in 24 hours and `count` (default 20,000)
registrations among them in bulk (half Korean members in Asia/Seoul, half Chinese in
Asia/Shanghai), then runs the sweep at the events' 24-hour moment and prints its time, its
throughput, the number of queries and the outbox rows written, which must be exactly
`count`; a second sweep must write 0. The delivery tasks the sweep enqueues after commit are
counted, not sent (no broker is needed, and no worker delivers the bench's messages).

Exits non-zero unless both counts are right. The database is dropped at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DJANGO_SETTINGS_MODULE"] = "incubator.settings"
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    teardown_databases,
)

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
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    if connection.vendor != "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = (
            f"test_bench_reminders_{os.getpid()}"
        )
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    enqueued = []
    try:
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
    finally:
        teardown_databases(old_config, verbosity=0)

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
    ok = first.written == rows == count == delivered and second.written == 0
    print("OK" if ok else f"FAILED: expected {count:,} rows and 0 on the second sweep")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
