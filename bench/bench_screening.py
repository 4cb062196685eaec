"""Benchmark of admissions applications_screen (bulk screening) on a real database.

Run from the repository root:
    .venv/bin/python bench/bench_screening.py [--size small|full] [--figures F] [count]

Creates a throwaway database from DATABASE_URL (PostgreSQL in CI; the SQLite fallback works
too), fills it with `count` (default 10,000; 1,000 at --size small) companies with evidence
(1-3 patents, 0-2 funding rounds, 0-1 market validation, 0-2 certifications), seeded, and
one submitted application each, then screens a tenth of them and all of them in one call
each (three times each, earlier results cleared before every run, so each is a first
screening; the best time counts). Prints the number of queries and the rate, and writes the
figures (bench/protocol.py) against the targets:

- the number of queries is the same for a tenth and for all: exits non-zero otherwise;
- at least 2,000 applications/s are screened at `count` (a time: "not met", no error).

The targets are PostgreSQL's, the production database; on the SQLite fallback the numbers
are printed for information only (and the run fails when REQUIRE_SERVICES=1, as in CI).

The database is dropped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.database import print_target, setup_django, throwaway_database  # noqa: E402
from bench.protocol import Figures, add_arguments  # noqa: E402

setup_django()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

MIN_RATE = 2_000  # applications per second
COUNTS = {"small": 1_000, "full": 10_000}
REPEAT = 3  # timed runs per size; the best counts
BATCH = 2_000


def brn(index: int) -> str:
    from companies import validators

    prefix = f"{110 + index // 9000:03d}81{1000 + index % 9000:04d}"
    number = prefix + validators.brn_check_digit(prefix)
    assert validators.brn_is_valid(number), number
    return number


def populate(count: int, seed: int = 2020) -> list[int]:
    """Create `count` companies with evidence and submitted applications; return their ids."""
    from companies.models import Certification, Company, FundingRound, MarketValidation, Patent
    from programs.admissions import services as admissions_services
    from programs.admissions.models import Application, Intake, Program
    from programs.admissions.screening import CERTIFICATION_KINDS, SECTORS

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()

    def day(first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=rng.randrange((last - first).days + 1))

    Company.objects.bulk_create(
        [
            Company(
                name_ko=f"벤치기업 {i}",
                name_en=f"Bench company {i}",
                brn=brn(i),
                founded_on=day(dt.date(2008, 1, 1), today - dt.timedelta(days=200)),
                sector=rng.choice(SECTORS),
                city="Seoul",
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )
    companies = list(Company.objects.order_by("pk").values_list("pk", "founded_on"))

    patents, fundings, markets, certifications = [], [], [], []
    for company_id, founded_on in companies:
        for n in range(rng.randint(1, 3)):
            applied_on = day(founded_on, today - dt.timedelta(days=30))
            registered = rng.random() < 0.5
            patents.append(
                Patent(
                    company_id=company_id,
                    jurisdiction="KR",
                    status="registered" if registered else "application",
                    number=(
                        f"10-{2_000_000 + company_id * 3 + n:07d}"
                        if registered
                        else f"10-{applied_on.year}-{company_id * 3 + n:07d}"
                    ),
                    title=f"Method {n}",
                    applied_on=applied_on,
                    registered_on=min(applied_on + dt.timedelta(days=500), today)
                    if registered
                    else None,
                )
            )
        for _n in range(rng.randint(0, 2)):
            fundings.append(
                FundingRound(
                    company_id=company_id,
                    round_type=rng.choice(["seed", "angel", "series_a", "government"]),
                    amount=Decimal(rng.randrange(10, 2_000)) * 1_000_000,
                    currency="KRW",
                    date=day(founded_on, today),
                )
            )
        if rng.random() < 0.5:
            markets.append(
                MarketValidation(
                    company_id=company_id,
                    kind="customer_contract",
                    description="Supply contract",
                    amount=Decimal(rng.randrange(1, 500)) * 1_000,
                    currency="USD",
                    date=day(founded_on, today),
                )
            )
        for n in range(rng.randint(0, 2)):
            issued_on = day(dt.date(2016, 1, 1), today - dt.timedelta(days=10))
            certifications.append(
                Certification(
                    company_id=company_id,
                    kind=rng.choice(CERTIFICATION_KINDS),
                    number=f"C-{company_id}-{n}",
                    issued_on=issued_on,
                    expires_on=None
                    if rng.random() < 0.2
                    else issued_on + dt.timedelta(days=rng.choice([730, 1095, 1460])),
                )
            )
    for model, rows in (
        (Patent, patents),
        (FundingRound, fundings),
        (MarketValidation, markets),
        (Certification, certifications),
    ):
        model.objects.bulk_create(rows, batch_size=BATCH)

    program = Program.objects.create(name_ko="벤치 프로그램", name_en="Bench program")
    intake = Intake.objects.create(
        program=program,
        label_en="bench",
        opens_at=now - dt.timedelta(days=30),
        closes_at=now + dt.timedelta(days=30),
    )
    from django.contrib.auth.models import Group

    from incubator import roles
    from incubator.models import User

    # Only the center manager publishes the screening policy.
    manager = User.objects.create_user("bench-manager@center.example", is_staff=True)
    manager.groups.add(Group.objects.get(name=roles.CENTER_MANAGER))
    v1 = admissions_services.policy_publish(
        actor=manager, effective_from=now - dt.timedelta(days=3650)
    )
    v2 = admissions_services.policy_publish(
        actor=manager,
        effective_from=now - dt.timedelta(days=10),
        patents_registered_only=True,
        certification_kinds=["venture", "innobiz", "tips"],
        sectors_accepted=["ai", "scitech_finance", "intelligent_manufacturing"],
    )
    Application.objects.bulk_create(
        [
            Application(
                company_id=company_id,
                intake=intake,
                status="submitted",
                step="review",
                submitted_at=now - dt.timedelta(minutes=rng.randrange(1, 40_000)),
                policy=v1 if i % 2 else v2,
            )
            for i, (company_id, _founded) in enumerate(companies)
        ],
        batch_size=BATCH,
    )
    print(
        f"data: {len(companies):,} companies, {len(patents):,} patents, "
        f"{len(fundings):,} funding rounds, {len(markets):,} market validations, "
        f"{len(certifications):,} certifications, {len(companies):,} submitted applications"
    )
    return list(Application.objects.order_by("pk").values_list("pk", flat=True))


def reset_results() -> None:
    """Forget earlier results, so every timed run is a first screening (the worst case)."""
    from programs.admissions.models import Application, ApplicationEvent

    Application.objects.update(screening=None, recommendation="", score=None, screened_at=None)
    ApplicationEvent.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"VACUUM ANALYZE {Application._meta.db_table}, {ApplicationEvent._meta.db_table}"
            )


def measure(ids: list[int]) -> tuple[int, float]:
    """Screen `ids` REPEAT times; return (queries, best seconds)."""
    from programs.admissions import services as admissions_services

    best, counts = None, set()
    for _run in range(REPEAT):
        reset_results()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            screened = admissions_services.applications_screen(application_ids=ids, actor=None)
            seconds = time.perf_counter() - start
        assert screened == len(ids), (screened, len(ids))
        counts.add(len(captured.captured_queries))
        best = seconds if best is None else min(best, seconds)
    if len(counts) != 1:
        raise SystemExit(f"the number of queries changed between runs: {sorted(counts)}")
    return counts.pop(), best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("count", type=int, nargs="?", help="applications (default by --size)")
    options = parser.parse_args()
    count = options.count or COUNTS[options.size]
    small = max(1, count // 10)
    with throwaway_database("bench_screening") as database:
        print(f"Bulk screening benchmark on {connection.vendor} (throwaway database {database})")
        start = time.perf_counter()
        ids = populate(count)
        print(f"setup: {time.perf_counter() - start:.1f} s")
        rows = []
        for size in (small, count):
            queries, seconds = measure(ids[:size])
            rows.append((size, queries, seconds, size / seconds))

    header = ("applications", "queries", "seconds (best of 3)", "apps/s")
    print()
    print(" | ".join(f"{h:>{max(len(h), 12)}}" for h in header))
    print("-+-".join("-" * max(len(h), 12) for h in header))
    for size, queries, seconds, rate in rows:
        cells = (f"{size:,}", str(queries), f"{seconds:.3f}", f"{rate:,.0f}")
        print(" | ".join(f"{c:>{max(len(h), 12)}}" for c, h in zip(cells, header, strict=True)))
    print("queries: every statement Django sent (SELECTs, UPDATE, INSERT, savepoints)")

    (_s, small_q, _t, _r), (_c, big_q, _t2, big_rate) = rows
    constant = small_q == big_q
    fast = big_rate >= MIN_RATE
    checked = connection.vendor == "postgresql"
    # The service writes all results in one statement on PostgreSQL only; SQLite, the local
    # fallback, batches them: there the queries grow, and no target is defined.
    where = "" if checked else f" ({connection.vendor}: PostgreSQL's targets not checked)"
    figures = Figures()
    figures.add(f"bulk screening: queries for {small:,} applications{where}", small_q, "queries")
    figures.add(
        f"bulk screening: queries for {count:,} applications{where}",
        big_q,
        "queries",
        f"= the queries for {small:,}" if checked else "",
        constant if checked else None,
    )
    figures.add(
        f"bulk screening: applications per second at {count:,} (best of 3){where}",
        big_rate,
        "/s",
        f">= {MIN_RATE:,}/s" if checked else "",
        fast if checked else None,
    )
    figures.write(options.figures)
    print()
    if not checked:
        print(
            f"targets NOT CHECKED: they are defined for PostgreSQL, not {connection.vendor} "
            "(set DATABASE_URL=postgres://...)."
        )
        return 1 if os.environ.get("REQUIRE_SERVICES") == "1" else 0
    print_target(
        f"same number of queries for {small:,} and {count:,} applications",
        constant,
        f"{small_q} vs {big_q}",
    )
    print_target(f"at least {MIN_RATE:,} applications/s at {count:,}", fast, f"{big_rate:,.0f}/s")
    return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
