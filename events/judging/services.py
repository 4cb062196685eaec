"""Competition judging: assigning judges, scoring, correcting and publishing results.

Each write is one transaction under a row lock, checks its policy and leaves its audit
record; the ranking itself is the pure `events.judging.normalization`.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from companies.models import Membership
from events.judging import policies, selectors
from events.judging.models import (
    CompetitionEntry,
    CompetitionRound,
    ConflictDeclaration,
    JudgeAssignment,
    JudgingCriterion,
    Score,
    ScoreCorrection,
)
from events.reminders import when_for
from incubator.audit import audit_record
from incubator.multilingual import localized
from incubator.rows import row_delete, row_save
from incubator.services import outbox_enqueue

# --- Judges -------------------------------------------------------------------------------


def judge_assign(*, entry: CompetitionEntry, judge, actor) -> JudgeAssignment:
    """Assign `judge` to score `entry`; refuse a judge with a conflict of interest: declared,
    or a member of a company with an entry in the round (`policies.judging_conflicts`)."""
    if not policies.can_assign_judges(actor):
        raise PermissionDenied
    with transaction.atomic():
        round_ = CompetitionRound.objects.select_for_update().get(pk=entry.round_id)
        if round_.released_at is not None:
            raise ValidationError(_("The results of this round are published already."))
        if not judge.is_active:
            raise ValidationError(_("This account is inactive."))
        conflict = policies.judge_conflict(judge, entry)
        if conflict is not None:
            raise ValidationError(conflict, code="conflict")
        if JudgeAssignment.objects.filter(entry=entry, judge=judge).exists():
            raise ValidationError(_("This judge is already assigned to this entry."))
        try:
            with transaction.atomic():
                assignment = JudgeAssignment.objects.create(
                    entry=entry, judge=judge, assigned_by=actor
                )
        except IntegrityError:
            raise ValidationError(_("This judge is already assigned to this entry.")) from None
        audit_record(
            actor=actor,
            verb="judge.assign",
            obj=assignment,
            company=entry.company_id,
            changes={"judge": judge.pk, "entry": entry.pk},
        )
        _tell_judge(
            assignment,
            "judge_assigned",
            dedupe_key=f"judge-assigned:{assignment.pk}",
            path=reverse("events:judging-score", args=[assignment.pk]),
        )
    return assignment


def _judge_payload(judge, entry: CompetitionEntry, round_: CompetitionRound) -> dict:
    """Return what a judge's e-mail names, in the judge's language: the round, the
    competition, the entry by its company's name and the deadline in both zones."""
    event = round_.event
    with translation.override(judge.language):
        return {
            "name": judge.get_full_name(),
            "round": round_.name,
            "competition": event.title,
            "entry": localized(entry.company, "name", judge.language) or entry.title,
            "deadline": (
                when_for(round_.judging_deadline, None, event, judge.time_zone)
                if round_.judging_deadline
                else ""
            ),
        }


def _tell_judge(assignment: JudgeAssignment, kind: str, *, dedupe_key: str, **extra) -> None:
    """One e-mail to the assignment's judge, in their language (`_judge_payload`)."""
    judge, entry = assignment.judge, assignment.entry
    outbox_enqueue(
        recipient=judge.email,
        kind=kind,
        dedupe_key=dedupe_key,
        payload={**_judge_payload(judge, entry, entry.round), **extra},
        language=judge.language,
    )


def _tell_judge_withdrawn(assignment: JudgeAssignment, *, because_conflict: bool) -> None:
    _tell_judge(
        assignment,
        "judge_unassigned",
        dedupe_key=f"judge-unassigned:{assignment.pk}",
        because_conflict=because_conflict,
        path=reverse("events:judging-home"),
    )


def judge_unassign(*, assignment: JudgeAssignment, actor) -> None:
    """Remove an assignment whose scores are not submitted (e.g. a judge who cannot come)."""
    if not policies.can_unassign_judges(actor):
        raise PermissionDenied
    with transaction.atomic():
        assignment = (
            JudgeAssignment.objects.select_for_update(of=("self",))
            .select_related("entry__round__event", "entry__company", "judge")
            .get(pk=assignment.pk)
        )
        if assignment.submitted_at is not None:
            raise ValidationError(_("The judge submitted their scores; the assignment stays."))
        if assignment.entry.round.released_at is not None:
            raise ValidationError(_("The results of this round are published already."))
        audit_record(
            actor=actor,
            verb="judge.unassign",
            obj=assignment,
            company=assignment.entry.company_id,
            changes={"judge": assignment.judge_id, "entry": assignment.entry_id},
        )
        _tell_judge_withdrawn(assignment, because_conflict=False)
        assignment.delete()


# --- Scores -------------------------------------------------------------------------------


