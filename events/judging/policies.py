"""Who may do what in judging: plain predicates, no writes.

`actor` None is the system (a task, the demo data), which the services let through.
"""

from events.judging.models import JudgeAssignment
from incubator.roles import staff_with

CORRECT_SCORE = "events.correct_score"


def can_assign_judges(actor, round_=None) -> bool:
    return staff_with(actor, "events.add_judgeassignment")


def can_unassign_judges(actor, round_=None) -> bool:
    return staff_with(actor, "events.delete_judgeassignment")


def can_release_results(actor, round_=None) -> bool:
    return staff_with(actor, "events.change_competitionround")


def can_set_up_round(actor, round_=None) -> bool:
    """Add, change or delete rounds, their criteria and their entries: the event coordinators."""
    return staff_with(actor, "events.change_competitionround")


def can_set_criteria(actor, round_=None) -> bool:
    """Add, change or delete a round's criteria: until its results are published, since the
    published ranking is computed with them."""
    return can_set_up_round(actor) and not (round_ and round_.released_at)


def can_change_criterion(actor, criterion) -> bool:
    return can_set_criteria(actor, criterion.round)


def can_record_conflict(actor, declaration=None) -> bool:
    """Record or withdraw a judge's declared conflict of interest: the event coordinators."""
    return staff_with(actor, "events.change_conflictdeclaration")


def holds_final_scores(*, round_=None, entry=None) -> bool:
    """Say whether judges submitted score sheets for `round_` (or `entry`): those stay."""
    sheets = JudgeAssignment.objects.filter(submitted_at__isnull=False)
    if round_ is not None:
        sheets = sheets.filter(entry__round=round_)
    if entry is not None:
        sheets = sheets.filter(entry=entry)
    return sheets.exists()


def can_delete_round(actor, round_=None) -> bool:
    return can_set_up_round(actor) and not (round_ and holds_final_scores(round_=round_))


def can_delete_entry(actor, entry=None) -> bool:
    return can_set_up_round(actor) and not (entry and holds_final_scores(entry=entry))


def can_score(actor, assignment) -> bool:
    """Only the assigned judge scores an entry."""
    return actor is not None and assignment.judge_id == actor.pk


def can_correct_score(actor, score=None) -> bool:
    return actor is not None and actor.has_perm(CORRECT_SCORE)
