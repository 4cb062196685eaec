"""Benchmark of programs.admissions.screening.screen, pure and in memory.

Run from the repository root:  .venv/bin/python bench/bench_screening_pure.py [count]
Screens `count` (default 10,000) generated applications in English and in the
project's default language, and exits non-zero when one pass takes 1 s or more.
"""

from __future__ import annotations

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

MAX_SECONDS = 1.0
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
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    apps = generate(count)
    failed = False
    for language in dict.fromkeys(["en", settings.LANGUAGE_CODE]):
        seconds = min(run(apps, language) for _ in range(3))
        rate = count / seconds
        ok = seconds < MAX_SECONDS * count / 10_000
        failed |= not ok
        print(
            f"{language}: {count} applications in {seconds:.3f} s "
            f"({rate:,.0f}/s, {seconds / count * 1e6:.1f} µs each) {'ok' if ok else 'TOO SLOW'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
