"""Benchmark of events.matchmaking against the exact MILP optimum and a first-come baseline.

Run from the repository root:  .venv/bin/python bench/bench_matchmaking.py
Exits non-zero when a target is missed: weight < 99.5% of the optimum, more than 5 s on a
largest instance, or an infeasible schedule.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from scipy.optimize import Bounds, LinearConstraint, milp  # noqa: E402
from scipy.sparse import coo_array  # noqa: E402

from bench.matchmaking_instances import SIZES, check_schedule, generate  # noqa: E402
from events.matching.matchmaking import PRIORITY_WEIGHTS, Problem, pair_key, schedule  # noqa: E402

MIN_RATIO = 0.995
MAX_SECONDS = 5.0

# (label, size, seed, locked meetings)
CASES = [
    ("small-1", "small", 1, 0),
    ("small-2", "small", 2, 3),
    ("medium-1", "medium", 1, 0),
    ("medium-2", "medium", 2, 10),
    ("medium-3", "medium", 3, 0),
    ("large-1", "large", 1, 0),
    ("large-2", "large", 2, 20),
    ("large-3", "large", 3, 0),
    ("large-4", "large", 4, 0),
]


def _per_slot(value, slot) -> int:
    return value.get(slot, 0) if isinstance(value, dict) else value


def _pairs(problem: Problem) -> dict:
    """pair key -> (a, b, weight, needs interpreter, common slots); locked-only pairs weigh 0."""
    parts = problem.participants
    out: dict = {}

    def add(a, b, weight):
        key = pair_key(a, b)
        common = [s for s in problem.slots if s in parts[a].available and s in parts[b].available]
        needs = not (parts[a].languages & parts[b].languages)
        out[key] = (a, b, max(weight, out[key][2] if key in out else 0), needs, common)

    for r in problem.requests:
        add(r.a, r.b, PRIORITY_WEIGHTS[r.priority])
    for m in problem.locked:
        add(m.a, m.b, 0)
    return out


def exact_optimum(problem: Problem) -> tuple[int, float]:
    """Exact optimum weight with scipy's MILP (HiGHS), no time limit.

    Binary x[pair, slot] for the slots both can attend; one row per pair (meets at most once),
    per person and slot (one meeting at a time), per slot (tables) and per slot (interpreters).
    Locked meetings are variables fixed to 1 in their slot.
    """
    pairs = _pairs(problem)
    locked = {pair_key(m.a, m.b): m.slot for m in problem.locked}
    cols, cost, lower = [], [], []
    for key, (_a, _b, w, _needs, common) in pairs.items():
        for s in [locked[key]] if key in locked else common:
            cols.append((key, s))
            cost.append(-w)
            lower.append(1 if key in locked else 0)

    groups: dict = {}
    for j, (key, s) in enumerate(cols):
        a, b, _w, needs, _common = pairs[key]
        names = [("pair", key), ("person", a, s), ("person", b, s), ("tables", s)]
        if needs:
            names.append(("interpreters", s))
        for name in names:
            groups.setdefault(name, []).append(j)
    rows, idx, upper = [], [], []
    for i, (name, members) in enumerate(groups.items()):
        if name[0] == "tables":
            upper.append(_per_slot(problem.tables, name[1]))
        elif name[0] == "interpreters":
            upper.append(_per_slot(problem.interpreters, name[1]))
        else:
            upper.append(1)
        rows.extend([i] * len(members))
        idx.extend(members)
    matrix = coo_array((np.ones(len(rows)), (rows, idx)), shape=(len(groups), len(cols)))
    started = time.perf_counter()
    res = milp(
        c=np.array(cost, dtype=float),
        constraints=LinearConstraint(matrix.tocsr(), -np.inf, np.array(upper, dtype=float)),
        integrality=np.ones(len(cols)),
        bounds=Bounds(np.array(lower, dtype=float), np.ones(len(cols))),
    )
    if res.status != 0:
        raise RuntimeError(f"MILP failed: {res.message}")
    return round(-res.fun), time.perf_counter() - started


def first_come_baseline(problem: Problem) -> tuple[int, int]:
    """Requests in the given order, each into the first feasible slot; (weight, idle gaps)."""
    pairs = _pairs(problem)
    busy: dict = {}
    used = dict.fromkeys(problem.slots, 0)
    interp = dict.fromkeys(problem.slots, 0)
    done: set = set()
    total = 0

    def put(key, s):
        a, b, w, needs, _common = pairs[key]
        busy.setdefault(a, set()).add(s)
        busy.setdefault(b, set()).add(s)
        used[s] += 1
        interp[s] += needs
        done.add(key)
        return w

    for m in problem.locked:
        total += put(pair_key(m.a, m.b), m.slot)
    for r in problem.requests:
        key = pair_key(r.a, r.b)
        if key in done:
            continue
        _a, _b, _w, needs, common = pairs[key]
        for s in common:
            if s in busy.get(r.a, ()) or s in busy.get(r.b, ()):
                continue
            if used[s] >= _per_slot(problem.tables, s):
                continue
            if needs and interp[s] >= _per_slot(problem.interpreters, s):
                continue
            total += put(key, s)
            break
    return total, idle_gaps(problem, busy)


def idle_gaps(problem: Problem, busy: dict) -> int:
    """Empty available slots between each person's first and last meeting, summed."""
    position = {s: i for i, s in enumerate(problem.slots)}
    total = 0
    for person, slots in busy.items():
        taken = sorted(position[s] for s in slots)
        inside = problem.slots[taken[0] : taken[-1] + 1]
        available = problem.participants[person].available
        total += sum(1 for s in inside if s in available and s not in slots)
    return total


