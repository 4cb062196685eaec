"""Reads of competition judging: the ranked results of a round."""

from dataclasses import dataclass

from django.db.models import Prefetch

from events.judging import normalization, policies
from events.judging.models import (
    CompetitionEntry,
    CompetitionRound,
    JudgeAssignment,
    JudgingCriterion,
)


@dataclass
class RoundResults:
    round: CompetitionRound
    criteria: list[JudgingCriterion]
    rows: list  # normalization.RankedEntry, with .entry.obj the CompetitionEntry
    pending: int  # assignments whose scores are not submitted
    judges: dict  # judge id -> user
    # Assignments whose judge has a conflict of interest (`policies.judging_conflicts`) that
    # arose after they were assigned: (assignment, why), in the order of the entries; each
    # with `.counted`: whether its submitted scores are in the ranking.
    conflicts: list


def _flag_conflicts(round_: CompetitionRound, entries) -> list:
    """Set `.conflict` (why, or None) and `.counted` on each judge assignment of `entries`;
    return the (assignment, why) flagged.

    A conflicted judge's sheet is left out of the ranking, except in a round whose results
    were published before the conflict arose: the published ranking stays as it was.
    """
    assignments = [a for entry in entries for a in entry.judge_assignments.all()]
    found = policies.judging_conflicts_since(round_.pk, [(a.judge, a.entry) for a in assignments])
    for assignment in assignments:
        why, since = found.get((assignment.judge_id, assignment.entry_id), (None, None))
        assignment.conflict = why
        assignment.counted = why is None or (
            round_.released_at is not None and since > round_.released_at
        )
    return [(a, a.conflict) for a in assignments if a.conflict]


def round_judges(*, round: CompetitionRound) -> list[CompetitionEntry]:
    """Return the entries of `round` with their judge assignments, each flagged with
    `.conflict` (see `round_results`).

    Four queries: entries with companies, assignments with judges, declared conflicts, the
    judges' memberships.
    """
    entries = list(
        round.entries.select_related("company").prefetch_related(
            Prefetch("judge_assignments", queryset=JudgeAssignment.objects.select_related("judge"))
        )
    )
    _flag_conflicts(round, entries)
    return entries


def round_results(*, round: CompetitionRound) -> RoundResults:
    """Return the entries of `round` ranked on normalised scores (submitted sheets only).

    A judge's conflict of interest that arose after their assignment (they joined a company
    that competes in the round, or declared a conflict later) is flagged, and their sheet
    left out of the ranking (see `_flag_conflicts`); the staff pages say why.

    Six queries: criteria, entries with companies, assignments with judges, scores, declared
    conflicts, the judges' memberships.
    """
    criteria = list(JudgingCriterion.objects.filter(round_id=round.pk))
    entries = list(
        CompetitionEntry.objects.filter(round_id=round.pk)
        .select_related("company")
        .prefetch_related(
            Prefetch(
                "judge_assignments",
                queryset=JudgeAssignment.objects.select_related("judge").prefetch_related("scores"),
            )
        )
    )
    conflicts = _flag_conflicts(round, entries)
    sheets, judges, pending = [], {}, 0
    by_key = {}
    for entry in entries:
        by_key[entry.pk] = entry
        for assignment in entry.judge_assignments.all():
            judges[assignment.judge_id] = assignment.judge
            if assignment.submitted_at is None:
                pending += 1  # `round_release` waits for it, or for its removal
                continue
            if not assignment.counted:
                continue
            values = {score.criterion_id: score.value for score in assignment.scores.all()}
            sheets.append(normalization.Sheet(assignment.judge_id, entry.pk, values))
    rows = []
    if criteria:
        rows = normalization.rank(
            sheets,
            [normalization.Criterion(c.pk, c.weight, c.max_score) for c in criteria],
            [normalization.Entry(e.pk, e.title, e.created_at) for e in entries],
        )
    else:
        rows = [
            normalization.RankedEntry(normalization.Entry(e.pk, e.title), None, None, None, 0)
            for e in entries
        ]
    flagged = {(a.judge_id, a.entry_id): why for a, why in conflicts}
    for row in rows:
        row.obj = by_key[row.entry.key]
        for mark in row.by_judge:
            mark.user = judges[mark.judge]
            mark.conflict = flagged.get((mark.judge, row.entry.key))
    return RoundResults(
        round=round,
        criteria=criteria,
        rows=rows,
        pending=pending,
        judges=judges,
        conflicts=conflicts,
    )
