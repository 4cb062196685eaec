"""Competition judging: rounds, entries, criteria, judges, conflicts, scores, corrections.

Tables of the `events` app (its label and table names); `events.models` imports them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from events.models import Event
from incubator.models import acting_user
from incubator.multilingual import TranslatedText, translated_names

User = settings.AUTH_USER_MODEL

__all__ = [
    "CompetitionEntry",
    "CompetitionRound",
    "ConflictDeclaration",
    "JudgeAssignment",
    "JudgingCriterion",
    "Score",
    "ScoreCorrection",
]


class CompetitionRound(models.Model):
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="competition_rounds",
        limit_choices_to={"kind": Event.Kind.COMPETITION},
        verbose_name=_("event"),
        db_index=False,  # the unique (event, order) index serves it
    )
    name = TranslatedText(
        _("name"), max_length=200, required=True, constraint_name="competition_round_has_a_name"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    judging_deadline = models.DateTimeField(_("judging deadline"), null=True, blank=True)
    released_at = models.DateTimeField(
        _("results published at"), null=True, blank=True, help_text=_("Empty: not published.")
    )

    class Meta:
        verbose_name = _("competition round")
        verbose_name_plural = _("competition rounds")
        ordering = ["event_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "order"],
                name="competition_round_order_unique",
                violation_error_message=_("The event has a round with this number."),
            ),
        ]

    def __str__(self):
        return self.name


class CompetitionEntry(models.Model):
    round = models.ForeignKey(
        CompetitionRound,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("round"),
        db_index=False,  # the unique (round, company) index serves it
    )
    # PROTECT: scored entries and published results outlive a deleted company profile.
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        related_name="competition_entries",
        verbose_name=_("company"),
    )
    title = models.CharField(_("title"), max_length=200)
    pitch = models.TextField(_("pitch"), blank=True)
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("competition entry")
        verbose_name_plural = _("competition entries")
        ordering = ["round_id", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "company"],
                name="competition_entry_once_per_round",
                violation_error_message=_("This company already has an entry in this round."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.company})"

    @property
    def own_title(self) -> str:
        """Return the title, or "" when it only repeats the company's name (in any of its
        languages), which pages show beside it already."""
        names = {getattr(self.company, name) for name in translated_names("name")}
        return "" if self.title in names else self.title


class JudgingCriterion(models.Model):
    round = models.ForeignKey(
        CompetitionRound,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("round"),
    )
    name = TranslatedText(
        _("name"), max_length=200, required=True, constraint_name="judging_criterion_has_a_name"
    )
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("judging criterion")
        verbose_name_plural = _("judging criteria")
        ordering = ["round_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="judging_criterion_weight_positive",
                violation_error_message=_("The weight must be more than 0."),
            ),
            models.CheckConstraint(
                condition=Q(max_score__gte=1),
                name="judging_criterion_max_score_positive",
                violation_error_message=_("The maximum score must be at least 1."),
            ),
        ]

    def __str__(self):
        return self.name


class JudgeAssignment(models.Model):
    """A judge scores an entry (the entry says which round)."""

    entry = models.ForeignKey(
        CompetitionEntry,
        on_delete=models.CASCADE,
        related_name="judge_assignments",
        verbose_name=_("entry"),
        db_index=False,  # the unique (entry, judge) index serves it
    )
    judge = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="judge_assignments", verbose_name=_("judge")
    )
    assigned_by = acting_user(_("assigned by"))
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(
        _("scores submitted at"),
        null=True,
        blank=True,
        help_text=_("Scores are final once submitted."),
    )

    class Meta:
        verbose_name = _("judge assignment")
        verbose_name_plural = _("judge assignments")
        ordering = ["entry_id", "judge_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "judge"],
                name="judge_assignment_once",
                violation_error_message=_("This judge is already assigned to this entry."),
            )
        ]

    def __str__(self):
        return f"{self.judge} · {self.entry}"

    def clean(self):
        if self.entry_id and self.judge_id:
            conflict = ConflictDeclaration.objects.filter(
                judge_id=self.judge_id, company_id=self.entry.company_id
            )
            if conflict.exists():
                raise ValidationError(_("The judge declared a conflict with this company."))


class ConflictDeclaration(models.Model):
    """A judge may not score this company's entries."""

    judge = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
        verbose_name=_("judge"),
        db_index=False,  # the unique (judge, company) index serves it
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="judge_conflicts",
        verbose_name=_("company"),
    )
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["judge_id", "company_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "company"],
                name="conflict_declaration_once",
                violation_error_message=_("This conflict is already declared."),
            )
        ]

    def __str__(self):
        return f"{self.judge} ✕ {self.company}"


class Score(models.Model):
    assignment = models.ForeignKey(
        JudgeAssignment,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("assignment"),
        db_index=False,  # the unique (assignment, criterion) index serves it
    )
    # RESTRICT: a criterion with scores cannot be deleted alone, only with its round.
    criterion = models.ForeignKey(
        JudgingCriterion,
        on_delete=models.RESTRICT,
        related_name="scores",
        verbose_name=_("criterion"),
    )
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assignment_id", "criterion_id"]
        permissions = [("correct_score", _("Can correct a final score, with a reason"))]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"],
                name="score_once_per_criterion",
                violation_error_message=_("This criterion is already scored."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="score_not_negative",
                violation_error_message=_("A score cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"

    def clean(self):
        if self.assignment_id and self.criterion_id and self.value is not None:
            criterion = self.criterion
            if criterion.round_id != self.assignment.entry.round_id:
                raise ValidationError(_("The criterion belongs to another round."))
            if self.value > criterion.max_score:
                raise ValidationError(
                    {"value": _("At most %(max)s.") % {"max": criterion.max_score}}
                )


class ScoreCorrection(models.Model):
    """A change the center made to a final score, with its reason; the judge's value stays here."""

    # PROTECT: a corrected score, and so its round, is not deleted with its record.
    score = models.ForeignKey(
        Score, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("score")
    )
    original_value = models.DecimalField(_("value before"), max_digits=5, decimal_places=2)
    corrected_value = models.DecimalField(_("value after"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("corrected by")
    )
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("score correction")
        verbose_name_plural = _("score corrections")
        ordering = ["score_id", "corrected_at"]

    def __str__(self):
        return f"{self.score.criterion}: {self.original_value} → {self.corrected_value}"
