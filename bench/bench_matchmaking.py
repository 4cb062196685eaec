"""Benchmark of events.matching.matchmaking against the exact MILP optimum, with its upper bound.

Run from the repository root:
    .venv/bin/python bench/bench_matchmaking.py [--size small|full] [--figures F]

For each instance (seeded, bench/matchmaking_instances.py): the scheduler's weight against the
exact optimum (scipy's MILP, no time limit), its time, the LP upper bound that the schedule
page shows (events/matching/bound.py), a first-come baseline and the idle gaps. Then the same
fair-size instance again with the other cores busy (one busy-loop process per other core): the
schedule must be the same (work, not the clock, ends the search) and a time limit shorter than
the search must still be honoured within 10 %. At --size small: the small and medium
instances, and the load test on a medium one, in well under a minute.

Exits non-zero on an error: an infeasible schedule, a weight above the optimum or a bound
below it, an exception. A target missed (weight, seconds) is "not met" in the figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from scipy.optimize import Bounds, LinearConstraint, milp  # noqa: E402
from scipy.sparse import coo_array  # noqa: E402

from bench.matchmaking_instances import SIZES, check_schedule, generate  # noqa: E402
from bench.protocol import Figures, add_arguments  # noqa: E402
from events.matching.bound import upper_bound  # noqa: E402
from events.matching.matchmaking import PRIORITY_WEIGHTS, Problem, pair_key, schedule  # noqa: E402

MIN_RATIO = 0.995  # issue 13: >= 99.5 % of the exact optimum
MAX_SECONDS = 5.0  # issue 13: within 5 s at fair size (and at large size, as before)
LIMIT = 4.0  # the task's time limit (events.matching.runs.schedule_run_execute)
LIMIT_SLACK = 1.1  # issue 13: the time limit honoured within 10 %

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
    ("fair-1", "fair", 1, 0),
    ("fair-2", "fair", 2, 40),
    ("fair-3", "fair", 3, 0),
]
SIZES_RUN = {"small": ("small", "medium"), "full": ("small", "medium", "large", "fair")}
# The load test: (label, size, seed, locked) and the short limits, below what the search needs.
LOADED = {
    "small": (("medium-2", "medium", 2, 10), (0.2, 0.5)),
    "full": (("fair-2", "fair", 2, 40), (1.0, 2.0)),
}


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


class Busy:
    """One busy-loop process per other core, for the load test; stopped on exit."""

    def __enter__(self):
        others = max(1, (os.cpu_count() or 2) - 1)
        self.procs = [
            subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(others)
        ]
        time.sleep(0.3)  # let them start spinning
        return len(self.procs)

    def __exit__(self, *exc):
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.wait()


def timed(problem: Problem, **options):
    started, cpu = time.monotonic(), time.process_time()
    result = schedule(problem, **options)
    return result, time.monotonic() - started, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    options = parser.parse_args()
    figures = Figures()
    header = (
        f"{'instance':<9} {'req':>5} {'lock':>4} {'ours':>7} {'optimum':>7} {'ratio':>8} "
        f"{'bound':>7} {'lp s':>5} {'fcfs%':>6} {'ours s':>6} {'cpu s':>5} {'milp s':>6} "
        f"{'meet':>4} {'gaps':>5} {'before':>6} {'fcfs':>5} {'cut':>3}"
    )
    print("weights: ours, exact optimum (scipy milp), LP upper bound (HiGHS), first-come baseline")
    print("time: ours wall clock (the target) and CPU; the LP bound; the exact MILP solve")
    print("idle gaps: ours, ours before the gap phase, fcfs; cut: the time limit stopped a phase")
    print(header)
    print("-" * len(header))
    errors: list[str] = []
    per_size: dict[str, list] = {}
    quiet: dict[str, object] = {}
    optima: dict[str, int] = {}
    for label, size, seed, n_locked in CASES:
        if size not in SIZES_RUN[options.size]:
            continue
        problem = generate(size, seed=seed, n_locked=n_locked)
        result, seconds, cpu = timed(problem, time_limit=LIMIT)
        quiet[label] = result
        wrong = check_schedule(problem, result)
        before = schedule(problem, reduce_gaps=False).idle_gaps
        bound = upper_bound(problem)
        optimum, milp_seconds = exact_optimum(problem)
        baseline, baseline_gaps = first_come_baseline(problem)
        ratio = result.total_weight / optimum
        if wrong:
            errors.append(f"{label}: infeasible schedule: {wrong[:3]}")
        if result.total_weight > optimum:
            errors.append(f"{label}: weight {result.total_weight} above the optimum {optimum}")
        if bound.value < optimum:
            errors.append(f"{label}: upper bound {bound.value} below the optimum {optimum}")
        per_size.setdefault(size, []).append((ratio, seconds, bound, result, optimum))
        optima[label] = optimum
        print(
            f"{label:<9} {len(problem.requests):>5} {len(problem.locked):>4} "
            f"{result.total_weight:>7} {optimum:>7} {ratio:>8.2%} {bound.value:>7} "
            f"{bound.seconds:>5.2f} {baseline / optimum:>6.1%} {seconds:>6.2f} {cpu:>5.2f} "
            f"{milp_seconds:>6.1f} {len(result.assignments):>4} {result.idle_gaps:>5} "
            f"{before:>6} {baseline_gaps:>5} {'yes' if result.timed_out else 'no':>3}",
            flush=True,
        )

    for size, rows in per_size.items():
        people = SIZES[size]["n_startups"], SIZES[size]["n_partners"]
        what = f"{size} ({people[0]} x {people[1]} people, {SIZES[size]['n_requests']:,} requests)"
        worst = min(r[0] for r in rows) * 100
        slowest = max(r[1] for r in rows)
        figures.add(
            f"scheduler weight / exact optimum, {what}, worst of {len(rows)}",
            worst,
            "%",
            f">= {MIN_RATIO:.1%}",
            worst >= MIN_RATIO * 100,
        )
        timed_target = size in ("large", "fair")
        figures.add(
            f"scheduler seconds, {what}, slowest of {len(rows)}",
            slowest,
            "s",
            f"<= {MAX_SECONDS:g} s" if timed_target else "",
            slowest <= MAX_SECONDS if timed_target else None,
        )
        figures.add(f"scheduler time limit, {size}", LIMIT, "s")
        shares = [100 * r[3].total_weight / r[2].value if r[2].value else 100.0 for r in rows]
        figures.add(
            f"schedule / its LP upper bound (what staff see), {size}, worst", min(shares), "%"
        )
        figures.add(
            f"LP upper bound / exact optimum, {size}, worst",
            max(100 * r[2].value / r[4] for r in rows),
            "%",
        )
        figures.add(
            f"LP upper bound seconds, {size}, slowest", max(r[2].seconds for r in rows), "s"
        )

    (label, size, seed, n_locked), limits = LOADED[options.size]
    problem = generate(size, seed=seed, n_locked=n_locked)
    # Without a deadline that could bind, the quiet schedule to compare with.
    reference = quiet[label] if not quiet[label].timed_out else schedule(problem, time_limit=600)
    with Busy() as spinners:
        loaded, seconds, cpu = timed(problem, time_limit=LIMIT)
        unhurried = schedule(problem, time_limit=600)
        honoured = []
        for limit in limits:
            cut, elapsed, _cpu = timed(problem, time_limit=limit)
            if check_schedule(problem, cut):
                errors.append(f"{label} with a {limit} s limit: infeasible schedule")
            honoured.append((elapsed / limit, limit, elapsed, cut.total_weight / optima[label]))
    if check_schedule(problem, loaded):
        errors.append(f"{label} under load: infeasible schedule")
    ratio = loaded.total_weight / optima[label]
    same = unhurried.assignments == reference.assignments
    print(
        f"\nunder load ({spinners} busy-loop process(es)): {label} in {seconds:.2f} s "
        f"(CPU {cpu:.2f} s), {ratio:.2%} of the optimum, cut short: {loaded.timed_out}; "
        f"without a deadline the same schedule as quiet: {'yes' if same else 'NO'}"
    )
    for share, limit, elapsed, of_optimum in honoured:
        print(
            f"  limit {limit:g} s: {elapsed:.3f} s ({share:.0%}), {of_optimum:.2%} of the optimum"
        )
    fair = size == "fair"
    figures.add(
        f"{label} with the other core loaded: weight / exact optimum",
        ratio * 100,
        "%",
        f">= {MIN_RATIO:.1%}",
        ratio >= MIN_RATIO,
    )
    figures.add(
        f"{label} with the other core loaded: seconds (limit {LIMIT:g} s)",
        seconds,
        "s",
        f"<= {MAX_SECONDS:g} s" if fair else "",
        seconds <= MAX_SECONDS if fair else None,
    )
    figures.add(
        f"{label} with the other core loaded, no deadline: the same schedule as quiet",
        "yes" if same else "no",
        "",
        "same",
        same,
    )
    worst = max(honoured)
    shown = " and ".join(f"{x:g} s" for x in limits)
    figures.add(
        f"{label}, time limit honoured under load: elapsed / limit, worst of {shown} limits",
        worst[0] * 100,
        "%",
        f"<= {LIMIT_SLACK:.0%}",
        worst[0] <= LIMIT_SLACK,
    )
    figures.write(options.figures)
    if errors:
        print("ERRORS:", *errors, sep="\n  ")
        return 1
    missed = [row["figure"] for row in figures if row["met"] is False]
    print("targets not met:" if missed else "all targets met", *missed, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
