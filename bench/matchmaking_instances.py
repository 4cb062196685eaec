"""Seeded instance generator and independent schedule checker for the matchmaking scheduler.

Used by ``bench/bench_matchmaking.py`` and by ``tests/events/matching/test_matchmaking.py``.
Only the standard library is used so that the tests stay light.

The instances imitate a China-Korea startup matchmaking day:

* startups are Korean or Chinese; partners (investors, corporates) are Korean, Chinese or
  English-only. Koreans speak ko (+ en for most), Chinese speak zh (+ en for many), so a fair
  share of pairs needs an interpreter;
* partner popularity is heavy-tailed (Pareto), so a few partners receive far more requests than
  the 16 meetings they can hold;
* availability is a random contiguous window, a random subset or the whole day, always 50-100%
  of the slots;
* few requests are "must meet" (mutual or one-sided), most are "would like".
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

from events.matching.matchmaking import (
    MUST,
    MUTUAL_MUST,
    WOULD_LIKE,
    LockedMeeting,
    Participant,
    Problem,
    Request,
    ScheduleResult,
    pair_key,
)

# name -> generator arguments. "large" is the acceptance-size instance.
SIZES: dict[str, dict[str, int]] = {
    "small": dict(
        n_startups=20, n_partners=12, n_slots=8, tables=6, interpreters=2, n_requests=150
    ),
    "medium": dict(
        n_startups=60, n_partners=40, n_slots=12, tables=16, interpreters=4, n_requests=900
    ),
    "large": dict(
        n_startups=150, n_partners=100, n_slots=16, tables=40, interpreters=10, n_requests=3000
    ),
    # The trade fair of issue 13: the size the scheduler must handle in 5 s.
    "fair": dict(
        n_startups=300, n_partners=200, n_slots=20, tables=80, interpreters=15, n_requests=8000
    ),
}


def _languages(rng: random.Random, partner: bool) -> frozenset[str]:
    roll = rng.random()
    if partner and roll < 0.10:
        return frozenset({"en"})
    korean = rng.random() < 0.5
    if korean:
        return frozenset({"ko", "en"} if rng.random() < 0.6 else {"ko"})
    return frozenset({"zh", "en"} if rng.random() < 0.5 else {"zh"})


def _availability(rng: random.Random, n_slots: int) -> frozenset[int]:
    low = math.ceil(n_slots / 2)
    roll = rng.random()
    if roll < 0.2:
        return frozenset(range(n_slots))
    size = rng.randint(low, n_slots)
    if roll < 0.6:
        start = rng.randint(0, n_slots - size)
        return frozenset(range(start, start + size))
    return frozenset(rng.sample(range(n_slots), size))


def generate_instance(
    n_startups: int,
    n_partners: int,
    n_slots: int,
    tables: int,
    interpreters: int,
    n_requests: int,
    seed: int = 0,
    n_locked: int = 0,
    p_mutual: float = 0.05,
    p_must: float = 0.15,
) -> Problem:
    """Return a random but reproducible instance (same arguments -> same instance)."""
    rng = random.Random(seed)
    slots = list(range(n_slots))
    participants: dict[str, Participant] = {}
    startups = [f"s{i}" for i in range(n_startups)]
    partners = [f"p{j}" for j in range(n_partners)]
    for pid in startups:
        participants[pid] = Participant(_availability(rng, n_slots), _languages(rng, False))
    for pid in partners:
        participants[pid] = Participant(_availability(rng, n_slots), _languages(rng, True))

    # Heavy-tailed partner popularity, milder variation in how active startups are.
    popularity = [rng.paretovariate(1.1) for _ in partners]
    activity = [rng.lognormvariate(0.0, 0.5) for _ in startups]
    n_requests = min(n_requests, n_startups * n_partners // 2)
    seen: set[tuple[str, str]] = set()
    requests: list[Request] = []
    while len(requests) < n_requests:
        s = rng.choices(startups, weights=activity)[0]
        p = rng.choices(partners, weights=popularity)[0]
        if (s, p) in seen:
            continue
        seen.add((s, p))
        roll = rng.random()
        if roll < p_mutual:
            priority = MUTUAL_MUST
        elif roll < p_mutual + p_must:
            priority = MUST
        else:
            priority = WOULD_LIKE
        requests.append(Request(s, p, priority))

    locked: list[LockedMeeting] = []
    busy: set[tuple[str, int]] = set()
    used_tables: dict[int, int] = defaultdict(int)
    used_interpreters: dict[int, int] = defaultdict(int)
    for req in rng.sample(requests, min(n_locked, len(requests))):
        a, b = participants[req.a], participants[req.b]
        needs = not (a.languages & b.languages)
        common = sorted(a.available & b.available)
        rng.shuffle(common)
        for slot in common:
            if (req.a, slot) in busy or (req.b, slot) in busy or used_tables[slot] >= tables:
                continue
            if needs and used_interpreters[slot] >= interpreters:
                continue
            # Staff tend to use the last tables for fixed meetings.
            locked.append(LockedMeeting(req.a, req.b, slot, tables - 1 - used_tables[slot]))
            busy.update({(req.a, slot), (req.b, slot)})
            used_tables[slot] += 1
            used_interpreters[slot] += needs
            break

    return Problem(
        slots=slots,
        tables=tables,
        interpreters=interpreters,
        participants=participants,
        requests=requests,
        locked=locked,
    )


def generate(size: str, seed: int = 0, n_locked: int = 0) -> Problem:
    return generate_instance(**SIZES[size], seed=seed, n_locked=n_locked)


def check_schedule(problem: Problem, result: ScheduleResult) -> list[str]:
    """Independent check of every hard constraint; returns human-readable violations."""
    errors: list[str] = []
    slots = set(problem.slots)
    parts = problem.participants
    requested = {pair_key(r.a, r.b) for r in problem.requests}
    locked = {pair_key(m.a, m.b): (m.slot, m.table) for m in problem.locked}

    def per_slot(value: int | dict, slot) -> int:
        return value.get(slot, 0) if isinstance(value, dict) else value

    seen_pairs: set = set()
    person_slot: dict = {}
    table_use: dict = {}
    interp_use: dict = defaultdict(set)
    for pair, (slot, table) in result.assignments.items():
        key = pair_key(*pair)
        a, b = pair
        if key in seen_pairs:
            errors.append(f"{pair} scheduled twice")
        seen_pairs.add(key)
        if key not in requested and key not in locked:
            errors.append(f"{pair} was not requested")
        if slot not in slots:
            errors.append(f"{pair} in unknown slot {slot}")
            continue
        if key not in locked:
            for person in (a, b):
                if slot not in parts[person].available:
                    errors.append(f"{person} not available in slot {slot} for {pair}")
        for person in (a, b):
            if (person, slot) in person_slot:
                errors.append(f"{person} has two meetings in slot {slot}")
            person_slot[(person, slot)] = pair
        if not 0 <= table < per_slot(problem.tables, slot):
            errors.append(f"{pair} at invalid table {table} in slot {slot}")
        if (slot, table) in table_use:
            errors.append(f"table {table} used twice in slot {slot}")
        table_use[(slot, table)] = pair
        needs = not (parts[a].languages & parts[b].languages)
        interp = result.interpreters.get(pair)
        if needs:
            if interp is None:
                errors.append(f"{pair} needs an interpreter")
            elif not 0 <= interp < per_slot(problem.interpreters, slot):
                errors.append(f"{pair} has invalid interpreter {interp} in slot {slot}")
            elif interp in interp_use[slot]:
                errors.append(f"interpreter {interp} used twice in slot {slot}")
            else:
                interp_use[slot].add(interp)
    for key, place in locked.items():
        got = [v for p, v in result.assignments.items() if pair_key(*p) == key]
        if got != [place]:
            errors.append(f"locked meeting {key} not kept at {place}: {got}")
    for pair in result.unscheduled:
        if pair_key(*pair) in seen_pairs:
            errors.append(f"{pair} both scheduled and unscheduled")
    missing = requested - seen_pairs - {pair_key(*p) for p in result.unscheduled}
    if missing:
        errors.append(f"{len(missing)} requests neither scheduled nor unscheduled")
    return errors
