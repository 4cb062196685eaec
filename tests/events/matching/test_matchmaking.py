"""Unit tests of the pure-Python meeting scheduler (no database, no Django needed)."""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import replace

import pytest

from bench.matchmaking_instances import check_schedule, generate
from events.matching import matchmaking
from events.matching.matchmaking import (
    CAPACITY,
    MUST,
    MUTUAL_MUST,
    NO_COMMON_SLOT,
    NO_INTERPRETER,
    PARTICIPANT_BUSY,
    PRIORITY_WEIGHTS,
    WOULD_LIKE,
    LockedMeeting,
    Participant,
    Problem,
    Request,
    pair_key,
    schedule,
)

KO = frozenset({"ko"})
ZH = frozenset({"zh"})
KO_EN = frozenset({"ko", "en"})
ZH_EN = frozenset({"zh", "en"})


def person(slots, languages=KO_EN) -> Participant:
    return Participant(available=frozenset(slots), languages=frozenset(languages))


def assert_valid(problem: Problem, result) -> None:
    errors = check_schedule(problem, result)
    assert not errors, errors[:5]


@pytest.fixture(scope="module")
def medium():
    problem = generate("medium", seed=3, n_locked=10)
    return problem, schedule(problem)


def test_medium_instance_respects_every_hard_constraint(medium):
    problem, result = medium
    assert_valid(problem, result)
    assert len(result.assignments) > 100
    weights = {pair_key(r.a, r.b): PRIORITY_WEIGHTS[r.priority] for r in problem.requests}
    assert result.total_weight == sum(weights[pair_key(*p)] for p in result.assignments)


def test_locked_meetings_are_kept_exactly(medium):
    problem, result = medium
    assert problem.locked
    for lm in problem.locked:
        assert result.assignments[(lm.a, lm.b)] == (lm.slot, lm.table)


def test_locked_meeting_overrides_availability_and_blocks_the_slot():
    problem = Problem(
        slots=[0, 1],
        tables=1,
        interpreters=0,
        participants={"a": person([1]), "b": person([0, 1]), "c": person([0, 1])},
        requests=[Request("a", "b", MUST), Request("b", "c", MUTUAL_MUST)],
        locked=[LockedMeeting("a", "b", 0, 0)],  # staff know better than the form
    )
    result = schedule(problem)
    assert result.assignments == {("a", "b"): (0, 0), ("b", "c"): (1, 0)}


def test_clashing_locked_meetings_are_rejected():
    problem = Problem(
        slots=[0],
        tables=2,
        interpreters=0,
        participants={"a": person([0]), "b": person([0]), "c": person([0])},
        requests=[],
        locked=[LockedMeeting("a", "b", 0, 0), LockedMeeting("a", "c", 0, 1)],
    )
    with pytest.raises(ValueError):
        schedule(problem)


def test_interpreters_are_respected_and_numbered():
    # Korean-only startups meet Chinese-only partners: every meeting needs an interpreter.
    startups = {f"s{i}": person(range(4), KO) for i in range(6)}
    partners = {f"p{j}": person(range(4), ZH) for j in range(3)}
    partners["bilingual"] = person(range(4), KO_EN)
    requests = [Request(s, p, MUST) for s in startups for p in partners]
    problem = Problem(
        slots=list(range(4)),
        tables=10,
        interpreters=2,
        participants=startups | partners,
        requests=requests,
    )
    result = schedule(problem)
    assert_valid(problem, result)
    for slot in problem.slots:
        used = [i for p, i in result.interpreters.items() if result.assignments[p][0] == slot]
        assert sorted(used) == list(range(len(used))) and len(used) <= 2
    assert all("bilingual" not in pair for pair in result.interpreters)
    assert sum(1 for pair in result.assignments if "bilingual" not in pair) == 2 * 4
    assert set(result.unscheduled.values()) <= {CAPACITY, PARTICIPANT_BUSY}


def test_no_interpreter_reason_when_none_is_available():
    problem = Problem(
        slots=[0, 1],
        tables=5,
        interpreters={0: 0, 1: 0},
        participants={"a": person([0, 1], KO), "b": person([0, 1], ZH)},
        requests=[Request("a", "b", MUTUAL_MUST)],
    )
    assert schedule(problem).unscheduled == {("a", "b"): NO_INTERPRETER}


