"""Benchmark of the partner API's company list against a bare Django view, through gunicorn.

Run from the repository root:
    .venv/bin/python bench/bench_api.py [--size small|full] [--figures F] [--requests N] [--profile]

At full size uses a PostgreSQL database of its own, BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/incubator_bench): creates it when missing, migrates it,
and fills it once with 10,000 consenting companies enrolled at stages open to partners,
with patents, certifications and funding rounds (seeded, so every run sees the same data);
a later run reuses it. At --size small, 1,000 such companies in a throwaway database on the
same server. Makes a partner key (scope companies:read), starts gunicorn (2
workers, gthread with 1 thread so that a connection is kept alive) on a free port with
bench.settings (the project's settings with DEBUG off, plus the bare view of
bench/views.py), warms both URLs up, then times N (default 200; 50 at --size small) calls
to each, interleaved, on one keep-alive connection:

    GET /api/v1/companies/?page_size=100      (key, throttle, filters, count, serializer)
    GET /bench/companies/                     (the same 100 rows from .values() as JSON)

Prints the rows, the median and p95 of each, the ratio of the medians and the target
(ratio <= 3), and the queries of one API call (in process, with Django's test client), and
writes the figures (bench/protocol.py). --profile adds a cProfile of 20 such in-process
calls. Exits non-zero when a call fails or lists the wrong rows, or when PostgreSQL cannot
be reached and REQUIRE_SERVICES=1 (as in CI); a missed ratio is "not met", not an error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import os
import random
import secrets
import statistics
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.protocol import Figures, add_arguments  # noqa: E402
from bench.server import call, free_port, make_key, p95, revoke, start_gunicorn, stop  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/incubator_bench"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
# The same settings in this process and in gunicorn's workers: production's (DEBUG off),
# the bench database, and a key of the run's own when none is set.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "0",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + secrets.token_urlsafe(40),
}
os.environ.update(SERVER_ENV)

COMPANIES = {"small": 1_000, "full": 10_000}
REQUESTS = {"small": 50, "full": 200}
PAGE = 100
TARGET = 3.0
WARMUP = 20
BATCH = 2_000
API_PATH = f"/api/v1/companies/?page_size={PAGE}"
BARE_PATH = "/bench/companies/"
# gthread with 1 thread, so that a worker keeps the one timing connection alive.
SERVER_OPTIONS = ["--workers=2", "--worker-class=gthread", "--threads=1"]


def brn(index: int) -> str:
    from companies import validators

    prefix = f"{110 + index // 9000:03d}81{1000 + index % 9000:04d}"
    return prefix + validators.brn_check_digit(prefix)


def korean_name(rng: random.Random) -> str:
    syllables = "가나다라마바사아자차카타파하한중미래기술로봇데이터바이오에너지"
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 5)))


def progress(text: str) -> None:
    print(f"\rfill: {text:<70}", end="", flush=True)


def populate(count: int = COMPANIES["full"], seed: int = 2020) -> None:
    """Fill the database with `count` consenting enrolled companies and their evidence."""
    from django.utils import timezone

    from companies.models import (
        Certification,
        CertificationKind,
        Company,
        FundingRound,
        Patent,
        Sector,
    )
    from programs.models import Cohort, Enrollment, Program

    rng = random.Random(seed)
    today = timezone.localdate()

    def day(first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=rng.randrange((last - first).days + 1))

    progress("companies")
    Company.objects.bulk_create(
        [
            Company(
                name_ko=f"{korean_name(rng)} {i}",
                name_zh=f"韩中科技 {i}" if rng.random() < 0.6 else "",
                name_en=f"Bench company {i}",
                brn=brn(i),
                founded_on=day(dt.date(2008, 1, 1), today - dt.timedelta(days=200)),
                sector=rng.choice(Sector.values),
                city=rng.choice(["Seoul", "Busan", "Daejeon", "Harbin"]),
                website=f"https://bench-{i}.example",
                employees=rng.randint(2, 200),
                consent_to_partners=True,
                speaks_zh=rng.random() < 0.3,
                speaks_en=rng.random() < 0.6,
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )
    companies = list(Company.objects.order_by("pk").values_list("pk", "founded_on"))

    progress("cohorts and enrollments")
    program = Program.objects.create(name_ko="벤치 프로그램", name_en="Bench program")
    cohorts = Cohort.objects.bulk_create(
        [
            Cohort(
                program=program,
                label_en=f"Bench cohort {n}",
                starts_on=today - dt.timedelta(days=90 * (n + 1)),
                ends_on=today + dt.timedelta(days=365 - 90 * n),
            )
            for n in range(8)
        ]
    )
    stage_weights = {"incubation": 4, "acceleration": 3, "industrialization": 2, "graduated": 1}
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                company_id=company_id,
                cohort=cohort,
                stage=rng.choices(list(stage_weights), list(stage_weights.values()))[0],
                started_on=cohort.starts_on,
            )
            for company_id, _founded in companies
            for cohort in [rng.choice(cohorts)]
        ],
        batch_size=BATCH,
    )

    progress("evidence")
    patents, certifications, fundings = [], [], []
    for company_id, founded_on in companies:
        for n in range(rng.randint(1, 3)):
            applied_on = day(founded_on, today - dt.timedelta(days=30))
            registered = rng.random() < 0.5
            patents.append(
                Patent(
                    company_id=company_id,
                    jurisdiction=rng.choice(["KR", "KR", "CN", "PCT"]),
                    status="registered" if registered else "application",
                    number=f"10-{applied_on.year}-{company_id * 3 + n:07d}",
                    title=f"Method {n}",
                    applied_on=applied_on,
                    registered_on=min(applied_on + dt.timedelta(days=500), today)
                    if registered
                    else None,
                )
            )
        for n in range(rng.randint(0, 3)):
            issued_on = day(dt.date(2016, 1, 1), today - dt.timedelta(days=10))
            certifications.append(
                Certification(
                    company_id=company_id,
                    kind=rng.choice(CertificationKind.values),
                    number=f"C-{company_id}-{n}",
                    issued_on=issued_on,
                    expires_on=None
                    if rng.random() < 0.2
                    else issued_on + dt.timedelta(days=rng.choice([730, 1095, 1460])),
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
    for name, model, rows in (
        ("patents", Patent, patents),
        ("certifications", Certification, certifications),
        ("funding rounds", FundingRound, fundings),
    ):
        # Named here: a model's verbose name is in the active language (Korean by default).
        progress(f"{len(rows):,} {name}")
        model.objects.bulk_create(rows, batch_size=BATCH)
    progress(
        f"{len(companies):,} companies, {len(patents):,} patents, "
        f"{len(certifications):,} certifications, {len(fundings):,} funding rounds"
    )
    print()


def prepare() -> None:
    """Migrate, and fill the database unless a previous run did."""
    from bench.database import prepare as prepare_database
    from companies.models import Company

    prepare_database(Company, COMPANIES["full"], populate, "companies")


def in_process(key: str, profile: bool) -> tuple[list, list[int]]:
    """Call the API in this process; return (its queries, the ids it listed)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(
        HTTP_HOST="127.0.0.1",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
        HTTP_X_FORWARDED_PROTO="https",
    )
    for _ in range(3):  # the first call writes the key's last use; later ones do not
        answer = client.get(API_PATH)
        assert answer.status_code == 200, (answer.status_code, answer.content[:500])
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(API_PATH)
    # A copy now: the next request's request_started signal empties the connection's log.
    queries = list(captured.captured_queries)
    assert answer.status_code == 200, answer.status_code
    ids = [row["id"] for row in answer.json()["results"]]
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            client.get(API_PATH)
        profiler.disable()
        print("\ncProfile of 20 in-process API calls:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    return queries, ids


def measure(port: int, key: str, requests: int) -> tuple[dict, tuple[int, int], dict]:
    """Time `requests` calls of each URL; return (seconds, (rows, API count), bytes) per URL."""
    import json

    auth = {"Authorization": f"Api-Key {key}"}
    paths = {"api": API_PATH, "bare": BARE_PATH}
    # Warm-up on fresh connections, so that either worker may take them.
    for _ in range(WARMUP):
        for path in paths.values():
            connection = http.client.HTTPConnection("127.0.0.1", port)
            status, body, _ = call(connection, path, auth)
            connection.close()
            assert status == 200, (path, status, body[:500])
    connection = http.client.HTTPConnection("127.0.0.1", port)
    times: dict[str, list[float]] = {"api": [], "bare": []}
    bodies, closed = {}, 0
    for n in range(requests):
        # Interleaved, each first in turn, so that drift in the machine's load hits both.
        for name in ("api", "bare") if n % 2 == 0 else ("bare", "api"):
            status, body, seconds = call(connection, paths[name], auth)
            assert status == 200, (name, status, body[:500])
            times[name].append(seconds)
            bodies[name] = body
            closed += connection.sock is None  # http.client reopens on the next call
    connection.close()
    if closed:
        print(f"warning: the server closed the connection {closed} times")
    api_page = json.loads(bodies["api"])
    api_ids = [row["id"] for row in api_page["results"]]
    bare_ids = [row["id"] for row in json.loads(bodies["bare"])["results"]]
    if api_ids != bare_ids:
        raise SystemExit("the bare view and the API list different companies")
    sizes = {name: len(body) for name, body in bodies.items()}
    return times, (len(api_ids), api_page["count"]), sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--requests", type=int, help="timed calls per URL (default by --size)")
    parser.add_argument("--profile", action="store_true", help="cProfile the in-process call")
    options = parser.parse_args()
    requests = options.requests or REQUESTS[options.size]

    from bench.database import database_url, fill_now, set_up, throwaway_database

    full = options.size == "full"
    not_run = set_up(DATABASE_URL, "Partner API benchmark", keep=full)
    if not_run is not None:
        return not_run
    with contextlib.ExitStack() as stack:
        if full:
            prepare()
        else:
            stack.enter_context(throwaway_database("bench_api"))
            fill_now(lambda: populate(COMPANIES["small"]))
            # gunicorn's workers on the throwaway database too
            SERVER_ENV["DATABASE_URL"] = os.environ["DATABASE_URL"] = database_url()
        key_row, key = make_key(["companies:read"])
        server = None
        try:
            queries, ids = in_process(key, options.profile)
            port = free_port()
            server = start_gunicorn(port, SERVER_OPTIONS, BARE_PATH)
            times, (rows, listed), sizes = measure(port, key, requests)
        finally:
            if server is not None:
                stop(server)
            revoke(key_row)

    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    ratio = medians["api"] / medians["bare"]
    print(
        f"\nrows per call: {rows} (of {listed:,} companies listed); {requests} calls "
        "per URL, interleaved, on one keep-alive connection\n"
    )
    widths = (40, 10, 10, 8)

    def line(*cells) -> str:
        first, *rest = cells
        return " | ".join(
            [f"{first:<{widths[0]}}", *(f"{c:>{w}}" for c, w in zip(rest, widths[1:], strict=True))]
        )

    print(line("URL", "median ms", "p95 ms", "bytes"))
    print("-+-".join("-" * w for w in widths))
    for name, path in (("api", API_PATH), ("bare", BARE_PATH)):
        print(
            line(path, f"{medians[name]:.2f}", f"{p95(times[name]) * 1000:.2f}", f"{sizes[name]:,}")
        )
    print(f"\nqueries of one API call (in process, Django's test client): {len(queries)}")
    for query in queries:
        print(f"  {query['time']:>6} s  {query['sql'][:140]}")
    met = ratio <= TARGET
    print(
        f"\ntarget: median(API) / median(bare view) <= {TARGET:g}: "
        f"{'OK' if met else 'MISSED'} ({ratio:.2f})"
    )
    figures = Figures()
    what = f"{PAGE} of {listed:,} companies, {requests} calls"
    figures.add(f"partner API company list ({what}): p50", medians["api"], "ms")
    figures.add("partner API company list: p95", p95(times["api"]) * 1000, "ms")
    figures.add("bare JSON view of the same rows (the floor): p50", medians["bare"], "ms")
    figures.add("partner API p50 / floor p50 (same run)", ratio, "x", f"<= {TARGET:g}", met)
    figures.add("partner API company list: queries per call", len(queries), "queries")
    figures.write(options.figures)
    if rows != PAGE or len(ids) != PAGE:
        raise SystemExit(f"expected {PAGE} rows per call, got {rows} (in process {len(ids)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
