"""Rank competition entries from judges' scores, without letting temperament decide.

Pure: plain values in, plain values out; no Django.

Method
------
1. A judge's *weighted total* for an entry is the criteria's scores as fractions of their
   maxima, weighted and rescaled to 0–100: ``100 × Σ wᵢ·(vᵢ/maxᵢ) / Σ wᵢ``. This is the raw
   score, kept and shown as it is.
2. Per judge, the totals of all entries that judge scored are turned into z-scores
   ``(t − mean) / sd`` (population sd). A lenient judge who gives 7–10 and a harsh one who
   gives 2–5 in the same order get the same z-scores: only the order and spacing of a judge's
   own marks count, not their level. A judge who scored one entry, or gave every entry the
   same total, says nothing about order: their z is 0 (neutral).
3. The z-score is rescaled to 0–100 with the normal distribution's cumulative function,
   ``100 × Φ(z)`` (50 = that judge's average entry), so one extreme mark cannot dominate.
4. An entry's normalised score is the mean of its judges' rescaled scores.

Ranking (a stated, total order)
-------------------------------
Higher normalised score; then higher mean raw weighted total; then more judges; then the
entry entered earlier; then the title, alphabetically (case-insensitive); then the key.
Entries nobody scored come last, unranked.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Number = int | float | Decimal


@dataclass(frozen=True)
class Criterion:
    key: Hashable
    weight: Number
    max_score: Number


@dataclass(frozen=True)
class Entry:
    key: Hashable
    title: str = ""
    created: Any = None  # anything orderable: a datetime, an int; None sorts last


@dataclass(frozen=True)
class Sheet:
    """One judge's scores of one entry: criterion key -> value."""

    judge: Hashable
    entry: Hashable
    values: dict[Hashable, Number]


@dataclass
class JudgeScore:
    judge: Hashable
    raw: float  # weighted total, 0–100
    z: float
    normalized: float  # 100 × Φ(z)


@dataclass
class RankedEntry:
    entry: Entry
    rank: int | None  # 1-based; None when nobody scored the entry
    normalized: float | None
    raw_mean: float | None
    judges: int
    by_judge: list[JudgeScore] = field(default_factory=list)


def weighted_total(values: dict[Hashable, Number], criteria: Iterable[Criterion]) -> float:
    """Return the weighted score of one sheet on a 0–100 scale.

    A criterion missing from `values` counts as 0.
    """
    total = weights = 0.0
    for criterion in criteria:
        weight = float(criterion.weight)
        weights += weight
        total += weight * float(values.get(criterion.key, 0)) / float(criterion.max_score)
    if weights <= 0:
        raise ValueError("the criteria have no weight")
    return 100.0 * total / weights


def _phi(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def judge_z_scores(totals: dict[Hashable, float]) -> dict[Hashable, float]:
    """Return entry -> z-score of one judge's totals (all 0 when they cannot say an order)."""
    n = len(totals)
    if n < 2:
        return dict.fromkeys(totals, 0.0)
    mean = sum(totals.values()) / n
    sd = math.sqrt(sum((t - mean) ** 2 for t in totals.values()) / n)
    if sd < 1e-9:
        return dict.fromkeys(totals, 0.0)
    return {entry: (t - mean) / sd for entry, t in totals.items()}


def _sort_key(row: RankedEntry) -> tuple:
    entry = row.entry
    return (
        -row.normalized,
        -row.raw_mean,
        -row.judges,
        entry.created is None,
        entry.created if entry.created is not None else 0,
        entry.title.casefold(),
        str(entry.key),
    )


def rank(
    sheets: Iterable[Sheet], criteria: Iterable[Criterion], entries: Iterable[Entry]
) -> list[RankedEntry]:
    """Return every entry with its raw and normalised scores, best first (see the module)."""
    criteria = list(criteria)
    entries = {entry.key: entry for entry in entries}
    per_judge: dict[Hashable, dict[Hashable, float]] = defaultdict(dict)
    for sheet in sheets:
        if sheet.entry not in entries:
            raise ValueError(f"sheet for unknown entry {sheet.entry!r}")
        per_judge[sheet.judge][sheet.entry] = weighted_total(sheet.values, criteria)

    by_entry: dict[Hashable, list[JudgeScore]] = defaultdict(list)
    for judge, totals in per_judge.items():
        for entry, z in judge_z_scores(totals).items():
            by_entry[entry].append(JudgeScore(judge, totals[entry], z, 100.0 * _phi(z)))

    scored, unscored = [], []
    for key, entry in entries.items():
        marks = by_entry.get(key)
        if not marks:
            unscored.append(RankedEntry(entry, None, None, None, 0))
            continue
        marks.sort(key=lambda m: str(m.judge))
        scored.append(
            RankedEntry(
                entry,
                None,
                sum(m.normalized for m in marks) / len(marks),
                sum(m.raw for m in marks) / len(marks),
                len(marks),
                marks,
            )
        )
    scored.sort(key=_sort_key)
    for position, row in enumerate(scored, start=1):
        row.rank = position
    unscored.sort(key=lambda row: (row.entry.title.casefold(), str(row.entry.key)))
    return scored + unscored