def main() -> int:
    header = (
        f"{'instance':<9} {'req':>5} {'lock':>4} {'ours':>7} {'optimum':>7} {'ratio':>8} "
        f"{'fcfs':>7} {'fcfs%':>6} {'ours s':>6} {'cpu s':>5} {'milp s':>6} {'meet':>4} "
        f"{'gaps':>5} {'/pers':>5} {'before':>6} {'fcfs':>5} {'ok':>3}"
    )
    print("weights: ours, exact optimum (scipy milp), first-come-first-served baseline")
    print("time: ours wall clock (the target) and CPU; the exact MILP solve")
    print("idle gaps: ours, per person with a meeting, ours before the gap phase, fcfs")
    print(header)
    print("-" * len(header))
    failed = []
    for label, size, seed, n_locked in CASES:
        problem = generate(size, seed=seed, n_locked=n_locked)
        started, cpu = time.perf_counter(), time.process_time()
        result = schedule(problem)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        errors = check_schedule(problem, result)
        before = schedule(problem, reduce_gaps=False).idle_gaps
        optimum, milp_seconds = exact_optimum(problem)
        baseline, baseline_gaps = first_come_baseline(problem)
        ratio = result.total_weight / optimum
        people = {p for pair in result.assignments for p in pair}
        too_slow = size == "large" and seconds > MAX_SECONDS
        ok = not errors and ratio >= MIN_RATIO and not too_slow
        if not ok:
            failed.append((label, ratio, seconds, errors[:3]))
        print(
            f"{label:<9} {len(problem.requests):>5} {len(problem.locked):>4} "
            f"{result.total_weight:>7} {optimum:>7} {ratio:>8.2%} {baseline:>7} "
            f"{baseline / optimum:>6.1%} {seconds:>6.2f} {cpu:>5.2f} {milp_seconds:>6.1f} "
            f"{len(result.assignments):>4} {result.idle_gaps:>5} "
            f"{result.idle_gaps / max(1, len(people)):>5.2f} {before:>6} {baseline_gaps:>5} "
            f"{'yes' if ok else 'NO':>3}",
            flush=True,
        )
    sizes = ", ".join(f"{k}: {v['n_startups']}x{v['n_partners']}" for k, v in SIZES.items())
    print(f"\nsizes (startups x partners): {sizes}")
    if failed:
        print("FAILED:", failed)
        return 1
    print(
        f"all targets met: weight >= {MIN_RATIO:.1%} of the optimum, "
        f"largest instances <= {MAX_SECONDS:.0f} s, all schedules feasible"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
