"""A seeded generator of realistic data at scale, for the benchmarks and the load test.

    from bench.datagen import generate
    counts = generate(companies=10_000, events=5_000, registrations=200_000,
                      meetings=50_000, service_requests=20_000, seed=42)

Bulk inserts only (no service call, no per-row save()), in one transaction, on SQLite or
PostgreSQL, on top of the demo data or of another seed's rows: its e-mail addresses carry
the seed (`g42.member17@generated.example.com`), and its BRNs, USCCs and badge codes skip
those in use. The same seed on the same day and the same database gives the same rows.
Every generated account signs in with `companies.PASSWORD` ("generated-data-2020").

Also `python bench/generate.py --help` and, with bench.settings, `manage.py generate`.
"""

from __future__ import annotations

# The sizes of issue 13 (10,000 companies), and a small world for tests and CI.
FULL = {
    "companies": 10_000,
    "events": 5_000,
    "registrations": 200_000,
    "meetings": 50_000,
    "service_requests": 20_000,
}
SMALL = {
    "companies": 50,
    "events": 20,
    "registrations": 500,
    "meetings": 200,
    "service_requests": 100,
}


def sizes(scale: float = 1.0) -> dict[str, int]:
    """Return the full sizes times `scale` (0.01 is a hundredth), each at least 1."""
    return {key: max(1, round(value * scale)) for key, value in FULL.items()}


def generate(**options) -> dict[str, int]:
    """Fill the database; return the number of rows made per model ("companies.Company": n).

    Keywords: companies, events, registrations, meetings, service_requests (default: FULL),
    enrollments (default 40% of the companies), seed (42), progress (True), today.
    """
    from bench.datagen import world  # the models load once Django is set up

    return world.generate(**options)


def run(**options):
    """Generate as generate() does; return the run's context (counts and seconds per table)."""
    from bench.datagen import world

    return world.run(**options)
