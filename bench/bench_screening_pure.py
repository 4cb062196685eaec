"""Benchmark of programs.admissions.screening.screen, pure and in memory.

Run from the repository root:
    .venv/bin/python bench/bench_screening_pure.py [--size small|full] [--figures F] [count]

Screens `count` (default 10,000; 2,000 at --size small) generated applications, seeded, in
English and in the project's default language, three passes each, and reports the best
pass's time per application against the target: 10,000 in under 1 s, 100 µs each
(bench/protocol.py). A slow pass is "not met", not an error.
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

import django  # noqa: E402
from django.conf import settings  # noqa: E402

if (
    os.environ.get("DJANGO_SETTINGS_MODULE")
    or (Path(__file__).resolve().parents[1] / "incubator" / "settings.py").exists()
):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incubator.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
else:
    settings.configure(USE_I18N=True, LANGUAGE_CODE="en")
django.setup()

from django.utils import translation  # noqa: E402

from bench.protocol import Figures, add_arguments  # noqa: E402
from programs.admissions.screening import (  # noqa: E402
    CERTIFICATION_KINDS,
    SECTORS,
    CertificationFact,
    CompanyFacts,
    FundingFact,
    MarketFact,
    PatentFact,
    Policy,
    screen,
)

MAX_SECONDS = 1.0  # for 10,000 applications
COUNTS = {"small": 2_000, "full": 10_000}
ON = dt.date(2025, 5, 20)
POLICY = Policy(version=1, sectors_accepted={"ai", "scitech_finance", "intelligent_manufacturing"})


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def generate(count: int, seed: int = 1) -> list[tuple]:
    """Return count argument tuples for screen(), with 0 to 4 facts of each kind."""
    rng = random.Random(seed)
    apps = []
    for n in range(count):
        company = CompanyFacts(
            _day(rng, dt.date(2015, 1, 1), dt.date(2025, 5, 1)), rng.choice(SECTORS)
        )
        patents = [
            PatentFact(
                n * 100 + i,
                rng.choice(["KR", "CN", "PCT"]),
                rng.choice(["application", "registered"]),
                f"10-{rng.randrange(1_000_000, 9_999_999)}",
                "Title",
            )
            for i in range(rng.randrange(5))
        ]
        fundings = [
            FundingFact(
                n * 100 + 10 + i,
                "seed",
                Decimal(rng.randrange(1, 5000) * 1_000_000),
                "KRW",
                _day(rng, dt.date(2018, 1, 1), dt.date(2025, 12, 31)),
            )
            for i in range(rng.randrange(3))
        ]
        markets = [
            MarketFact(
                n * 100 + 20 + i,
                "contract",
                rng.choice([None, Decimal(rng.randrange(1000, 900_000))]),
                "USD",
                _day(rng, dt.date(2018, 1, 1), dt.date(2025, 12, 31)),
            )
            for i in range(rng.randrange(3))
        ]
        certifications = []
        for i in range(rng.randrange(3)):
            issued = _day(rng, dt.date(2018, 1, 1), dt.date(2025, 5, 1))
            expires = rng.choice([None, issued + dt.timedelta(days=3 * 365)])
            certifications.append(
                CertificationFact(
                    n * 100 + 30 + i, rng.choice(CERTIFICATION_KINDS), f"{n}-{i}", issued, expires
                )
            )
        apps.append((company, patents, fundings, markets, certifications))
    return apps


def run(apps: list[tuple], language: str) -> float:
    with translation.override(language):
        screen(POLICY, *apps[0], ON)  # load the catalogue outside the timing
        start = time.perf_counter()
        for company, patents, fundings, markets, certifications in apps:
            screen(POLICY, company, patents, fundings, markets, certifications, ON)
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("count", type=int, nargs="?", help="applications (default by --size)")
    options = parser.parse_args()
    count = options.count or COUNTS[options.size]
    apps = generate(count)
    figures = Figures()
    limit = MAX_SECONDS / 10_000 * 1e6  # µs per application
    for language in dict.fromkeys(["en", settings.LANGUAGE_CODE]):
        seconds = min(run(apps, language) for _ in range(3))
        each = seconds / count * 1e6
        ok = figures.add(
            f"pure screening, {language}: per application (best of 3 × {count:,})",
            each,
            "µs",
            f"< {limit:g} µs (10,000 in < {MAX_SECONDS:g} s)",
            each < limit,
        )
        print(
            f"{language}: {count} applications in {seconds:.3f} s "
            f"({count / seconds:,.0f}/s, {each:.1f} µs each) {'ok' if ok else 'TOO SLOW'}"
        )
    figures.write(options.figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
