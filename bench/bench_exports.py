"""Benchmark of the streamed list exports (incubator.exports) on a real database.

Run from the repository root:
    .venv/bin/python bench/bench_exports.py [--size small|full] [--figures F] [count]

Creates a throwaway database from DATABASE_URL (PostgreSQL in CI; the SQLite fallback, in a
file, works too), fills it with `count` (default 200,000; 10,000 at --size small) guest
registrations over 100 events with bulk_create, then runs the registrations admin's export
view as the center manager, CSV then XLSX, and reads each response to the end into a sink
that only counts bytes. Prints, for each format, the time, the size, the queries and the
peak RSS of the process during that export (the kernel's high-water mark, reset just before
it starts, /proc/self/clear_refs), writes the figures (bench/protocol.py), and exits
non-zero unless every peak stays under 150 MB and the export sends a number of queries that
does not depend on the rows (a memory that grows with the rows is a bug, not noise).

The database is dropped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.database import print_target, setup_django, throwaway_database  # noqa: E402
from bench.protocol import Figures, add_arguments  # noqa: E402

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

MAX_PEAK_MB = 150
COUNTS = {"small": 10_000, "full": 200_000}
EVENTS = 100
BATCH = 5_000


def rss_mb(field: str) -> float:
    """Return VmRSS (now) or VmHWM (peak since the last reset) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} is not in /proc/self/status")


def reset_peak() -> None:
    # "5" resets the peak resident set size to the current one (Linux 4.0+).
    Path("/proc/self/clear_refs").write_text("5")


def create_events() -> list[int]:
    from events.models import Event

    start = timezone.now() + dt.timedelta(days=30)
    Event.objects.bulk_create(
        [
            Event(
                kind="roadshow",
                status="published",
                title_ko=f"벤치 로드쇼 {n}",
                title_zh=f"路演 {n}",
                title_en=f"Bench roadshow {n}",
                starts_at=start + dt.timedelta(days=n),
                ends_at=start + dt.timedelta(days=n, hours=4),
                time_zone="Asia/Shanghai",
                venue_en="Harbin",
            )
            for n in range(EVENTS)
        ]
    )
    return list(Event.objects.order_by("pk").values_list("pk", flat=True))


def populate(events: list[int], first_row: int, count: int) -> None:
    """Create guest registrations first_row to count - 1, in batches."""
    from events.models import Registration, search_key

    for first in range(first_row, count, BATCH):
        batch = []
        for i in range(first, min(first + BATCH, count)):
            name = f"김민지 Guest {i}"
            batch.append(
                Registration(
                    event_id=events[i % EVENTS],
                    kind="guest",
                    name=name,
                    search_name=search_key(name),
                    guest_email=f"guest{i}@example.kr",
                    affiliation="하얼빈 협회",
                    speaks_ko=True,
                    badge_code=f"B{i:09d}",
                )
            )
        Registration.objects.bulk_create(batch, batch_size=BATCH)
        del batch


class Sink:
    """Reads a response to the end and keeps only its size."""

    def __init__(self):
        self.size = 0

    def drain(self, response) -> None:
        for chunk in response:
            self.size += len(chunk)
        response.close()


def export(fmt: str, manager) -> tuple[float, float, int, int, float]:
    """Run one export; return (seconds, peak MB, bytes, queries, RSS MB before)."""
    from django.contrib.admin import site
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    from events.models import Registration

    request = RequestFactory().get(f"/admin/events/registration/export/{fmt}/")
    request.user = manager
    request.session = {}
    request._messages = FallbackStorage(request)
    model_admin = site._registry[Registration]
    sink = Sink()
    before = rss_mb("VmRSS")
    reset_peak()
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        sink.drain(model_admin.export_view(request, fmt))
        seconds = time.perf_counter() - began
    return seconds, rss_mb("VmHWM"), sink.size, len(captured), before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("count", type=int, nargs="?", help="registrations (default by --size)")
    options = parser.parse_args()
    count = options.count or COUNTS[options.size]
    results = []
    # On SQLite a file, not memory: the rows would otherwise count in this process's RSS.
    with throwaway_database("bench_exports", sqlite_file=True):
        # No query log in memory while 200,000 rows are inserted.
        settings.DEBUG = False
        from incubator.models import User

        manager = User.objects.create_superuser("bench-manager@center.example", "x" * 12)
        events = create_events()
        populate(events, 0, 10)
        small = export("csv", manager)
        began = time.perf_counter()
        populate(events, 10, count)
        print(
            f"Export benchmark on {connection.vendor}: {count:,} registrations "
            f"({time.perf_counter() - began:.1f} s to create)"
        )
        for fmt in ("csv", "xlsx"):
            results.append((fmt, *export(fmt, manager)))

    header = ("format", "seconds", "peak RSS MB", "RSS before MB", "MB written", "queries")
    print(" | ".join(f"{h:>13}" for h in header))
    for fmt, seconds, peak, size, queries, before in results:
        cells = (fmt, f"{seconds:.1f}", f"{peak:.0f}", f"{before:.0f}", f"{size / 1e6:.1f}")
        print(" | ".join(f"{c:>13}" for c in (*cells, str(queries))))
    flat = all(peak < MAX_PEAK_MB for _f, _s, peak, _z, _q, _b in results)
    constant = small[3] == results[0][4]
    peaks = ", ".join(f"{fmt} {peak:.0f} MB" for fmt, _s, peak, *_rest in results)
    print_target(f"peak RSS under {MAX_PEAK_MB} MB for each format", flat, peaks)
    print_target(
        "queries independent of rows",
        constant,
        f"{small[3]} for 10 rows, {results[0][4]} for {count:,}",
    )
    figures = Figures()
    for fmt, seconds, peak, size, _queries, _before in results:
        name = f"{fmt.upper()} export of {count:,} registrations"
        figures.add(f"{name}: peak RSS", peak, "MB", f"< {MAX_PEAK_MB} MB", peak < MAX_PEAK_MB)
        figures.add(f"{name}: time ({size / 1e6:.1f} MB written)", seconds, "s")
    figures.add(
        f"CSV export: queries for {count:,} registrations",
        results[0][4],
        "queries",
        f"= the queries for 10 ({small[3]})",
        constant,
    )
    figures.write(options.figures)
    return 0 if flat and constant else 1


if __name__ == "__main__":
    sys.exit(main())
