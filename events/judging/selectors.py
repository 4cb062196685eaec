"""Reads of competition judging: the ranked results of a round."""

from dataclasses import dataclass

from django.db.models import Prefetch

from events.judging import normalization
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


def round_results(*, round: CompetitionRound) -> RoundResults:
    """Return the entries of `round` ranked on normalised scores (submitted sheets only).

    Four queries: criteria, entries with companies, assignments with judges, scores.
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
    sheets, judges, pending = [], {}, 0
    by_key = {}
    for entry in entries:
        by_key[entry.pk] = entry
        for assignment in entry.judge_assignments.all():
            judges[assignment.judge_id] = assignment.judge
            if assignment.submitted_at is None:
                pending += 1
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
    for row in rows:
        row.obj = by_key[row.entry.key]
        for mark in row.by_judge:
            mark.user = judges[mark.judge]
    return RoundResults(round=round, criteria=criteria, rows=rows, pending=pending, judges=judges)