def _parse_value(raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number.")) from None
    if not value.is_finite():
        raise ValidationError(_("Enter a number."))
    # quantize() raises past the context's 28 digits (a score of forty nines), so count
    # the places on the digits themselves: trailing zeros (7.500) are no places.
    _sign, digits, exponent = value.as_tuple()
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if any(digits) and exponent + trailing_zeros < -2:
        raise ValidationError(_("Use at most two decimal places."))
    return value


def score_submit(
    *,
    assignment: JudgeAssignment,
    scores: dict[int, tuple],
    judge,
    submit: bool = True,
) -> JudgeAssignment:
    """Save the judge's scores of one entry; with `submit`, make them final.

    `scores` maps each criterion id of the round to `(value, comment)`, each within 0..its
    maximum. A submitted sheet scores every criterion; a draft keeps what is filled in (a
    criterion left empty has no score). Nothing is saved unless everything is valid: errors
    come back as a ValidationError keyed by criterion id ("" for the whole sheet). A sheet
    that is final, past its deadline or of a judge with a conflict of interest is refused
    (`policies.scoring_closed_because`).
    """
    with transaction.atomic():
        assignment = (
            JudgeAssignment.objects.select_for_update()
            .select_related("entry__round", "entry__company", "judge")
            .get(pk=assignment.pk)
        )
        if not policies.can_score(judge, assignment):
            raise PermissionDenied(_("This entry is not assigned to you."))
        closed = policies.scoring_closed_because(assignment)
        if closed is not None:
            raise ValidationError(closed)
        round_ = assignment.entry.round
        criteria = {c.pk: c for c in JudgingCriterion.objects.filter(round_id=round_.pk)}
        errors: dict[str, list] = {}
        clean: dict[int, tuple[Decimal, str]] = {}
        unknown = [key for key in scores if key not in criteria]
        if unknown:
            errors[""] = [_("A score is for a criterion of another round.")]
        for pk, criterion in criteria.items():
            given = scores.get(pk)
            if given is None or given[0] in (None, ""):
                if submit:
                    errors[str(pk)] = [_("Give a score for this criterion.")]
                continue
            raw, comment = given
            try:
                value = _parse_value(raw)
            except ValidationError as error:
                errors[str(pk)] = error.messages
                continue
            if not 0 <= value <= criterion.max_score:
                errors[str(pk)] = [
                    _("Give a score from 0 to %(max)s.") % {"max": criterion.max_score}
                ]
                continue
            clean[pk] = (value, (comment or "").strip())
        if not criteria:
            errors[""] = [_("This round has no judging criteria yet.")]
        if errors:
            raise ValidationError(errors)
        existing = {s.criterion_id: s for s in Score.objects.filter(assignment=assignment)}
        # A draft's criterion emptied again has no score any more (a submitted sheet has all).
        Score.objects.filter(
            assignment=assignment, pk__in=[s.pk for k, s in existing.items() if k not in clean]
        ).delete()
        for pk, (value, comment) in clean.items():
            score = existing.get(pk)
            if score is None:
                Score.objects.create(
                    assignment=assignment, criterion_id=pk, value=value, comment=comment
                )
            elif (score.value, score.comment) != (value, comment):
                score.value, score.comment = value, comment
                score.save(update_fields=["value", "comment", "updated_at"])
        if submit:
            assignment.submitted_at = timezone.now()
            assignment.save(update_fields=["submitted_at"])
        audit_record(
            actor=judge,
            verb="score.submit" if submit else "score.save",
            obj=assignment,
            company=assignment.entry.company_id,
            changes={"scores": {str(pk): value for pk, (value, _c) in clean.items()}},
        )
    return assignment


def round_release(*, round: CompetitionRound, actor) -> CompetitionRound:
    """Publish the results of a round once every assigned judge has submitted.

    The entrants are told by e-mail; the public results page then shows the ranking.
    """
    if not policies.can_release_results(actor, round):
        raise PermissionDenied
    with transaction.atomic():
        round_ = (
            CompetitionRound.objects.select_for_update().select_related("event").get(pk=round.pk)
        )
        if round_.released_at is not None:
            raise ValidationError(_("The results of this round are published already."))
        assignments = JudgeAssignment.objects.filter(entry__round=round_)
        pending = assignments.filter(submitted_at__isnull=True).count()
        if pending:
            raise ValidationError(
                _(
                    "%(count)s score sheets are not submitted yet: wait for them, or remove "
                    "those assignments, before publishing."
                )
                % {"count": pending}
            )
        if not assignments.exists():
            raise ValidationError(_("Nobody has scored this round yet."))
        round_.released_at = timezone.now()
        round_.save(update_fields=["released_at"])
        audit_record(
            actor=actor,
            verb="round.release",
            obj=round_,
            changes={"released_at": round_.released_at},
        )
        members = Membership.objects.filter(
            company__competition_entries__round=round_
        ).select_related("user", "company")
        path = reverse("events:competition-results", args=[round_.pk])
        # Each entrant reads its own place in the ranking the results page publishes.
        rows = selectors.round_results(round=round_).rows
        rank_of = {row.obj.company_id: row.rank for row in rows}
        ranked = sum(1 for row in rows if row.rank is not None)
        for membership in members:
            user = membership.user
            with translation.override(user.language):
                payload = {
                    "name": user.get_full_name(),
                    "round": round_.name,
                    "event": round_.event.title,
                    "company": membership.company.name,
                    "rank": rank_of.get(membership.company_id),  # None: not ranked
                    "ranked": ranked,
                    "path": path,
                }
            outbox_enqueue(
                recipient=user.email,
                kind="competition_results",
                dedupe_key=f"competition-results:{round_.pk}:{user.pk}",
                payload=payload,
                language=user.language,
            )
    return round_


def score_correct(*, score: Score, value, reason: str, actor) -> ScoreCorrection:
    """Change a final score for a reason; the judge's value stays in the correction record.

    Submitted and published scores are otherwise final: the admin neither edits nor
    deletes them, so this is the one way a mistake (a typo a judge reports) is mended.
    """
    if not policies.can_correct_score(actor, score):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write the reason for the correction.")})
    value = _parse_value(value)
    with transaction.atomic():
        score = (
            Score.objects.select_for_update(of=("self",))
            .select_related("assignment__entry__round", "criterion")
            .get(pk=score.pk)
        )
        if score.assignment.submitted_at is None:
            raise ValidationError(_("These scores are not submitted: the judge still edits them."))
        if score.assignment.entry.round.released_at is not None:
            # The published ranking is computed from these scores: it would change unseen.
            raise ValidationError(
                _(
                    "The results of this round are published: its scores, and so its "
                    "published ranking, stay as they are."
                )
            )
        if not 0 <= value <= score.criterion.max_score:
            raise ValidationError(
                {"value": _("Give a score from 0 to %(max)s.") % {"max": score.criterion.max_score}}
            )
        if value == score.value:
            raise ValidationError({"value": _("This is the score already.")})
        correction = ScoreCorrection.objects.create(
            score=score,
            original_value=score.value,
            corrected_value=value,
            reason=reason,
            corrected_by=actor,
        )
        score.value = value
        score.save(update_fields=["value", "updated_at"])
        audit_record(
            actor=actor,
            verb="score.correct",
            obj=score,
            company=score.assignment.entry.company_id,
            changes={"value": [correction.original_value, value], "reason": reason},
        )
    return correction


# --- Set-up: rounds, their criteria and entries, conflicts of interest --------------------


def _refuse_unless_setting_up(actor) -> None:
    if not policies.can_set_up_round(actor):
        raise PermissionDenied


def _refuse_final_scores(**of) -> None:
    if policies.holds_final_scores(**of):
        raise ValidationError(_("Judges submitted their scores here; they stay on record."))


def round_save(*, round: CompetitionRound, actor) -> CompetitionRound:
    """Add a round to a competition, or change one (its results are published by
    `round_release`)."""
    _refuse_unless_setting_up(actor)
    return row_save(round, actor=actor, verb="round")


def round_delete(*, round: CompetitionRound, actor) -> None:
    """Delete a round with its criteria and entries, unless judges submitted scores in it."""
    _refuse_unless_setting_up(actor)
    with transaction.atomic():
        # Locked as `score_submit` locks it: a sheet is not submitted meanwhile.
        round = CompetitionRound.objects.select_for_update().get(pk=round.pk)
        _refuse_final_scores(round_=round)
        row_delete(round, actor=actor, verb="round")


def _refuse_fixed_criteria(round_id: int) -> None:
    # Locked: `score_submit` checks the round's criteria in its transaction, and set-up
    # writes of one round wait for each other here.
    round_ = CompetitionRound.objects.select_for_update().get(pk=round_id)
    fixed = policies.criteria_fixed_because(round_)
    if fixed is not None:
        raise ValidationError(fixed)


def criterion_save(*, criterion: JudgingCriterion, actor) -> JudgingCriterion:
    """Add or change a criterion of a round: criteria are added, and their round, maximum
    and weight changed, only until a judge submits a sheet; names and order until the
    results are published (`policies.criteria_fixed_because`)."""
    _refuse_unless_setting_up(actor)
    with transaction.atomic():
        stored = None if criterion._state.adding else JudgingCriterion.objects.get(pk=criterion.pk)
        rounds = {criterion.round_id} | ({stored.round_id} if stored else set())
        scoring_terms = ("round_id", "max_score", "weight")
        if stored is None or any(
            getattr(stored, name) != getattr(criterion, name) for name in scoring_terms
        ):
            for round_id in sorted(rounds):
                _refuse_fixed_criteria(round_id)
        else:
            round_ = CompetitionRound.objects.select_for_update().get(pk=criterion.round_id)
            if round_.released_at is not None:
                raise ValidationError(policies.criteria_fixed_because(round_))
        return row_save(criterion, actor=actor, verb="criterion")


def criterion_delete(*, criterion: JudgingCriterion, actor) -> None:
    """Delete a criterion of a round where no judge submitted a sheet yet."""
    _refuse_unless_setting_up(actor)
    with transaction.atomic():
        _refuse_fixed_criteria(criterion.round_id)
        row_delete(criterion, actor=actor, verb="criterion")


def _refuse_judging_members(entry: CompetitionEntry) -> None:
    """Refuse to enter a company in a round where its members judge: they would score its
    rivals (`judge_assign` refuses the same pair the other way round)."""
    if not entry._state.adding:
        stored = CompetitionEntry.objects.get(pk=entry.pk)
        if (stored.round_id, stored.company_id) == (entry.round_id, entry.company_id):
            return  # the same company in the same round: what was allowed stays allowed
    judges = sorted(
        {
            str(assignment.judge)
            for assignment in JudgeAssignment.objects.filter(
                entry__round_id=entry.round_id, judge__membership__company_id=entry.company_id
            ).select_related("judge")
        }
    )
    if judges:
        raise ValidationError(
            _(
                "%(company)s cannot enter this round while its members judge in it "
                "(%(judges)s): remove their judge assignments first."
            )
            % {"company": entry.company, "judges": ", ".join(judges)},
            code="conflict",
        )


def entry_save(*, entry: CompetitionEntry, actor) -> CompetitionEntry:
    """Enter a company in a round, or change its entry; refuse a company whose members judge
    in the round."""
    _refuse_unless_setting_up(actor)
    with transaction.atomic():
        # Locked as `judge_assign` locks it: no member becomes a judge meanwhile.
        CompetitionRound.objects.select_for_update().get(pk=entry.round_id)
        _refuse_judging_members(entry)
        return row_save(entry, actor=actor, verb="entry", company=entry.company_id)


def entry_delete(*, entry: CompetitionEntry, actor) -> None:
    """Withdraw an entry with its judge assignments, unless a judge submitted scores for it."""
    _refuse_unless_setting_up(actor)
    with transaction.atomic():
        entry = CompetitionEntry.objects.select_for_update().get(pk=entry.pk)
        _refuse_final_scores(entry=entry)
        row_delete(entry, actor=actor, verb="entry", company=entry.company_id)


def conflict_save(*, conflict: ConflictDeclaration, actor) -> ConflictDeclaration:
    """Record (or correct) a judge's conflict of interest with a company, withdrawing the
    judge's open assignments to its entries (listed in the returned row's `.withdrawn`; the
    submitted sheets now left out of a ranking are counted in its `.left_out`).

    `judge_assign` refuses the pair from then on and the judge can no longer score it
    (`policies.scoring_closed_because`). Sheets the judge already submitted stay on record
    but are left out of the ranking (`selectors.round_results`), unless the round's results
    were published before the conflict was declared: a published ranking does not change.
    """
    if not policies.can_record_conflict(actor, conflict):
        raise PermissionDenied
    with transaction.atomic():
        row_save(conflict, actor=actor, verb="conflict", company=conflict.company_id)
        open_sheets = list(
            JudgeAssignment.objects.select_for_update(of=("self",))
            .filter(
                judge_id=conflict.judge_id,
                entry__company_id=conflict.company_id,
                submitted_at__isnull=True,
                entry__round__released_at__isnull=True,
            )
            .select_related("entry__round__event", "entry__company", "judge")
        )
        for assignment in open_sheets:
            audit_record(
                actor=actor,
                verb="judge.unassign",
                obj=assignment,
                company=assignment.entry.company_id,
                changes={
                    "judge": assignment.judge_id,
                    "entry": assignment.entry_id,
                    "because": "conflict of interest",
                },
            )
            _tell_judge_withdrawn(assignment, because_conflict=True)
            assignment.delete()
        conflict.withdrawn = open_sheets
        conflict.left_out = JudgeAssignment.objects.filter(
            judge_id=conflict.judge_id,
            entry__company_id=conflict.company_id,
            submitted_at__isnull=False,
            entry__round__released_at__isnull=True,
        ).count()
    return conflict


def conflict_delete(*, conflict: ConflictDeclaration, actor) -> None:
    """Withdraw a declared conflict of interest, unless it shaped a published ranking."""
    if not policies.can_record_conflict(actor, conflict):
        raise PermissionDenied
    with transaction.atomic():
        kept = policies.conflict_kept_because(conflict)
        if kept:
            raise ValidationError(kept, code="published")
        row_delete(conflict, actor=actor, verb="conflict", company=conflict.company_id)
