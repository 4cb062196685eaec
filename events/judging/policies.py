"""Who may do what in judging: plain predicates, no writes.

`actor` None is the system (a task, the demo data), which the services let through.
"""

from django.utils import timezone
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


def criteria_fixed_because(round_) -> str | None:
    """Return why the criteria of `round_` stay as they are (None: they may change).

    Once a judge submitted a sheet, a criterion's maximum and weight are what it was scored
    against, and a criterion added or removed would leave sheets incomplete or orphaned;
    published results are computed with them too.
    """
    if round_ is None or round_.pk is None:
        return None
    if round_.released_at is not None:
        return _("The results of this round are published; its criteria stay as they were judged.")
    if holds_final_scores(round_=round_):
        return _(
            "Judges submitted scores in this round: its criteria, their maximum scores and "
            "weights stay as they were judged."
        )
    return None


def can_set_criteria(actor, round_=None) -> bool:
    """Add or delete a round's criteria, or change their maximum and weight: until a judge
    submits a sheet (`criteria_fixed_because`)."""
    return can_set_up_round(actor) and criteria_fixed_because(round_) is None


def can_change_criterion(actor, criterion) -> bool:
    """Change a criterion's name or order: until the round's results are published (its
    maximum and weight: `can_set_criteria`)."""
    return can_set_up_round(actor) and criterion.round.released_at is None


def can_record_conflict(actor, declaration=None) -> bool:
    """Record or withdraw a judge's declared conflict of interest: the event coordinators."""
    return staff_with(actor, "events.change_conflictdeclaration")


def conflict_kept_because(declaration: ConflictDeclaration) -> str | None:
    """Why a declared conflict cannot be withdrawn: it left a judge's submitted scores out of
    a ranking published since, and withdrawing it would put them back, changing the ranking
    the entrants were told. None: it may go."""
    left_out = JudgeAssignment.objects.filter(
        judge_id=declaration.judge_id,
        entry__company_id=declaration.company_id,
        submitted_at__isnull=False,
        entry__round__released_at__gt=declaration.declared_at,
    )
    if not left_out.exists():
        return None
    return _(
        "This conflict left the judge's scores out of a ranking published since: withdrawn, "
        "it would change the results the entrants were told."
    )


def can_withdraw_conflict(actor, declaration: ConflictDeclaration) -> bool:
    return can_record_conflict(actor, declaration) and conflict_kept_because(declaration) is None


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
    judged, keyed (judge id, entry id); a pair that may is left out (see
    `judging_conflicts_since`)."""
    return {key: why for key, (why, _since) in judging_conflicts_since(round_id, pairs).items()}


def judging_conflicts_since(round_id: int, pairs) -> dict[tuple[int, int], tuple[str, object]]:
    """Return why each (judge, entry) of `pairs`, entries of round `round_id`, may not be
    judged, and since when, keyed (judge id, entry id); a pair that may is left out.

    A judge may not score a company they declared a conflict of interest with, nor any
    entry of a round their own company competes in: neither its own entry nor a rival's,
    since one ranking sets them against each other. Two queries, however many pairs.
    """
    pairs = list(pairs)
    judge_ids = {judge.pk for judge, _entry in pairs}
    declared = {
        (judge_id, company_id): declared_at
        for judge_id, company_id, declared_at in ConflictDeclaration.objects.filter(
            judge_id__in=judge_ids, company_id__in={entry.company_id for _judge, entry in pairs}
        ).values_list("judge_id", "company_id", "declared_at")
    }
    # One company per account; one entry per company and round.
    memberships = list(
        Membership.objects.filter(
            user_id__in=judge_ids, company__competition_entries__round_id=round_id
        ).select_related("company")
    )
    competing = {membership.user_id: membership.company for membership in memberships}
    joined = {membership.user_id: membership.joined_at for membership in memberships}
    why = {}
    for judge, entry in pairs:
        company = competing.get(judge.pk)
        since = declared.get((judge.pk, entry.company_id))
        if since is not None:
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
        if since is None:
            since = joined[judge.pk]
        why[judge.pk, entry.pk] = (reason % {"judge": judge, "company": company}, since)
    return why


def judge_conflict(judge, entry) -> str | None:
    """Return why `judge` may not score `entry` (see `judging_conflicts`), or None."""
    return judging_conflicts(entry.round_id, [(judge, entry)]).get((judge.pk, entry.pk))


def can_score(actor, assignment) -> bool:
    """Only the assigned judge scores an entry (whether the sheet is still open to them:
    `scoring_closed_because`)."""
    return actor is not None and assignment.judge_id == actor.pk


def scoring_closed_because(assignment, now=None) -> str | None:
    """Return why the judge of `assignment` may no longer change its sheet, or None.

    The one rule the score page (shown read-only) and `score_submit` (refusing) both ask.
    """
    round_ = assignment.entry.round
    if assignment.submitted_at is not None:
        return _("You submitted these scores already; they are final.")
    if round_.released_at is not None:
        return _("The results of this round are published; scores are final.")
    if round_.judging_deadline is not None and (now or timezone.now()) > round_.judging_deadline:
        return _("Judging of this round has closed.")
    conflict = judge_conflict(assignment.judge, assignment.entry)
    if conflict is not None:
        return _("You cannot score this entry: %(why)s") % {"why": conflict}
    return None


def can_read_scores(actor, round_=None) -> bool:
    """Read each judge's scores (the results page's column by judge, the scores list): the
    staff whose role sees the judges' scores. The viewer is not among them."""
    return staff_with(actor, "events.view_score")


def results_hidden_because(actor, round_) -> str | None:
    """Return why `actor`, staff who read judging, may not open the results page of
    `round_` yet, or None: who may not read the judges' scores reads the ranking once it
    is published, as the entrants do."""
    if round_.released_at is None and not can_read_scores(actor, round_):
        return _("The results of this round are not published yet.")
    return None


def can_correct_score(actor, score=None) -> bool:
    return actor is not None and actor.has_perm(CORRECT_SCORE)
