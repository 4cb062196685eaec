"""1:1 meeting scheduler for B2B matchmaking events (startups meet investors and partners).

Pure Python (standard library only), no Django: the Celery task and the views convert models to
the dataclasses below.

Problem
-------
Every accepted request is a pair of participants with a priority. We choose which pairs meet
and in which slot, subject to hard constraints:

* nobody is in two meetings in one slot, and both sides are available in the slot;
* at most ``tables`` meetings per slot;
* pairs without a common language need an interpreter: at most ``interpreters`` such meetings
  per slot;
* meetings locked by staff stay exactly where they are (slot and table);
* a pair meets at most once.

The objective is the total weight of the scheduled meetings; secondary, and never at the cost of
weight, small idle gaps (empty available slots between a person's first and last meeting).

Weights
-------
``PRIORITY_WEIGHTS`` is 1000 / 100 / 10 for mutual must / one-sided must / would like. Putting
one more meeting into a schedule displaces at most three others (the meeting of each participant
in that slot, or one table plus one interpreter), so with a factor of ten between tiers one
meeting of a tier is worth more than anything it can push out: the tiers are effectively
lexicographic, while plain integer weights keep the search simple.

Algorithm
---------
Tables are interchangeable, so the core problem is the 0/1 choice ``pair -> slot``; table and
interpreter numbers are handed out per slot at the end. With ~3,000 requests for ~640 table
slots it is mostly a selection problem (which requests of a saturated, popular partner to hold,
which pairs get the scarce interpreters) plus packing (aligning both sides' free slots).

1. Fixed meetings: locked meetings, then (by default) every meeting of the previous schedule
   that is still feasible in its slot, heaviest first. Neither is moved afterwards.
2. Greedy, heaviest first; within a weight, pairs that need no interpreter first (interpreters
   are the scarcest resource) and then the pair with the fewest free slots left (DSATUR-like,
   re-ranked as slots fill up). Each pair goes to the free slot that keeps tables usable by
   interpreted meetings and adds the least idle time.
3. Ejection chains with augmenting paths. For every unscheduled pair, heaviest first, insert it
   so that the total weight strictly increases, by
   a. a free slot, or a Kempe-chain swap (move a's meeting from s2 to s1, the meeting that then
      blocks its partner in s1 to s2, and so on along the alternating path), or pushing a
      movable or lighter meeting out of a full slot;
   b. otherwise: putting it into a slot and evicting what blocks it (the participants'
      meetings there, a meeting of a full slot), re-placing the evicted meetings the same way
      one level deeper. An evicted meeting that cannot be re-placed is dropped if the gain
      allows, or compensated by an augmenting path: its partner, who now has a free slot, gets
      another of its requests, which may push out that person's meeting in the slot, whose
      partner continues the path, ... (like Kuhn's algorithm for bipartite matching, with each
      person expanded once per search). A freed interpreter can also be given to the heaviest
      waiting pair that needs one.
   Each attempt may visit 50 search nodes: successful insertions need a few dozen, failures
   (most of them, once the greedy is done) would use all they get. Passes repeat until one
   finds nothing; pairs whose search saw no change since their last failure are skipped.
4. Forced insertions (a bounded number of kicks): put an unscheduled pair into a slot whatever
   it evicts, let the evicted meetings and their participants' other requests find new places
   with step 3, and keep the result only if the total weight went up. This reaches
   rearrangements that the depth-limited chains miss (on small events it finds the optimum).
5. Idle gaps: with the set of meetings fixed, move the first or last meeting of someone's day
   to a slot that shortens the day, together with its Kempe chain between the two slots (plus,
   if a slot would overflow, another chain of the same two slots going the other way), when
   that reduces the total idle time of everyone involved.

Every step keeps all hard constraints. Each phase ends when it converges or when its budget
of work runs out (search nodes, kicks, gap moves), never because of the clock, so the result is
the same for a given input however busy the machine is: about 1.5 s of CPU at fair size (300
startups x 200 partner people, 8,000 requests), 0.5 s for 3,000 requests. ``time_limit`` is a
safety net: a monotonic deadline, checked every 64 search nodes and between steps of every
phase, stops the search and returns the schedule reached so far, on time within a few
milliseconds.

Re-runs
-------
Pass the previous schedule (``Problem.previous``, e.g. ``result.assignments`` of the last run).
With ``pin_previous=True`` (default) every previous meeting that is still feasible keeps its slot
(and its table when still free); only meetings that became infeasible are re-placed, and new
requests fill the remaining room. With ``pin_previous=False`` the previous meetings are only the
starting point: one is moved or dropped only when that strictly increases the total weight.
``ScheduleResult.moved`` lists the previous meetings that changed, e.g. to notify people.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

MUTUAL_MUST = "mutual_must"
MUST = "must"
WOULD_LIKE = "would_like"
PRIORITY_WEIGHTS: dict[str, int] = {MUTUAL_MUST: 1000, MUST: 100, WOULD_LIKE: 10}

# Reason codes for unscheduled requests.
NO_COMMON_SLOT = "no_common_slot"  # never both available
NO_INTERPRETER = "no_interpreter"  # needs an interpreter, none in any common slot
PARTICIPANT_BUSY = "participant_busy"  # in every common slot one side has another meeting
CAPACITY = "capacity"  # lost to other meetings for tables or interpreters

# Search effort of the ejection chains: eviction depth, length of augmenting paths, and search
# nodes per insertion attempt. Successful insertions need a few dozen nodes; failures, the
# great majority once the greedy is done, run to the limit, so a small limit and more passes
# beat a large one. Tuned on bench/bench_matchmaking.py.
_DEPTH = 2
_MAX_STEPS = 16
_NODE_LIMIT = 50
# Search nodes for all the insertion passes together: work, not the clock, ends the search,
# so that the result does not depend on how busy the machine is (at fair size, 300 x 200
# people and 8,000 requests, the passes converge after about 45,000 nodes, half a second).
_IMPROVE_WORK = 100_000
# Forced insertions tried after the ejection chains converge, the search nodes they may use in
# total (again a budget of work; small events run out of candidates first), and per attempt.
_MAX_KICKS = 100
_KICK_WORK = 25_000
_KICK_NODE_LIMIT = 2000
# Gap moves tried in the idle-gap phase (the fair size converges after about 21,000).
_GAP_MOVES = 40_000

PersonId = Hashable
Slot = Hashable
Pair = tuple[PersonId, PersonId]
ProgressCallback = Callable[[int, int], None]


def pair_key(a: PersonId, b: PersonId) -> frozenset:
    """Order-independent identity of a pair: (a, b) and (b, a) are the same meeting."""
    return frozenset((a, b))


@dataclass(frozen=True)
class Participant:
    available: frozenset  # slot ids
    languages: frozenset[str]  # e.g. {"ko", "en"}


@dataclass(frozen=True)
class Request:
    a: PersonId
    b: PersonId
    priority: str = WOULD_LIKE


@dataclass(frozen=True)
class LockedMeeting:
    a: PersonId
    b: PersonId
    slot: Slot
    table: int


@dataclass
class Problem:
    slots: list[Slot]  # in time order; consecutive slots matter for idle gaps
    tables: int | dict[Slot, int]  # per slot
    interpreters: int | dict[Slot, int]  # per slot
    participants: dict[PersonId, Participant]
    requests: list[Request]
    locked: list[LockedMeeting] = field(default_factory=list)
    previous: dict[Pair, tuple[Slot, int]] = field(default_factory=dict)  # pair -> (slot, table)


@dataclass
class ScheduleResult:
    # Keys are the pairs as written in the requests (or in the locked meetings).
    assignments: dict[Pair, tuple[Slot, int]]  # pair -> (slot, table)
    interpreters: dict[Pair, int]  # pair -> interpreter index within its slot
    unscheduled: dict[Pair, str]  # pair -> reason code
    total_weight: int
    idle_gaps: int  # sum over participants of empty available slots between their meetings
    moved: list[Pair]  # previous meetings whose slot or table changed, or that were dropped
    timed_out: bool = False  # the time limit, not the budgets of work, ended a phase


def schedule(
    problem: Problem,
    progress: ProgressCallback | None = None,
    *,
    time_limit: float = 4.0,
    pin_previous: bool = True,
    reduce_gaps: bool = True,
) -> ScheduleResult:
    """Schedule the meetings of `problem`; see the module docstring for the algorithm.

    `progress(done, total)` is called periodically, ending with done == total. `time_limit`
    (seconds) is only a safety net: budgets of work end the search (see the module docstring),
    and the deadline only cuts it short on a machine far slower or busier than usual. Raises
    ValueError for inconsistent input (unknown participants or slots, clashing locked meetings).
    """
    started = time.monotonic()
    report = _Progress(progress)
    report(0)
    model = _Model(problem)
    # The safety net leaves a tenth of the time for the idle-gap phase and the result.
    engine = _Engine(model, started + 0.9 * time_limit)
    _seed(engine, model, pin_previous)
    report(5)
    _greedy(engine, model, report)
    _improve(engine, model, report, _IMPROVE_WORK)
    before = engine.total
    _perturb(engine, model)
    if engine.total > before:
        _improve(engine, model, report, _IMPROVE_WORK // 4)
    timed_out = engine.expired
    if reduce_gaps:
        engine.deadline = started + 0.97 * time_limit
        engine.expired = False
        _reduce_gaps(engine, model, report)
        timed_out = timed_out or engine.expired
    report(97)
    result = _build_result(engine, model, problem)
    result.timed_out = timed_out
    report(_Progress.TOTAL)
    return result


# -- model ---------------------------------------------------------------------------------


class _Model:
    """The problem in index form: slots, persons and pairs are ints, sets are bit masks."""

    def __init__(self, problem: Problem) -> None:
        self.slot_ids = list(problem.slots)
        if len(set(self.slot_ids)) != len(self.slot_ids):
            raise ValueError("duplicate slot ids")
        self.slot_index = {s: i for i, s in enumerate(self.slot_ids)}
        self.n_slots = len(self.slot_ids)
        self.tables = [_per_slot(problem.tables, s) for s in self.slot_ids]
        self.interp_cap = [_per_slot(problem.interpreters, s) for s in self.slot_ids]

        self.person_ids = list(problem.participants)
        self.person_index = {p: i for i, p in enumerate(self.person_ids)}
        # Availability in slots the event does not have is ignored.
        self.avail = [
            sum(1 << self.slot_index[s] for s in part.available if s in self.slot_index)
            for part in problem.participants.values()
        ]
        self.languages = [part.languages for part in problem.participants.values()]

        self.pairs: list[Pair] = []
        self.pa: list[int] = []
        self.pb: list[int] = []
        self.weight: list[int] = []
        self.needs_interp: list[bool] = []
        self.cand: list[int] = []  # mask of the slots where both are available
        self.requested: list[bool] = []
        self.pair_index: dict[frozenset, int] = {}
        for req in problem.requests:
            if req.priority not in PRIORITY_WEIGHTS:
                raise ValueError(f"unknown priority {req.priority!r}")
            p = self._pair(req.a, req.b)
            self.requested[p] = True
            # Duplicates such as (a, b) and (b, a) are one meeting with the higher priority.
            self.weight[p] = max(self.weight[p], PRIORITY_WEIGHTS[req.priority])

        self.locked: dict[int, tuple[int, int]] = {}  # pair -> (slot, table)
        for lm in problem.locked:
            p = self._pair(lm.a, lm.b)
            if p in self.locked:
                raise ValueError(f"pair {(lm.a, lm.b)} is locked twice")
            if lm.slot not in self.slot_index:
                raise ValueError(f"locked meeting {(lm.a, lm.b)} in unknown slot {lm.slot!r}")
            s = self.slot_index[lm.slot]
            if not 0 <= lm.table < self.tables[s]:
                raise ValueError(f"locked meeting {(lm.a, lm.b)} at invalid table {lm.table}")
            self.locked[p] = (s, lm.table)
        if len(set(self.locked.values())) != len(self.locked):
            raise ValueError("two locked meetings at the same table")

        # Previous meetings of pairs that are no longer requested are simply gone.
        self.previous: dict[int, tuple[int, int]] = {}
        for (a, b), (slot, table) in problem.previous.items():
            p = self.pair_index.get(pair_key(a, b))
            if p is not None and self.requested[p] and slot in self.slot_index:
                self.previous[p] = (self.slot_index[slot], table)
        self.n_pairs = len(self.pairs)

    def _pair(self, a: PersonId, b: PersonId) -> int:
        key = pair_key(a, b)
        if key in self.pair_index:
            return self.pair_index[key]
        if a == b:
            raise ValueError(f"{a!r} cannot meet themselves")
        for person in (a, b):
            if person not in self.person_index:
                raise ValueError(f"unknown participant {person!r}")
        ia, ib = self.person_index[a], self.person_index[b]
        p = len(self.pairs)
        self.pair_index[key] = p
        self.pairs.append((a, b))
        self.pa.append(ia)
        self.pb.append(ib)
        self.weight.append(0)
        self.needs_interp.append(not (self.languages[ia] & self.languages[ib]))
        self.cand.append(self.avail[ia] & self.avail[ib])
        self.requested.append(False)
        return p


def _per_slot(value: int | dict[Slot, int], slot: Slot) -> int:
    return value.get(slot, 0) if isinstance(value, dict) else value


_BITS_CACHE: dict[int, list[int]] = {}


def _bits(mask: int) -> list[int]:
    """Indices of the set bits, lowest first (cached: the same masks come up all the time)."""
    out = _BITS_CACHE.get(mask)
    if out is None:
        out = []
        rest = mask
        while rest:
            low = rest & -rest
            out.append(low.bit_length() - 1)
            rest ^= low
        if len(_BITS_CACHE) < 1 << 17:
            _BITS_CACHE[mask] = out
    return out


class _Progress:
    """Calls the callback with 0..TOTAL, at most once per step."""

    TOTAL = 100

    def __init__(self, callback: ProgressCallback | None) -> None:
        self.callback = callback
        self.last = -1

    def __call__(self, done: float) -> None:
        value = min(self.TOTAL, int(done))
        if self.callback is not None and value > self.last:
            self.last = value
            self.callback(value, self.TOTAL)


# -- search state and moves ----------------------------------------------------------------


class _Engine:
    """A schedule under construction with an undo log, and the moves that change it."""

    def __init__(self, model: _Model, deadline: float) -> None:
        self.m = model
        self.deadline = deadline
        n_slots, n_persons = model.n_slots, len(model.person_ids)
        self.slot_of = [-1] * model.n_pairs
        self.fixed = [False] * model.n_pairs  # locked or pinned: never moved
        self.keep_slot = [False] * model.n_pairs  # previous meeting: not moved for idle gaps
        self.occ = [[-1] * n_slots for _ in range(n_persons)]  # person -> slot -> pair
        self.busy = [0] * n_persons  # person -> mask of busy slots
        self.count = [0] * n_slots
        self.icount = [0] * n_slots  # meetings with an interpreter
        self.members: list[set[int]] = [set() for _ in range(n_slots)]
        self.slot_version = [0] * n_slots  # changes with every meeting in or out of the slot
        self.chains_cache: dict[tuple[int, int], tuple] = {}  # see slot_pair_chains()
        # slot -> weight -> meetings, to find the lightest meeting of a slot quickly
        self.weight_levels = sorted(set(model.weight))
        self.by_weight = [{w: set() for w in self.weight_levels} for _ in range(n_slots)]
        self.open_t = 0  # mask of slots with a free table
        self.open_i = 0  # mask of slots with a free interpreter
        for s in range(n_slots):
            self._update_open(s)
        self.free_tables = sum(model.tables)
        self.free_interps = sum(model.interp_cap)
        self.total = 0
        self.scheduled_weights: dict[int, int] = {}  # weight -> number of meetings

        self.log: list[tuple[int, int]] = []  # (pair, slot before) for undo
        self.tabu: set[int] = set()  # pairs placed or evicted by the current search
        self.visited: set[int] = set()  # persons expanded by augmenting paths in this search
        self.dead: dict[int, tuple[int, int]] = {}  # person -> (credit, steps) that failed
        self.nodes = 0  # of the current insertion attempt
        self.node_limit = _NODE_LIMIT
        self.work = 0  # search nodes of all attempts so far
        self.expired = False  # the deadline passed: every search fails from now on
        # To skip hopeless retries: the people each failed search looked at, and when people's
        # meetings last changed (in successful insertions counted by `version`).
        self.touched: set[int] = set()
        self.failed: dict[int, tuple[int, set[int]]] = {}
        self.version = 0
        self.changed_at = [0] * n_persons

        heaviest_first = sorted(range(model.n_pairs), key=lambda p: (-model.weight[p], p))
        self.incident: list[list[int]] = [[] for _ in range(n_persons)]
        # slot -> pairs needing an interpreter that could meet then
        self.interp_by_slot: list[list[int]] = [[] for _ in range(n_slots)]
        for p in heaviest_first:
            self.incident[model.pa[p]].append(p)
            self.incident[model.pb[p]].append(p)
            if model.needs_interp[p]:
                for s in _bits(model.cand[p]):
                    self.interp_by_slot[s].append(p)

    # basic state changes

    def _update_open(self, s: int) -> None:
        bit = 1 << s
        if self.count[s] < self.m.tables[s]:
            self.open_t |= bit
        else:
            self.open_t &= ~bit
        if self.icount[s] < self.m.interp_cap[s]:
            self.open_i |= bit
        else:
            self.open_i &= ~bit

    def add(self, p: int, s: int) -> None:
        m = self.m
        a, b = m.pa[p], m.pb[p]
        self.slot_of[p] = s
        self.occ[a][s] = p
        self.occ[b][s] = p
        bit = 1 << s
        self.busy[a] |= bit
        self.busy[b] |= bit
        self.count[s] += 1
        self.free_tables -= 1
        if m.needs_interp[p]:
            self.icount[s] += 1
            self.free_interps -= 1
        self.members[s].add(p)
        self.slot_version[s] += 1
        self._update_open(s)
        w = m.weight[p]
        self.by_weight[s][w].add(p)
        self.total += w
        self.scheduled_weights[w] = self.scheduled_weights.get(w, 0) + 1
        self.log.append((p, -1))

    def remove(self, p: int) -> None:
        m = self.m
        s = self.slot_of[p]
        a, b = m.pa[p], m.pb[p]
        self.slot_of[p] = -1
        self.occ[a][s] = -1
        self.occ[b][s] = -1
        bit = ~(1 << s)
        self.busy[a] &= bit
        self.busy[b] &= bit
        self.count[s] -= 1
        self.free_tables += 1
        if m.needs_interp[p]:
            self.icount[s] -= 1
            self.free_interps += 1
        self.members[s].discard(p)
        self.slot_version[s] += 1
        self.touched.add(a)
        self.touched.add(b)
        self._update_open(s)
        w = m.weight[p]
        self.by_weight[s][w].discard(p)
        self.total -= w
        self.scheduled_weights[w] -= 1
        self.log.append((p, s))

    def rollback(self, checkpoint: int) -> None:
        """Undo every change logged after `checkpoint`."""
        log = self.log
        while len(log) > checkpoint:
            p, old = log.pop()
            if old == -1:
                self.remove(p)
            else:
                self.add(p, old)
            self.tabu.discard(p)
            log.pop()  # the entry written by the undo itself

    def free_slots(self, p: int) -> int:
        """Mask of the slots where p could go right now."""
        m = self.m
        mask = m.cand[p] & ~(self.busy[m.pa[p]] | self.busy[m.pb[p]]) & self.open_t
        if m.needs_interp[p]:
            mask &= self.open_i
        return mask

    def movable(self, p: int) -> bool:
        return not self.fixed[p] and p not in self.tabu

    # idle gaps

    def person_gap(self, v: int, busy: int) -> int:
        """Empty available slots between the first and last busy slot."""
        if not busy:
            return 0
        first = (busy & -busy).bit_length() - 1
        span = (1 << busy.bit_length()) - (1 << first)
        return ((self.m.avail[v] | busy) & span).bit_count() - busy.bit_count()

    def total_gaps(self) -> int:
        return sum(self.person_gap(v, busy) for v, busy in enumerate(self.busy))

    def pick_slot(self, p: int, mask: int) -> int:
        """Among free slots, one that keeps tables usable by interpreted meetings, then the one
        that adds the least idle time, then the emptiest."""
        m = self.m
        a, b = m.pa[p], m.pb[p]
        busy_a, busy_b = self.busy[a], self.busy[b]
        gap = self.person_gap
        base = gap(a, busy_a) + gap(b, busy_b)
        plain = not m.needs_interp[p]
        best, best_key = -1, None
        for s in _bits(mask):
            bit = 1 << s
            delta = gap(a, busy_a | bit) + gap(b, busy_b | bit) - base
            free_tables = m.tables[s] - self.count[s]
            # A meeting without interpreter in a slot with as many free interpreters as free
            # tables takes a table that an interpreted meeting could have used.
            reserve = plain and free_tables <= m.interp_cap[s] - self.icount[s]
            key = (reserve, delta, -free_tables, s)
            if best_key is None or key < best_key:
                best, best_key = s, key
        return best

    # insertion moves; all return the credit left (>= 0) or -1 with the state unchanged

    def try_insert(self, p: int) -> bool:
        """Insert unassigned p so that the total weight strictly increases."""
        self.touched.clear()
        self.tabu.clear()
        self.visited = {self.m.pa[p], self.m.pb[p]}
        self.nodes = 0
        before = self.total
        checkpoint = len(self.log)
        got = self.place(p, _DEPTH, self.m.weight[p] - 1)
        self.work += self.nodes
        self.tabu.clear()
        if got >= 0 and self.total <= before:  # safety net for the credit bookkeeping
            self.rollback(checkpoint)
            got = -1
        if got < 0:
            if not self.expired:
                self.failed[p] = (self.version, self.node_limit, self.touched | self.visited)
            return False
        self.version += 1
        m = self.m
        for x, _ in self.log[checkpoint:]:
            self.changed_at[m.pa[x]] = self.changed_at[m.pb[x]] = self.version
        return True

    def may_succeed(self, p: int) -> bool:
        """False if p failed before, with as large a search, and none of the people its search
        looked at has changed since."""
        if p not in self.failed:
            return True
        version, limit, seen = self.failed[p]
        if limit < self.node_limit:
            return True
        changed_at = self.changed_at
        return any(changed_at[v] > version for v in seen)

    def worth_trying(self, p: int) -> bool:
        """Cheap necessary condition for inserting p with a gain: relocations never create
        room, so there must be a free table (and interpreter) or a lighter meeting."""
        if self.free_tables > 0 and (self.free_interps > 0 or not self.m.needs_interp[p]):
            return True
        w = self.m.weight[p]
        return any(n > 0 and v < w for v, n in self.scheduled_weights.items())

    def place(self, p: int, depth: int, credit: int) -> int:
        """Place unassigned p, evicting and re-placing others up to `depth` levels deep.

        `credit` is the weight we may still lose: an evicted meeting that cannot be re-placed is
        dropped if the credit allows, or compensated by an augmenting path.
        """
        if self.count_node():
            return -1
        free = self.free_slots(p)
        if free:
            self.add(p, self.pick_slot(p, free))
            self.tabu.add(p)
            return credit
        m = self.m
        cand = m.cand[p]
        # Kempe chains and squeezing need both participants free somewhere.
        if cand & ~self.busy[m.pa[p]] and cand & ~self.busy[m.pb[p]]:
            if self.free_tables and self.kempe(p):
                return credit
            got = self.squeeze(p, credit)
            if got >= 0:
                return got
        if depth == 0:
            return -1
        weight = m.weight
        options = []
        for s in _bits(cand):
            victims = self.victims(p, s)
            if victims is not None:
                options.append((sum(weight[x] for x in victims), len(victims), s, victims))
        options.sort()
        checkpoint = len(self.log)
        for _, _, s, victims in options:
            # Re-placing one victim can take the room another one needed: with two, try both
            # orders.
            for order in (victims,):
                for x in order:
                    self.remove(x)
                    self.tabu.add(x)  # pending: not to be picked up by an augmenting path
                self.add(p, s)
                self.tabu.add(p)
                left = credit
                for x in order:
                    got = self.place(x, depth - 1, left)
                    if got < 0 and weight[x] <= left:
                        got = left - weight[x]
                    if got < 0:
                        got = self.compensate(x, s, left - weight[x])
                    left = got
                    if left < 0:
                        break
                if left >= 0:
                    return left
                self.rollback(checkpoint)
        return -1

    def victims(self, p: int, s: int) -> list[int] | None:
        """Meetings that must leave slot s for p to fit there, or None if one of them is fixed."""
        m = self.m
        out: list[int] = []
        for x in (self.occ[m.pa[p]][s], self.occ[m.pb[p]][s]):
            if x != -1 and x not in out:
                if not self.movable(x):
                    return None
                out.append(x)
        need_table = self.count[s] - len(out) >= m.tables[s]
        need_interp = m.needs_interp[p] and (
            self.icount[s] - sum(m.needs_interp[x] for x in out) >= m.interp_cap[s]
        )
        if not (need_table or need_interp):
            return out
        if need_interp and m.interp_cap[s] == 0:
            return None
        extra = self.capacity_victim(s, need_interp, out)
        if extra == -1:
            return None
        out.append(extra)
        return out

    def capacity_victim(self, s: int, need_interp: bool, exclude: list[int]) -> int:
        """A meeting to take out of full slot s (one with an interpreter if `need_interp`): one
        that can move elsewhere right away costs nothing, otherwise the lightest."""
        m = self.m
        needs, fixed, tabu = m.needs_interp, self.fixed, self.tabu
        if self.free_tables:
            open_slots = self.open_t & self.open_i if need_interp else self.open_t
            cand = m.cand
            for x in self.members[s]:
                if (
                    open_slots & cand[x]
                    and (needs[x] or not need_interp)
                    and not fixed[x]
                    and x not in tabu
                    and x not in exclude
                    and self.free_slots(x)
                ):
                    return x
        for w in self.weight_levels:
            for x in self.by_weight[s][w]:
                if (needs[x] or not need_interp) and not fixed[x] and x not in tabu:
                    if x not in exclude:
                        return x
        return -1

    def kempe(self, p: int) -> bool:
        """Place unassigned p by swapping an alternating chain between two slots."""
        m = self.m
        occ, pa, pb, cand = self.occ, m.pa, m.pb, m.cand
        # The swap adds a meeting to s1 or s2 (depending on the chain's parity), so one of
        # them needs a free table (and interpreter, if p needs one).
        open_slots = self.open_t & self.open_i if m.needs_interp[p] else self.open_t
        for s2 in _bits(cand[p]):
            for start, other in ((pa[p], pb[p]), (pb[p], pa[p])):
                if occ[other][s2] != -1 or occ[start][s2] == -1:
                    continue
                # start is busy in s2, other is free: move start's meeting to a slot s1 where
                # start is free, then repair the conflicts that creates along the chain.
                targets = cand[occ[start][s2]] & ~self.busy[start] & ~(1 << s2)
                if not open_slots >> s2 & 1:
                    targets &= open_slots
                for s1 in _bits(targets):
                    if self._kempe_chain(p, start, other, s1, s2):
                        return True
        return False

    def _kempe_chain(self, p: int, start: int, other: int, s1: int, s2: int) -> bool:
        m = self.m
        occ, pa, pb, cand, needs = self.occ, m.pa, m.pb, m.cand, m.needs_interp
        moves: list[tuple[int, int]] = []
        seen = {start, other}
        person, frm, to = start, s2, s1
        x = occ[start][s2]
        while True:
            if not self.movable(x) or not cand[x] >> to & 1 or len(moves) > 40:
                return False
            moves.append((x, to))
            nxt = pb[x] if pa[x] == person else pa[x]
            if nxt in seen:
                return False  # odd cycle or back at the pair: not a simple chain
            y = occ[nxt][to]
            if y == -1:
                break
            seen.add(nxt)
            person, frm, to, x = nxt, to, frm, y
        # Table and interpreter counts of both slots after the swap.
        tables = {s1: 0, s2: 1}
        interps = {s1: 0, s2: int(needs[p])}
        for x, to in moves:
            frm = s1 if to == s2 else s2
            tables[to] += 1
            tables[frm] -= 1
            if needs[x]:
                interps[to] += 1
                interps[frm] -= 1
        for s in (s1, s2):
            if self.count[s] + tables[s] > m.tables[s]:
                return False
            if self.icount[s] + interps[s] > m.interp_cap[s]:
                return False
        for x, _ in moves:
            self.remove(x)
        for x, to in moves:
            self.add(x, to)
            self.tabu.add(x)
        self.add(p, s2)
        self.tabu.add(p)
        return True

    def squeeze(self, p: int, credit: int) -> int:
        """Put p into a full slot where both participants are free, pushing out a meeting that
        can move elsewhere right away or is light enough to drop."""
        s, k, cost = self.squeeze_option(p)
        if s == -1 or cost > credit:
            return -1
        self.remove(k)
        self.add(p, s)
        self.tabu.add(p)
        if cost == 0:
            self.add(k, self.pick_slot(k, self.free_slots(k)))
            self.tabu.add(k)
        return credit - cost

    def squeeze_option(self, p: int) -> tuple[int, int, int]:
        """The cheapest (slot, meeting to push out, weight lost) for squeeze(), or -1s."""
        m = self.m
        needs = m.needs_interp[p]
        floor = 0 if self.free_tables else self.lightest()  # no option can be cheaper
        best = (-1, -1, 0)
        for s in _bits(m.cand[p] & ~(self.busy[m.pa[p]] | self.busy[m.pb[p]])):
            if needs and m.interp_cap[s] == 0:
                continue
            k = self.capacity_victim(s, needs and self.icount[s] >= m.interp_cap[s], [])
            if k == -1:
                continue
            cost = 0 if self.free_slots(k) else m.weight[k]
            if best[0] == -1 or cost < best[2]:
                best = (s, k, cost)
                if cost <= floor:
                    break
        return best

    def lightest(self) -> int:
        """Weight of the lightest scheduled meeting."""
        for w in self.weight_levels:
            if self.scheduled_weights.get(w):
                return w
        return 0

    def compensate(self, x: int, s: int, credit: int) -> int:
        """x was dropped from slot s: make up the loss (credit < 0) with an augmenting path from
        one of its participants, or with the interpreter it no longer uses."""
        for v in (self.m.pa[x], self.m.pb[x]):
            got = self.alternate(v, credit, _MAX_STEPS)
            if got >= 0:
                return got
        if self.m.needs_interp[x]:
            return self.use_interpreter(s, credit)
        return -1

    def use_interpreter(self, s: int, credit: int) -> int:
        """An interpreter is free in slot s: give it to the heaviest waiting pair that fits."""
        m = self.m
        weight, busy, pa, pb = m.weight, self.busy, m.pa, m.pb
        if self.icount[s] >= m.interp_cap[s]:
            return -1
        k, cost = -1, 0
        if self.count[s] >= m.tables[s]:
            # The slot is full: the new meeting pushes out one that moves away or is dropped.
            k = self.capacity_victim(s, False, [])
            if k == -1:
                return -1
            cost = 0 if self.free_slots(k) else weight[k]
        bit = 1 << s
        for y in self.interp_by_slot[s]:
            wy = weight[y]
            if wy + credit - cost < 0:
                break
            if self.slot_of[y] != -1 or (busy[pa[y]] | busy[pb[y]]) & bit or y in self.tabu:
                continue
            if k != -1:
                self.remove(k)
            self.add(y, s)
            self.tabu.add(y)
            if k != -1 and cost == 0:
                self.add(k, self.pick_slot(k, self.free_slots(k)))
                self.tabu.add(k)
            return credit + wy - cost
        return -1

    def hopeful(self, v: int, credit: int, steps: int) -> bool:
        """False if an augmenting path from v is known to fail (visited, or failed before)."""
        if v in self.visited:
            return False
        dead = self.dead.get(v)
        return dead is None or dead[0] < credit or dead[1] < steps

    def alternate(self, v: int, credit: int, steps: int) -> int:
        """Person v has just lost a meeting; give v another of its requests y = (v, d).

        If y has no free slot, y takes a slot t where v is free and pushes out z, d's meeting
        there (or a meeting of the full slot): z moves elsewhere, is dropped if the credit
        allows, or the path continues from z's other participant. `credit` (< 0) is the loss to
        make up.
        """
        if not self.hopeful(v, credit, steps):
            return -1
        self.visited.add(v)
        m = self.m
        weight, needs, occ, interp_cap = m.weight, m.needs_interp, self.occ, m.interp_cap
        checkpoint = len(self.log)
        for y in self.incident[v]:
            wy = weight[y]
            if wy + credit < 0:
                break  # incident lists are sorted by weight, nothing lighter can help
            if self.slot_of[y] != -1 or not m.cand[y] or y in self.tabu:
                continue
            if self.count_node():
                return -1
            free = self.free_slots(y)
            if free:
                self.add(y, self.pick_slot(y, free))
                self.tabu.add(y)
                return credit + wy
            d = m.pb[y] if m.pa[y] == v else m.pa[y]
            self.touched.add(d)
            deeper = []
            for t in _bits(m.cand[y] & ~self.busy[v]):
                z = occ[d][t]
                if z == -1:
                    z = self.capacity_victim(t, needs[y] and self.icount[t] >= interp_cap[t], [])
                    if z == -1:
                        continue
                elif not self.movable(z):
                    continue
                if needs[y] and self.icount[t] - needs[z] >= interp_cap[t]:
                    continue
                left = credit + wy - weight[z]
                relocate = self.free_slots(z)
                if relocate or left >= 0:
                    self.remove(z)
                    self.add(y, t)
                    self.tabu.add(y)
                    if relocate:
                        self.add(z, self.pick_slot(z, self.free_slots(z)))
                        self.tabu.add(z)
                        return credit + wy
                    return left
                if credit + wy >= self.lightest() and m.cand[z] & ~(
                    self.busy[m.pa[z]] | self.busy[m.pb[z]]
                ):
                    # z may fit into a full slot where both its participants are free (that
                    # slot is not t, so the option does not change when y takes z's place).
                    s, _, cost = self.squeeze_option(z)
                    if s != -1 and credit + wy - cost >= 0:
                        self.remove(z)
                        self.add(y, t)
                        self.tabu.add(y)
                        got = self.squeeze(z, credit + wy)
                        if got >= 0:
                            return got
                        self.rollback(checkpoint)
                if steps > 0:
                    ends = [
                        e for e in (m.pa[z], m.pb[z]) if e != d and self.hopeful(e, left, steps)
                    ]
                    if ends or (needs[z] and not needs[y]):
                        deeper.append((weight[z], t, z))
            deeper.sort()
            for _, t, z in deeper:
                self.remove(z)
                self.tabu.add(z)
                self.add(y, t)
                self.tabu.add(y)
                left = credit + wy - weight[z]
                for e in (m.pa[z], m.pb[z]):
                    if e != d:
                        got = self.alternate(e, left, steps - 1)
                        if got >= 0:
                            return got
                if needs[z] and not needs[y]:
                    got = self.use_interpreter(t, left)
                    if got >= 0:
                        return got
                self.rollback(checkpoint)
        if self.nodes <= self.node_limit:
            self.dead[v] = (credit, steps)
        return -1

    # idle-gap moves (the set of meetings stays the same)

    def gap_move(self, p: int, s: int, t: int) -> bool:
        """Swap p's Kempe chain between slots s and t if that reduces idle gaps; if it leaves
        one slot over capacity, another chain of the two slots has to swap too."""
        chain = self.component(p, s, t)
        if chain is None:
            return False
        delta = self._chain_delta(chain, s, t)
        if delta >= 0:
            return False
        into_t, interp_into_t = self._chain_counts(chain, s)
        if not self._counts_fit(s, t, into_t, interp_into_t):
            chains, owner = self.slot_pair_chains(s, t)
            mine = owner[p]
            best, extra = 0, None
            for i, (other, q_into_t, q_interp) in enumerate(chains):
                # The counts are cheap and rule out most chains before their gaps are counted.
                if i == mine or not self._counts_fit(
                    s, t, into_t + q_into_t, interp_into_t + q_interp
                ):
                    continue
                q_delta = self._chain_delta(other, s, t)
                if delta + q_delta < best:
                    best, extra = delta + q_delta, other
            if extra is None:
                return False
            chain = chain + extra
        moves = [(x, t if self.slot_of[x] == s else s) for x in chain]
        for x, _ in moves:
            self.remove(x)
        for x, dst in moves:
            self.add(x, dst)
        return True

    def slot_pair_chains(self, s: int, t: int) -> tuple[list[tuple[list[int], int, int]], dict]:
        """The Kempe chains of slots s and t that can swap, with their counts (meetings and
        interpreted meetings into t), and the chain of each of their meetings. They depend on
        nothing but the two slots' meetings, so they are kept until one of the slots changes:
        most gap moves fail, and the next one often asks about the same two slots."""
        version = (self.slot_version[s], self.slot_version[t])
        cached = self.chains_cache.get((s, t))
        if cached is not None and cached[0] == version:
            return cached[1], cached[2]
        chains: list[tuple[list[int], int, int]] = []
        owner: dict[int, int] = {}
        seen: set[int] = set()
        both = (1 << s) | (1 << t)
        cand, fixed, keep = self.m.cand, self.fixed, self.keep_slot
        for q in itertools.chain(self.members[s], self.members[t]):
            # Most meetings cannot change between the two slots: skip them before their chain
            # is built.
            if cand[q] & both != both or fixed[q] or keep[q] or q in seen:
                continue
            chain = self.component(q, s, t, seen)
            if chain is not None:
                for x in chain:
                    owner[x] = len(chains)
                chains.append((chain, *self._chain_counts(chain, s)))
        self.chains_cache[(s, t)] = (version, chains, owner)
        return chains, owner

    def _chain_counts(self, chain: list[int], s: int) -> tuple[int, int]:
        """(meetings into t, interpreted meetings into t) if the chain swaps slots s and t."""
        needs, slot_of = self.m.needs_interp, self.slot_of
        into_t = interp_into_t = 0
        for x in chain:
            sign = 1 if slot_of[x] == s else -1
            into_t += sign
            if needs[x]:
                interp_into_t += sign
        return into_t, interp_into_t

    def _chain_delta(self, chain: list[int], s: int, t: int) -> int:
        """Change of the idle gaps if the chain swaps slots s and t."""
        m = self.m
        flip = (1 << s) | (1 << t)
        toggles: dict[int, int] = {}
        for x in chain:
            for v in (m.pa[x], m.pb[x]):
                toggles[v] = toggles.get(v, 0) ^ flip
        gap, busy = self.person_gap, self.busy
        return sum(gap(v, busy[v] ^ f) - gap(v, busy[v]) for v, f in toggles.items())

    def component(self, p: int, s: int, t: int, seen: set[int] | None = None) -> list[int] | None:
        """Meetings of slots s and t linked to p through shared participants (a Kempe chain),
        or None if one of them cannot switch slots. The meetings visited are added to `seen`,
        whole chains also when they cannot switch (so that none is explored twice)."""
        m = self.m
        occ, pa, pb, cand, slot_of = self.occ, m.pa, m.pb, m.cand, self.slot_of
        fixed, keep = self.fixed, self.keep_slot
        chain = [p]
        members = {p}
        ok = True
        i = 0
        while i < len(chain):
            x = chain[i]
            i += 1
            other = t if slot_of[x] == s else s
            if fixed[x] or keep[x] or not cand[x] >> other & 1:
                ok = False
                if seen is None:
                    return None
            if len(chain) > 40:
                ok = False
                break
            for v in (pa[x], pb[x]):
                y = occ[v][other]
                if y != -1 and y not in members:
                    members.add(y)
                    chain.append(y)
        if seen is not None:
            seen |= members
        return chain if ok else None

    def _counts_fit(self, s: int, t: int, into_t: int, interp_into_t: int) -> bool:
        m = self.m
        return (
            self.count[t] + into_t <= m.tables[t]
            and self.count[s] - into_t <= m.tables[s]
            and self.icount[t] + interp_into_t <= m.interp_cap[t]
            and self.icount[s] - interp_into_t <= m.interp_cap[s]
        )

    def count_node(self) -> bool:
        """Count a search node; True when the attempt must give up (its node limit, or the
        deadline, which is checked every 64 nodes: a few milliseconds at most)."""
        self.nodes += 1
        if self.nodes & 63 == 0 and self.out_of_time():
            self.expired = True
        return self.nodes > self.node_limit or self.expired

    def out_of_time(self) -> bool:
        if time.monotonic() > self.deadline:
            self.expired = True
        return self.expired


# -- phases --------------------------------------------------------------------------------


def _seed(engine: _Engine, model: _Model, pin_previous: bool) -> None:
    """Place locked meetings, then the still-feasible meetings of the previous schedule."""
    for p, (s, _table) in model.locked.items():
        a, b = model.pa[p], model.pb[p]
        if engine.occ[a][s] != -1 or engine.occ[b][s] != -1:
            raise ValueError(f"locked meetings overlap for {model.pairs[p]}")
        if model.needs_interp[p] and engine.icount[s] >= model.interp_cap[s]:
            raise ValueError(
                f"not enough interpreters for the locked meetings in slot {model.slot_ids[s]!r}"
            )
        engine.add(p, s)
        engine.fixed[p] = True
    for p in sorted(model.previous, key=lambda p: (-model.weight[p], p)):
        s = model.previous[p][0]
        if engine.slot_of[p] == -1 and engine.free_slots(p) >> s & 1:
            engine.add(p, s)
            engine.fixed[p] = pin_previous
            engine.keep_slot[p] = True
    engine.log.clear()


def _greedy(engine: _Engine, model: _Model, progress: _Progress) -> None:
    """Heaviest first; then pairs without interpreter; then fewest free slots left."""
    weight, needs, cand, pa, pb = model.weight, model.needs_interp, model.cand, model.pa, model.pb
    slot_of, busy = engine.slot_of, engine.busy
    heap = []
    by_slot: list[list[int]] = [[] for _ in range(model.n_slots)]  # pairs that could meet then
    plain_by_slot: list[list[int]] = [[] for _ in range(model.n_slots)]  # of them, no interpreter
    for p in range(model.n_pairs):
        if slot_of[p] == -1 and cand[p]:
            heap.append((-weight[p], needs[p], engine.free_slots(p).bit_count(), p))
            for s in _bits(cand[p]):
                by_slot[s].append(p)
                if not needs[p]:
                    plain_by_slot[s].append(p)
    heapq.heapify(heap)

    def push(y: int) -> None:
        f = engine.free_slots(y).bit_count()
        if f:
            heapq.heappush(heap, (-weight[y], needs[y], f, y))

    todo = len(heap)
    done = popped = 0
    while heap and engine.open_t:  # once every table is taken, nothing else fits
        popped += 1
        if popped % 64 == 0 and engine.out_of_time():
            break
        item = heapq.heappop(heap)
        p = item[-1]
        if engine.slot_of[p] != -1:
            continue
        mask = engine.free_slots(p)
        free = mask.bit_count()
        if not free:
            continue
        if free != item[2]:  # stale entry: the pair lost free slots since it was ranked
            heapq.heappush(heap, (-weight[p], needs[p], free, p))
            continue
        s = engine.pick_slot(p, mask)
        engine.add(p, s)
        done += 1
        if done % 16 == 0:
            progress(5 + 20 * done / todo)
        # Re-rank the pairs that just lost slot s: the participants' other requests, and if
        # s just filled up, those who were free then (with an interpreter, if it was the
        # interpreters that ran out).
        bit = 1 << s
        for y in engine.incident[pa[p]] + engine.incident[pb[p]]:
            if slot_of[y] == -1 and cand[y] & bit:
                push(y)
        if not engine.open_t & bit:
            # Pairs needing an interpreter lost s only if one was still free.
            others = by_slot[s] if needs[p] or engine.open_i & bit else plain_by_slot[s]
        elif needs[p] and not engine.open_i & bit:
            others = engine.interp_by_slot[s]
        else:
            continue
        for y in others:
            if slot_of[y] == -1 and not (busy[pa[y]] | busy[pb[y]]) & bit:
                push(y)
    engine.log.clear()
    progress(25)


def _improve(engine: _Engine, model: _Model, progress: _Progress, budget: int) -> None:
    """Insertion passes, heaviest first, until a pass finds no improvement or `budget` search
    nodes are spent."""
    weight = model.weight
    engine.node_limit = _NODE_LIMIT
    start = engine.work
    for _rnd in range(1000):
        if engine.out_of_time():
            return
        pool = sorted(
            (p for p in range(model.n_pairs) if engine.slot_of[p] == -1 and model.cand[p]),
            key=lambda p: (-weight[p], model.cand[p].bit_count(), p),
        )
        # A failure is remembered for one pass; after a success elsewhere it may be slightly
        # stale, which costs at most a missed chance until the next pass.
        engine.dead.clear()
        improved = False
        for p in pool:
            if engine.slot_of[p] != -1 or weight[p] == 0:
                continue
            if engine.worth_trying(p) and engine.may_succeed(p) and engine.try_insert(p):
                improved = True
            engine.log.clear()
            if engine.work - start >= budget or engine.expired:
                return
            progress(25 + 60 * (engine.work - start) / budget)
        if not improved:
            break
    progress(85)


def _perturb(engine: _Engine, model: _Model) -> None:
    """Forced insertions: put an unscheduled pair into a slot whatever it evicts, then let the
    evicted meetings and their participants' other requests find new places; keep the result
    only if the total weight went up. Escapes what the bounded ejection chains cannot reach."""
    weight, pa, pb = model.weight, model.pa, model.pb
    if engine.out_of_time():
        return
    pool = sorted(
        (p for p in range(model.n_pairs) if engine.slot_of[p] == -1 and model.cand[p]),
        key=lambda p: (-weight[p], model.cand[p].bit_count(), p),
    )
    engine.node_limit = _KICK_NODE_LIMIT
    kicks = work = 0
    for p, s in ((q, s) for q in pool for s in _bits(model.cand[q])):
        if kicks >= _MAX_KICKS or work >= _KICK_WORK or engine.out_of_time():
            break
        if engine.slot_of[p] != -1:
            continue
        engine.log.clear()
        engine.tabu.clear()
        victims = engine.victims(p, s)
        if not victims:
            continue
        kicks += 1
        engine.dead.clear()  # failures seen in an earlier kick's state mean nothing here
        before = engine.total
        for x in victims:
            engine.remove(x)
        engine.add(p, s)
        engine.fixed[p] = True  # the repair must not undo the kick itself
        # The victims, and the requests of the people who lost a meeting to the kick.
        losers = {v for x in victims for v in (pa[x], pb[x])} - {pa[p], pb[p]}
        repair = set(victims).union(*(engine.incident[v] for v in losers))
        for y in sorted(repair, key=lambda y: (-weight[y], y)):
            if engine.slot_of[y] == -1 and model.cand[y] and engine.worth_trying(y):
                engine.try_insert(y)
                work += engine.nodes
        engine.fixed[p] = False
        if engine.total <= before:
            engine.rollback(0)
    engine.log.clear()
    engine.failed.clear()  # recorded in kicked states that were rolled back


def _reduce_gaps(engine: _Engine, model: _Model, progress: _Progress) -> None:
    """Hill-climb on idle gaps: move the first or last meeting of someone's day to a slot that
    shortens the day (into a hole, or next to the other end), until a round finds nothing or
    _GAP_MOVES moves have been tried."""
    gap = engine.person_gap
    tried = 0
    for rnd in range(100):
        improved = False
        for v in range(len(model.person_ids)):
            busy = engine.busy[v]
            now = gap(v, busy)
            if not now:
                continue
            first = (busy & -busy).bit_length() - 1
            last = busy.bit_length() - 1
            free = model.avail[v] & ~busy
            for src in (first, last):
                p = engine.occ[v][src]
                targets = [
                    t
                    for t in _bits(free & model.cand[p])
                    if gap(v, busy ^ (1 << src) ^ (1 << t)) < now
                ]
                tried += len(targets)
                if any(engine.gap_move(p, src, t) for t in targets):
                    improved = True
                    break
            if tried >= _GAP_MOVES or engine.out_of_time():
                return
        engine.log.clear()
        progress(85 + 12 * (1 - 0.5 ** (rnd + 1)))
        if not improved:
            return


# -- result ----------------------------------------------------------------------------------


def _build_result(engine: _Engine, model: _Model, problem: Problem) -> ScheduleResult:
    tables: dict[int, int] = {}
    interps: dict[int, int] = {}
    for s in range(model.n_slots):
        members = sorted(engine.members[s])
        taken = set()
        for p in members:
            if p in model.locked:
                tables[p] = model.locked[p][1]
                taken.add(tables[p])
        # Previous meetings keep their table when it is free; the rest take the lowest free.
        for p in members:
            prev = model.previous.get(p)
            if p not in tables and prev and prev[0] == s and prev[1] not in taken:
                if 0 <= prev[1] < model.tables[s]:
                    tables[p] = prev[1]
                    taken.add(prev[1])
        free = (t for t in range(model.tables[s]) if t not in taken)
        for p in members:
            if p not in tables:
                tables[p] = next(free)
        needing = [p for p in members if model.needs_interp[p]]
        for i, p in enumerate(sorted(needing, key=lambda p: (p not in model.locked, p))):
            interps[p] = i

    assignments: dict[Pair, tuple[Slot, int]] = {}
    interpreters: dict[Pair, int] = {}
    unscheduled: dict[Pair, str] = {}
    for p, pair in enumerate(model.pairs):
        s = engine.slot_of[p]
        if s != -1:
            assignments[pair] = (model.slot_ids[s], tables[p])
            if p in interps:
                interpreters[pair] = interps[p]
        elif model.requested[p]:
            unscheduled[pair] = _reason(engine, model, p)
    moved = []
    for pair, place in problem.previous.items():
        p = model.pair_index.get(pair_key(*pair))
        if p is None or engine.slot_of[p] == -1 or assignments[model.pairs[p]] != tuple(place):
            moved.append(pair)
    return ScheduleResult(
        assignments=assignments,
        interpreters=interpreters,
        unscheduled=unscheduled,
        total_weight=engine.total,
        idle_gaps=engine.total_gaps(),
        moved=moved,
    )


def _reason(engine: _Engine, model: _Model, p: int) -> str:
    cand = model.cand[p]
    if not cand:
        return NO_COMMON_SLOT
    if model.needs_interp[p] and not any(model.interp_cap[s] for s in _bits(cand)):
        return NO_INTERPRETER
    if not cand & ~(engine.busy[model.pa[p]] | engine.busy[model.pb[p]]):
        return PARTICIPANT_BUSY
    return CAPACITY