def test_mutual_must_wins_over_would_likes_when_capacity_is_short():
    # One slot: either a-b (mutual must) or the two would-likes a-c and b-d.
    problem = Problem(
        slots=[0],
        tables=2,
        interpreters=0,
        participants={p: person([0]) for p in "abcd"},
        requests=[
            Request("a", "c", WOULD_LIKE),
            Request("b", "d", WOULD_LIKE),
            Request("a", "b", MUTUAL_MUST),
        ],
    )
    result = schedule(problem)
    assert list(result.assignments) == [("a", "b")]
    assert result.unscheduled == {("a", "c"): PARTICIPANT_BUSY, ("b", "d"): PARTICIPANT_BUSY}


def test_priorities_order_meetings_under_table_shortage():
    participants = {f"x{i}": person(range(2)) for i in range(12)}
    requests = [
        Request("x0", "x1", WOULD_LIKE),
        Request("x2", "x3", MUST),
        Request("x4", "x5", WOULD_LIKE),
        Request("x6", "x7", MUTUAL_MUST),
        Request("x8", "x9", MUST),
        Request("x10", "x11", MUTUAL_MUST),
    ]
    problem = Problem([0, 1], 2, 0, participants, requests)
    result = schedule(problem)
    assert set(result.assignments) == {("x2", "x3"), ("x6", "x7"), ("x8", "x9"), ("x10", "x11")}
    assert set(result.unscheduled.values()) == {CAPACITY}


def test_reason_codes_and_duplicates():
    problem = Problem(
        slots=[0, 1],
        tables={0: 1, 1: 1},
        interpreters=1,
        participants={
            "early": person([0]),
            "late": person([1]),
            "a": person([0, 1]),
            "b": person([0, 1]),
        },
        requests=[
            Request("early", "late", MUTUAL_MUST),
            Request("a", "b", WOULD_LIKE),
            Request("b", "a", MUST),  # the same meeting, the higher priority counts
            Request("early", "a", WOULD_LIKE),
            Request("late", "b", WOULD_LIKE),
        ],
    )
    result = schedule(problem)
    assert_valid(problem, result)
    assert result.unscheduled[("early", "late")] == NO_COMMON_SLOT
    assert ("a", "b") in result.assignments and ("b", "a") not in result.unscheduled
    assert result.total_weight == PRIORITY_WEIGHTS[MUST] + PRIORITY_WEIGHTS[WOULD_LIKE]
    assert len(result.unscheduled) == 2


def test_unknown_participant_is_rejected():
    problem = Problem([0], 1, 0, {"a": person([0])}, [Request("a", "ghost")])
    with pytest.raises(ValueError):
        schedule(problem)


def test_rerun_after_availability_change_moves_only_what_must_move(medium):
    problem, first = medium
    locked = {pair_key(lm.a, lm.b) for lm in problem.locked}
    # The busiest participant loses one slot in which they have a (not locked) meeting.
    load: dict = {}
    for pair in first.assignments:
        for p in pair:
            load[p] = load.get(p, 0) + 1
    who = max(load, key=lambda p: (load[p], str(p)))
    slot, lost = next(
        (s, pair)
        for pair, (s, _t) in sorted(first.assignments.items(), key=str)
        if who in pair and pair_key(*pair) not in locked
    )
    participants = dict(problem.participants)
    part = participants[who]
    participants[who] = replace(part, available=part.available - {slot})
    changed = replace(problem, participants=participants, previous=first.assignments)

    second = schedule(changed)

    assert_valid(changed, second)
    assert second.moved == [lost]
    for pair, place in first.assignments.items():
        if pair != lost:
            assert second.assignments[pair] == place
    assert second.assignments.get(lost, (None,))[0] != slot
    assert second.total_weight >= first.total_weight - PRIORITY_WEIGHTS[MUTUAL_MUST]


def test_rerun_without_changes_is_stable(medium):
    problem, first = medium
    for pin in (True, False):
        again = schedule(replace(problem, previous=first.assignments), pin_previous=pin)
        assert again.total_weight >= first.total_weight
        if again.total_weight == first.total_weight:
            assert again.assignments == first.assignments
            assert again.moved == []


