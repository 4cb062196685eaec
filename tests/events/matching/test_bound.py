"""The upper bound of a schedule's weight (events/matching/bound.py): valid, and tight."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bench.matchmaking_instances import generate
from events.matching import bound
from events.matching.matchmaking import (
    MUST,
    WOULD_LIKE,
    LockedMeeting,
    Participant,
    Problem,
    Request,
    schedule,
)
from tests.events.matching.test_matchmaking import KO_EN, ZH, brute_force, person


def tiny(seed: int) -> Problem:
    """A random instance small enough for brute force (as in test_matchmaking)."""
    rng = random.Random(seed)
    slots = [0, 1, 2]
    participants = {
        name: person(rng.sample(slots, rng.randint(2, 3)), rng.choice([KO_EN, ZH]))
        for name in ["s0", "s1", "s2", "s3", "p0", "p1", "p2"]
    }
    pairs = [(a, b) for a in ["s0", "s1", "s2", "s3"] for b in ["p0", "p1", "p2"]]
    requests = [
        Request(a, b, rng.choice(["mutual_must", MUST, WOULD_LIKE]))
        for a, b in rng.sample(pairs, 9)
    ]
    return Problem(slots, 2, 1, participants, requests)


@pytest.mark.parametrize("seed", range(6))
def test_no_schedule_beats_the_bound_and_any_multipliers_give_a_bound(seed):
    problem = tiny(seed)
    best = brute_force(problem)
    assert bound.upper_bound(problem).value >= best
    # The Lagrangian bound holds for any multipliers >= 0, which is what makes the bound of a
    # solver stopped early (or with loose tolerances) still an upper bound.
    lp = bound._Lp(problem, {})
    rng = np.random.default_rng(seed)
    for _ in range(20):
        y = rng.exponential(rng.choice([1.0, 50.0, 500.0]), lp.n_rows)
        assert lp.lagrangian(y) >= best - 1e-6
    assert lp.capacity_bound() >= best


def test_the_bound_proves_the_medium_schedule_optimal():
    problem = generate("medium", seed=3, n_locked=10)
    result = schedule(problem)
    upper = bound.upper_bound(problem)
    assert upper.proven
    assert upper.value == result.total_weight


def test_fixed_and_locked_meetings_lower_the_bound():
    both = frozenset({0})
    problem = Problem(
        slots=[0],
        tables=1,
        interpreters=0,
        participants={"a": person(both), "b": person(both), "c": person(both)},
        requests=[Request("a", "b", MUST), Request("a", "c", WOULD_LIKE)],
    )
    assert bound.upper_bound(problem).value == 100
    # Keeping (a, c) where it is leaves no table for (a, b).
    assert bound.upper_bound(problem, fixed={("c", "a"): 0}).value == 10
    problem.locked = [LockedMeeting("b", "c", 0, 0)]  # not requested: weighs nothing
    assert bound.upper_bound(problem).value == 0


def test_an_event_without_requests_is_bounded_by_nothing():
    problem = Problem([0], 1, 0, {"a": Participant(frozenset({0}), KO_EN)}, [])
    assert bound.upper_bound(problem) == bound.Bound(0, True, pytest.approx(0, abs=1))
