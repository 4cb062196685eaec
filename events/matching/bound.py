"""An upper bound on the best possible total weight of a meeting schedule.

Pure module (no Django): takes the scheduler's `Problem` and returns a number that no schedule
of that problem can exceed, so that staff see how far a schedule can be from the best one, and
that it is optimal when the two are equal.

The bound is the LP relaxation of the exact model (binary x[pair, slot] for the slots where both
are available; each pair meets at most once; one meeting per person and slot; tables and
interpreters per slot; fixed meetings set to 1), solved with HiGHS (highspy). On the benchmark
instances the relaxation is tight or within a few hundredths of a percent of the integer
optimum, and at fair size (8,000 requests, about 100,000 variables) the dual simplex takes about
a second, where the exact integer optimum takes a minute.

The number returned is not the solver's objective but the Lagrangian bound of its duals,
recomputed here: for any multipliers y >= 0 of the rows,

    weight <= b.y + sum over free x of max(0, w - A'y) + sum over fixed x of (w - A'y)

so the bound stays valid whatever the solver's tolerances, and also when its time limit stops it
early (the duals then give a weaker, still valid bound). Without duals at all it falls back to
the table capacity: the heaviest requests that fit into all the tables.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce

from events.matching.matchmaking import PRIORITY_WEIGHTS, Pair, Problem, Slot, pair_key


@dataclass(frozen=True)
class Bound:
    value: int  # no schedule of the problem weighs more
    proven: bool  # the LP was solved to optimality (else a weaker bound: see the docstring)
    seconds: float


def upper_bound(
    problem: Problem, *, fixed: Mapping[Pair, Slot] | None = None, time_limit: float = 30.0
) -> Bound:
    """An upper bound on the total weight of any schedule of `problem` that keeps its locked
    meetings and the meetings of `fixed` (pair -> slot, e.g. the previous meetings a run kept in
    place) where they are. Needs numpy and highspy."""
    import highspy
    import numpy as np

    started = time.monotonic()
    lp = _Lp(problem, fixed or {})
    if not lp.n_cols:
        return Bound(0, True, time.monotonic() - started)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)  # a worker of the heavy queue; the simplex is serial anyway
    h.setOptionValue("time_limit", max(0.1, time_limit))
    model = highspy.HighsLp()
    model.num_col_ = lp.n_cols
    model.num_row_ = lp.n_rows
    model.sense_ = highspy.ObjSense.kMaximize
    model.col_cost_ = lp.cost
    model.col_lower_ = lp.lower.astype(float)
    model.col_upper_ = np.ones(lp.n_cols)
    model.row_lower_ = np.full(lp.n_rows, -highspy.kHighsInf)
    model.row_upper_ = lp.rhs
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = lp.start.astype(np.int32)
    model.a_matrix_.index_ = lp.index.astype(np.int32)
    model.a_matrix_.value_ = np.ones(len(lp.index))
    h.passModel(model)
    h.run()
    solution = h.getSolution()
    proven = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    capacity = lp.capacity_bound()
    if solution.dual_valid:
        # For a maximisation HiGHS reports the duals of binding upper rows as >= 0.
        value = min(capacity, lp.lagrangian(np.maximum(np.array(solution.row_dual), 0.0)))
    else:
        value, proven = capacity, False
    return Bound(lp.round_down(value), proven, time.monotonic() - started)


class _Lp:
    """The LP in column form: one column per (pair, slot) the pair could meet in. Rows: one
    per pair, per person and slot, and per slot for tables and for interpreters, numbered by
    arithmetic (rows that no column uses are empty, and the solver's presolve drops them)."""

    def __init__(self, problem: Problem, fixed: Mapping[Pair, Slot]) -> None:
        import numpy as np

        parts = problem.participants
        person = {p: i for i, p in enumerate(parts)}
        slot_index = {s: i for i, s in enumerate(problem.slots)}
        n_slots, n_people = len(slot_index), len(person)
        weights: dict[frozenset, int] = {}
        ends: dict[frozenset, tuple] = {}
        for r in problem.requests:
            key = pair_key(r.a, r.b)
            weights[key] = max(weights.get(key, 0), PRIORITY_WEIGHTS[r.priority])
            ends[key] = (r.a, r.b)
        pinned: dict[frozenset, Slot] = {pair_key(*pair): s for pair, s in fixed.items()}
        for m in problem.locked:
            key = pair_key(m.a, m.b)
            pinned[key] = m.slot
            ends[key] = (m.a, m.b)
            weights.setdefault(key, 0)

        col_pair, col_a, col_b, col_slot, col_needs, cost, lower = [], [], [], [], [], [], []
        for k, (key, (a, b)) in enumerate(ends.items()):
            if key in pinned:
                if pinned[key] not in slot_index:
                    continue  # the scheduler rejects such a meeting; nothing to bound
                slots = [slot_index[pinned[key]]]
            elif weights[key]:
                common = parts[a].available & parts[b].available
                slots = [slot_index[s] for s in common if s in slot_index]
            else:
                continue
            needs = not (parts[a].languages & parts[b].languages)
            for i in slots:
                col_pair.append(k)
                col_a.append(person[a])
                col_b.append(person[b])
                col_slot.append(i)
                col_needs.append(needs)
                cost.append(weights[key])
                lower.append(key in pinned)

        self.tables = [_per_slot(problem.tables, s) for s in problem.slots]
        interpreters = [_per_slot(problem.interpreters, s) for s in problem.slots]
        n_pairs = len(ends)
        people_rows = n_pairs
        tables_rows = people_rows + n_people * n_slots
        interp_rows = tables_rows + n_slots
        self.n_rows = interp_rows + n_slots
        self.rhs = np.ones(self.n_rows)
        self.rhs[tables_rows:interp_rows] = self.tables
        self.rhs[interp_rows:] = interpreters

        self.n_cols = len(cost)
        self.cost = np.array(cost, dtype=float)
        self.lower = np.array(lower, dtype=bool)
        slot_of = np.array(col_slot, dtype=np.int64)
        needs = np.array(col_needs, dtype=bool)
        rows = np.stack(
            [
                np.array(col_pair, dtype=np.int64),
                people_rows + np.array(col_a, dtype=np.int64) * n_slots + slot_of,
                people_rows + np.array(col_b, dtype=np.int64) * n_slots + slot_of,
                tables_rows + slot_of,
                np.where(needs, interp_rows + slot_of, -1),
            ],
            axis=1,
        ).ravel()
        keep = rows >= 0  # the interpreter row only for pairs that need one
        self.index = rows[keep]
        per_col = 4 + needs.astype(np.int64)
        self.start = np.concatenate([[0], np.cumsum(per_col)])
        self.pair_of = np.array(col_pair, dtype=np.int64)
        self.step = reduce(math.gcd, (int(w) for w in set(cost)), 0) or 1

    def lagrangian(self, y) -> float:
        """b.y + sum(max(0, w - A'y)) over the free columns + sum(w - A'y) over the fixed ones:
        a bound for any y >= 0 (weak duality, keeping 0 <= x <= 1 out of the dual)."""
        import numpy as np

        reduced = self.cost - np.add.reduceat(y[self.index], self.start[:-1])
        return float(
            np.dot(self.rhs, y)
            + np.maximum(reduced[~self.lower], 0.0).sum()
            + reduced[self.lower].sum()
        )

    def capacity_bound(self) -> float:
        """The fixed meetings plus the heaviest other pairs, as many as there are free tables."""
        import numpy as np

        free_pairs, first = np.unique(self.pair_of[~self.lower], return_index=True)
        heaviest = np.sort(self.cost[~self.lower][first])[::-1]
        room = max(0, sum(self.tables) - int(self.lower.sum()))
        return float(self.cost[self.lower].sum() + heaviest[:room].sum())

    def round_down(self, value: float) -> int:
        """Every schedule weighs a multiple of the weights' greatest common divisor: round the
        bound down to one. The tolerance absorbs the floating-point sums; it can only loosen
        the bound, by one step at most."""
        return self.step * math.floor(value / self.step + 1e-4)


def _per_slot(value: int | dict[Slot, int], slot: Slot) -> int:
    return value.get(slot, 0) if isinstance(value, dict) else value