def test_pinned_previous_meetings_stay_unless_unpinned():
    problem = Problem(
        slots=[0, 1],
        tables=1,
        interpreters=0,
        participants={"a": person([0]), "b": person([0, 1]), "c": person([0, 1])},
        requests=[Request("b", "c", WOULD_LIKE), Request("a", "b", MUTUAL_MUST)],
        previous={("c", "b"): (0, 0)},  # published before a-b was accepted
    )
    pinned = schedule(problem)
    assert pinned.assignments == {("b", "c"): (0, 0)}
    assert pinned.unscheduled == {("a", "b"): PARTICIPANT_BUSY}
    assert pinned.moved == []
    free = schedule(problem, pin_previous=False)
    assert free.assignments == {("b", "c"): (1, 0), ("a", "b"): (0, 0)}
    assert free.moved == [("c", "b")]


def test_idle_gaps_are_reduced_without_losing_weight(medium):
    problem, compact = medium
    naive = schedule(problem, reduce_gaps=False)
    assert compact.total_weight == naive.total_weight
    assert compact.idle_gaps < 0.75 * naive.idle_gaps


def brute_force(problem: Problem) -> int:
    """Best total weight by trying every slot (or none) for every pair, with pruning."""
    parts = problem.participants
    pairs = []
    for r in problem.requests:
        a, b = parts[r.a], parts[r.b]
        needs = not (a.languages & b.languages)
        slots = [s for s in problem.slots if s in a.available and s in b.available]
        pairs.append((r.a, r.b, PRIORITY_WEIGHTS[r.priority], needs, slots))
    best = 0

    def search(i: int, total: int, busy: set, used: dict, interp: dict) -> None:
        nonlocal best
        rest = sum(p[2] for p in pairs[i:])
        if total + rest <= best:
            return
        if i == len(pairs):
            best = total
            return
        a, b, w, needs, slots = pairs[i]
        for s in slots:
            if (a, s) in busy or (b, s) in busy or used[s] >= problem.tables:
                continue
            if needs and interp[s] >= problem.interpreters:
                continue
            busy |= {(a, s), (b, s)}
            used[s] += 1
            interp[s] += needs
            search(i + 1, total + w, busy, used, interp)
            busy -= {(a, s), (b, s)}
            used[s] -= 1
            interp[s] -= needs
        search(i + 1, total, busy, used, interp)

    zero = {s: 0 for s in problem.slots}
    search(0, 0, set(), dict(zero), dict(zero))
    return best


@pytest.mark.parametrize("seed", range(12))
def test_small_instances_reach_the_brute_force_optimum(seed):
    rng = random.Random(seed)
    slots = [0, 1, 2]
    participants = {}
    for name in ["s0", "s1", "s2", "s3", "p0", "p1", "p2"]:
        langs = rng.choice([KO, ZH, KO_EN, ZH_EN])
        participants[name] = person(rng.sample(slots, rng.randint(2, 3)), langs)
    all_pairs = list(itertools.product(["s0", "s1", "s2", "s3"], ["p0", "p1", "p2"]))
    priorities = [MUTUAL_MUST, MUST, MUST, WOULD_LIKE, WOULD_LIKE, WOULD_LIKE]
    requests = [Request(a, b, rng.choice(priorities)) for a, b in rng.sample(all_pairs, 9)]
    problem = Problem(slots, 2, 1, participants, requests)
    result = schedule(problem)
    assert_valid(problem, result)
    assert result.total_weight == brute_force(problem)


def test_progress_callback_is_called():
    calls = []
    schedule(generate("small", seed=1), progress=lambda done, total: calls.append((done, total)))
    assert len(calls) >= 5
    assert calls[0] == (0, 100) and calls[-1] == (100, 100)
    assert all(a[0] < b[0] for a, b in itertools.pairwise(calls))


def test_the_budgets_of_work_not_the_clock_end_the_search(medium, monkeypatch):
    """With a clock that never moves the search still ends, with the same schedule: its quality
    cannot depend on how busy the machine is."""
    problem, result = medium
    monkeypatch.setattr(matchmaking.time, "monotonic", lambda: 0.0)
    frozen = schedule(problem)
    assert not frozen.timed_out and not result.timed_out
    assert frozen.assignments == result.assignments
    assert frozen.total_weight == result.total_weight


def test_a_short_time_limit_is_honoured_with_a_valid_schedule():
    problem = generate("large", seed=2, n_locked=20)
    limit = 0.15  # a sixth of what the search needs on this machine
    started = time.monotonic()
    result = schedule(problem, time_limit=limit)
    elapsed = time.monotonic() - started
    assert result.timed_out
    assert elapsed <= 1.1 * limit
    assert_valid(problem, result)
    assert result.total_weight > 0
