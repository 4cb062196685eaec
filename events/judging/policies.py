"""Who may do what in judging: plain predicates, no writes.

`actor` None is the system (a task, the demo data), which the services let through.
"""

from django.utils.translation import gettext as _

from companies.models import Membership
from events.judging.models import ConflictDeclaration, JudgeAssignment
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


def judging_conflicts(round_id: int, pairs) -> dict[tuple[int, int], str]:
    """Return why each (judge, entry) of `pairs`, entries of round `round_id`, may not be
    judged, keyed (judge id, entry id); a pair that may is left out.

    A judge may not score a company they declared a conflict of interest with, nor any
    entry of a round their own company competes in: neither its own entry nor a rival's,
    since one ranking sets them against each other. Two queries, however many pairs.
    """
    pairs = list(pairs)
    judge_ids = {judge.pk for judge, _entry in pairs}
    declared = set(
        ConflictDeclaration.objects.filter(
            judge_id__in=judge_ids, company_id__in={entry.company_id for _judge, entry in pairs}
        ).values_list("judge_id", "company_id")
    )
    # One company per account; one entry per company and round.
    competing = {
        membership.user_id: membership.company
        for membership in Membership.objects.filter(
            user_id__in=judge_ids, company__competition_entries__round_id=round_id
        ).select_related("company")
    }
    why = {}
    for judge, entry in pairs:
        company = competing.get(judge.pk)
        if (judge.pk, entry.company_id) in declared:
            reason = _("%(judge)s declared a conflict of interest with %(company)s.")
            company = entry.company
        elif company is None:
            continue
        elif company.pk == entry.company_id:
            reason = _("%(judge)s is a member of %(company)s and cannot judge its entry.")
        else:
            reason = _(
                "%(judge)s is a member of %(company)s, which has an entry in this round, "
                "and cannot judge its rivals."
            )
        why[judge.pk, entry.pk] = reason % {"judge": judge, "company": company}
    return why


def judge_conflict(judge, entry) -> str | None:
    """Return why `judge` may not score `entry` (see `judging_conflicts`), or None."""
    return judging_conflicts(entry.round_id, [(judge, entry)]).get((judge.pk, entry.pk))


def can_score(actor, assignment) -> bool:
    """Only the assigned judge scores an entry."""
    return actor is not None and assignment.judge_id == actor.pk


def can_correct_score(actor, score=None) -> bool:
    return actor is not None and actor.has_perm(CORRECT_SCORE)
