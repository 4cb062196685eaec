"""Who may do what in judging: plain predicates, no writes.

`actor` None is the system (a task, the demo data), which the services let through.
"""

CORRECT_SCORE = "events.correct_score"


def _staff_with(actor, permission: str) -> bool:
    return actor is None or (actor.is_staff and actor.has_perm(permission))


def can_assign_judges(actor, round_=None) -> bool:
    return _staff_with(actor, "events.add_judgeassignment")


def can_unassign_judges(actor, round_=None) -> bool:
    return _staff_with(actor, "events.delete_judgeassignment")


def can_release_results(actor, round_=None) -> bool:
    return _staff_with(actor, "events.change_competitionround")


def can_score(actor, assignment) -> bool:
    """Only the assigned judge scores an entry."""
    return actor is not None and assignment.judge_id == actor.pk


def can_correct_score(actor, score=None) -> bool:
    return actor is not None and actor.has_perm(CORRECT_SCORE)
