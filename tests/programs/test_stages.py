"""The stage machine and the quarters, as pure functions."""

import datetime as dt
import itertools

import pytest

from programs import stages
from programs.stages import (
    ACCELERATION,
    GRADUATED,
    INCUBATION,
    INDUSTRIALIZATION,
    WITHDRAWN,
    Quarter,
)

# The whole table, written out: (from, to) pairs that are allowed.
ALLOWED = {
    (INCUBATION, ACCELERATION),
    (INCUBATION, WITHDRAWN),
    (ACCELERATION, INDUSTRIALIZATION),
    (ACCELERATION, WITHDRAWN),
    (INDUSTRIALIZATION, GRADUATED),
    (INDUSTRIALIZATION, WITHDRAWN),
}
ALL_PAIRS = list(itertools.product(stages.STAGES, repeat=2))
REFUSED = [pair for pair in ALL_PAIRS if pair not in ALLOWED]


def test_the_table_is_the_documented_one():
    assert {(a, b) for a, targets in stages.TRANSITIONS.items() for b in targets} == ALLOWED
    assert set(stages.TRANSITIONS) == set(stages.STAGES)


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_an_allowed_move_is_allowed(current, target):
    assert stages.is_allowed(current, target)
    assert stages.refusal(current, target, open_required=0, override=False) is None


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_a_move_outside_the_table_is_refused_even_with_an_override(current, target):
    assert not stages.is_allowed(current, target)
    assert stages.refusal(current, target, open_required=0, override=True) == "not_allowed"


@pytest.mark.parametrize(
    ("current", "target"), sorted(pair for pair in ALLOWED if pair[1] != WITHDRAWN)
)
def test_moving_forward_needs_the_required_milestones_or_an_override(current, target):
    assert stages.refusal(current, target, open_required=1, override=False) == "milestones_open"
    assert stages.refusal(current, target, open_required=1, override=True) is None


@pytest.mark.parametrize("current", [INCUBATION, ACCELERATION, INDUSTRIALIZATION])
def test_withdrawing_needs_no_milestone(current):
    assert stages.refusal(current, WITHDRAWN, open_required=3, override=False) is None


@pytest.mark.parametrize("ended", [GRADUATED, WITHDRAWN])
def test_an_ended_enrollment_goes_nowhere(ended):
    assert stages.TRANSITIONS[ended] == ()


def test_every_milestone_default_belongs_to_a_working_stage_and_one_completes_with_the_entity():
    assert {m.stage for m in stages.DEFAULT_MILESTONES} <= set(stages.WORKING_STAGES)
    codes = [m.code for m in stages.DEFAULT_MILESTONES]
    assert len(codes) == len(set(codes))
    assert stages.LOCAL_ENTITY_MILESTONE in codes
    # Leaving incubation needs the local entity; each working stage has a required milestone.
    for stage in stages.WORKING_STAGES:
        assert any(m.required for m in stages.DEFAULT_MILESTONES if m.stage == stage)


def test_quarters_know_their_days_and_neighbours():
    assert stages.quarter_of(dt.date(2026, 11, 26)) == Quarter(2026, 4)
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    assert Quarter(2024, 1).last_day == dt.date(2024, 3, 31)
    assert Quarter(2026, 4).first_day == dt.date(2026, 10, 1)
    assert str(Quarter(2026, 3)) == "2026 Q3"


def test_the_report_asked_for_is_the_last_ended_quarter_not_reported():
    started, today = dt.date(2026, 2, 10), dt.date(2026, 11, 26)
    assert stages.quarters_due(started_on=started, today=today) == [
        Quarter(2026, 1),
        Quarter(2026, 2),
        Quarter(2026, 3),
    ]
    assert stages.report_due(started_on=started, today=today, reported=[]) == Quarter(2026, 3)
    assert stages.report_due(started_on=started, today=today, reported=[(2026, 3)]) is None
    # Enrolled this quarter: nothing has ended yet.
    assert stages.report_due(started_on=dt.date(2026, 10, 2), today=today, reported=[]) is None


def test_only_ended_quarters_since_the_enrollment_may_be_reported():
    started, today = dt.date(2026, 2, 10), dt.date(2026, 11, 26)
    assert stages.is_reportable(Quarter(2026, 1), started_on=started, today=today)
    assert stages.is_reportable(Quarter(2026, 3), started_on=started, today=today)
    assert not stages.is_reportable(Quarter(2026, 4), started_on=started, today=today)
    assert not stages.is_reportable(Quarter(2025, 4), started_on=started, today=today)


def test_a_milestone_is_due_only_once_its_stage_is_reached():
    assert stages.reached(INCUBATION, INCUBATION)
    assert stages.reached(INCUBATION, INDUSTRIALIZATION)
    assert not stages.reached(ACCELERATION, INCUBATION)
    assert not stages.reached(INCUBATION, WITHDRAWN)
    assert not stages.reached(INDUSTRIALIZATION, GRADUATED)
