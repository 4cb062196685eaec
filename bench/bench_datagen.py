"""Benchmark of the data generator (bench/datagen) at issue 13's sizes: its time and rate.

Run from the repository root:
    .venv/bin/python bench/bench_datagen.py [--size small|full] [--figures F] [--seed N]

Creates a throwaway database from DATABASE_URL (PostgreSQL in CI; the SQLite fallback works
too) and generates in it, seeded (42), issue 13's sizes: 10,000 companies with evidence,
5,000 events, 200,000 registrations, 50,000 meetings and 20,000 service requests, with
what goes with them (members, partners, applications, enrollments, the fund...); at --size
small a fiftieth of each. Prints the rows and seconds of each table and writes the figures
(bench/protocol.py): the total time, against the issue's "in minutes" (under 10 min), and
the rows per second. Exits non-zero unless the generator made exactly what was asked.

The database is dropped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.database import setup_django, throwaway_database  # noqa: E402
from bench.protocol import Figures, add_arguments  # noqa: E402

setup_django()

from django.db import connection  # noqa: E402

from bench.datagen import cli, sizes  # noqa: E402

SCALES = {"small": 0.02, "full": 1.0}
MAX_MINUTES = 10  # "in minutes"
# The models of the sizes asked for, by the keys of bench.datagen.FULL.
MODELS = {
    "companies": "companies.Company",
    "events": "events.Event",
    "registrations": "events.Registration",
    "meetings": "events.Meeting",
    "service_requests": "programs.ServiceRequest",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--seed", type=int, default=42, help="default 42")
    options = parser.parse_args()
    wanted = sizes(SCALES[options.size])
    with throwaway_database("bench_datagen") as database:
        print(f"Data generator benchmark on {connection.vendor} (throwaway database {database})")
        # No query log in memory while hundreds of thousands of rows are inserted.
        from django.conf import settings

        settings.DEBUG = False
        run = cli.main({**wanted, "seed": options.seed}, print)
    made, seconds = run.model_counts, run.total_seconds

    wrong = {
        key: (count, made.get(MODELS[key], 0))
        for key, count in wanted.items()
        if made.get(MODELS[key], 0) != count
    }
    rows = sum(made.values())
    figures = Figures()
    full = options.size == "full"
    which = "issue 13's sizes" if full else "a fiftieth of issue 13's sizes"
    figures.add(
        f"data generator, {which} ({wanted['companies']:,} companies...): total time",
        seconds,
        "s",
        f"in minutes (< {MAX_MINUTES * 60} s)" if full else "",
        seconds < MAX_MINUTES * 60 if full else None,
    )
    figures.add(f"data generator: rows per second ({rows:,} rows in all)", rows / seconds, "/s")
    figures.write(options.figures)
    for key, (asked, got) in wrong.items():
        print(f"FAILED: {asked:,} {key.replace('_', ' ')} asked, {got:,} made")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
