"""The journey after acceptance: cohorts, enrollments and their stages, milestones,
local entities and the quarterly reports."""

import datetime as dt
import uuid
from pathlib import PurePath

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from companies import validators
from incubator.models import acting_user
from incubator.multilingual import TranslatedText
from programs import stages
from programs.admissions.models import (
    Application,
    Intake,
    Program,
)

__all__ = [
    "CURRENCIES",
    "Cohort",
    "Enrollment",
    "LocalEntity",
    "Milestone",
    "MilestoneTemplate",
    "QuarterlyReport",
    "StageTransition",
    "milestone_evidence_path",
    "stage_label",
]

CURRENCIES = validators.CURRENCIES


# --- Cohorts and enrollments ----------------------------------------------------------


def _currency_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": CURRENCIES}), name=name)


class Cohort(models.Model):
    """A group of companies that a program runs together, from a start to an end date."""

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("program")
    )
    intake = models.ForeignKey(
        Intake,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("intake"),
        help_text=_("The intake whose accepted companies join this cohort, if one."),
    )
    label = TranslatedText(_("label"), max_length=100, required=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="cohort_ends_after_it_starts",
                violation_error_message=_("A cohort must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["program", "label_ko", "label_zh", "label_en"],
                name="cohort_label_unique_per_program",
                violation_error_message=_("This program has a cohort with this label."),
            ),
        ]

    def __str__(self):
        return f"{self.program} · {self.label}"


class Enrollment(models.Model):
    """A company in a cohort, on its way from incubation to local production."""

    class Stage(models.TextChoices):
        INCUBATION = stages.INCUBATION, _("incubation")
        ACCELERATION = stages.ACCELERATION, _("acceleration")
        INDUSTRIALIZATION = (
            stages.INDUSTRIALIZATION,
            _("industrialization (industry export, local production)"),
        )
        GRADUATED = stages.GRADUATED, _("graduated")
        # A company that left the programme; an application or a listing is "withdrawn" too,
        # in other words in Korean and Chinese (철회, 已撤回).
        WITHDRAWN = stages.WITHDRAWN, pgettext_lazy("enrollment stage", "withdrawn")

    TRANSITIONS = stages.TRANSITIONS
    OPEN_STAGES = stages.WORKING_STAGES

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("company"),
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("cohort")
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollment",
        verbose_name=_("application"),
        help_text=_("Empty for a company enrolled without an application in the portal."),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.INCUBATION
    )
    started_on = models.DateField(_("started on"))
    stage_changed_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = acting_user(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "cohort"],
                name="enrollment_one_per_company_and_cohort",
                violation_error_message=_("The company is already enrolled in this cohort."),
            ),
            # One journey at a time: a company is in at most one open enrollment.
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(stage__in=stages.WORKING_STAGES),
                name="enrollment_one_open_per_company",
                violation_error_message=_("This company is enrolled already."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=stages.STAGES), name="enrollment_stage_known"
            ),
        ]
        indexes = [models.Index(fields=["stage", "cohort"], name="enrollment_board_idx")]
        permissions = [
            (
                "override_stage_guard",
                _("Can move an enrollment on with required milestones still open"),
            )
        ]

    def __str__(self):
        return f"{self.company} · {self.cohort.label}"

    @property
    def is_open(self) -> bool:
        return self.stage in stages.WORKING_STAGES

    def can_move_to(self, stage: str) -> bool:
        return stages.is_allowed(self.stage, stage)

    def next_stages(self) -> list[tuple[str, str]]:
        """Return (stage, label) of the stages this enrollment may move to."""
        return [(s, Enrollment.Stage(s).label) for s in stages.STAGES if self.can_move_to(s)]


def stage_label(code: str) -> str:
    return Enrollment.Stage(code).label if code in Enrollment.Stage.values else code


class StageTransition(models.Model):
    """One move of an enrollment: who, when, from, to and why."""

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("enrollment"),
    )
    from_stage = models.CharField(_("from"), max_length=20, blank=True)
    to_stage = models.CharField(_("to"), max_length=20)
    reason = models.TextField(_("reason"))
    overridden = models.BooleanField(
        _("required milestones overridden"),
        default=False,
        help_text=_("A manager moved on with required milestones still open."),
    )
    actor = acting_user(_("by"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("stage transition")
        verbose_name_plural = _("stage transitions")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.from_label or '—'} → {self.to_label}"

    @property
    def from_label(self) -> str:
        return stage_label(self.from_stage) if self.from_stage else ""

    @property
    def to_label(self) -> str:
        return stage_label(self.to_stage)


# --- Milestones ---------------------------------------------------------------------


def milestone_evidence_path(instance, filename: str) -> str:
    return f"milestones/{instance.company_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class MilestoneTemplate(models.Model):
    """A milestone every enrollment gets a copy of; staff edit these."""

    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("local_entity_registered is completed by registering a local entity."),
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=[(s, Enrollment.Stage(s).label) for s in stages.WORKING_STAGES],
    )
    title = TranslatedText(_("title"), max_length=200, required=True)
    due_days = models.PositiveSmallIntegerField(
        _("due after (days)"), help_text=_("Days after the enrollment starts.")
    )
    required = models.BooleanField(
        _("required to leave the stage"),
        default=True,
        help_text=_("Leaving the stage needs it done, unless a manager overrides."),
    )
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("order in a list", "position"), default=0
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive templates are not copied any more.")
    )

    class Meta:
        verbose_name = _("milestone template")
        verbose_name_plural = _("milestone templates")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    """A milestone of one enrollment, with its due date and, once done, its evidence."""

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("enrollment"),
    )
    # Kept on the row so that files and checks are scoped without a join.
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="milestones",
        editable=False,
        verbose_name=_("company"),
    )
    template = models.ForeignKey(
        MilestoneTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("template"),
    )
    code = models.SlugField(_("code"), max_length=50)
    stage = models.CharField(_("stage"), max_length=20, choices=Enrollment.Stage.choices)
    title = TranslatedText(_("title"), max_length=200, required=True)
    required = models.BooleanField(_("required to leave the stage"), default=True)
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("order in a list", "position"), default=0
    )
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = acting_user(_("done by"))
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to=milestone_evidence_path, max_length=200, blank=True
    )
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    evidence_type = models.CharField(_("content type"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["position", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "code"],
                name="milestone_code_unique_per_enrollment",
                violation_error_message=_("The enrollment already has a milestone with this code."),
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | ~Q(evidence=""),
                name="milestone_done_with_evidence",
            ),
        ]
        indexes = [models.Index(fields=["done_at", "due_on"], name="milestone_due_idx")]

    def __str__(self):
        return self.title

    @classmethod
    def from_template(cls, template: MilestoneTemplate, *, enrollment: Enrollment, **fields):
        """Return (unsaved) the enrollment's copy of a template, due after its due days."""
        return cls(
            enrollment=enrollment,
            company_id=enrollment.company_id,
            template=template,
            code=template.code,
            stage=template.stage,
            title_ko=template.title_ko,
            title_zh=template.title_zh,
            title_en=template.title_en,
            required=template.required,
            position=template.position,
            due_on=enrollment.started_on + dt.timedelta(days=template.due_days),
            **fields,
        )

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def done_refused_because(self):
        """Return why it cannot be marked done (None: it can), as `milestone_complete` says."""
        if self.is_done:
            return _("This milestone is done already.")
        if not self.enrollment.is_open:
            return _("This enrollment has ended; its milestones no longer change.")
        return None

    def is_overdue(self, today=None, *, current_stage: str | None = None) -> bool:
        """Return whether it is late: open, past its date, in a stage the company has reached.

        `current_stage` saves the query for the enrollment's stage when the caller knows it.
        """
        if self.is_done or self.due_on >= (today or timezone.localdate()):
            return False
        return stages.reached(self.stage, current_stage or self.enrollment.stage)


# --- Local entities -------------------------------------------------------------------


class LocalEntity(models.Model):
    """The Chinese company a startup registers (统一社会信用代码)."""

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        related_name="local_entities",
        verbose_name=_("company"),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validators.validate_uscc],
        help_text=_("18 characters, e.g. 91110108551385082Q"),
        error_messages={"unique": _("A local entity with this unified social credit code exists.")},
    )
    registered_on = models.DateField(
        _("registration date"), validators=[validators.validate_not_future]
    )
    city = models.CharField(_("city"), max_length=100, help_text=_("e.g. Harbin (Binxian)"))
    registered_capital = models.DecimalField(
        _("registered capital"), max_digits=16, decimal_places=2
    )
    capital_currency = models.CharField(
        _("currency"), max_length=3, choices=validators.CURRENCY_CHOICES, default="CNY"
    )
    created_by = acting_user(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("local entity")
        verbose_name_plural = _("local entities")
        ordering = ["-registered_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registered_capital__gt=0), name="local_entity_capital_positive"
            ),
            _currency_check("capital_currency", "local_entity_currency_known"),
        ]

    def __str__(self):
        return f"{self.name_zh} ({self.uscc})"


# --- Portfolio metrics ---------------------------------------------------------------------


class QuarterlyReport(models.Model):
    """What an enrolled company reports each quarter."""

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="quarterly_reports",
        verbose_name=_("company"),
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="quarterly_reports",
        verbose_name=_("enrollment"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)]
    )
    revenue = models.DecimalField(_("revenue"), max_digits=16, decimal_places=2)
    revenue_currency = models.CharField(
        _("revenue currency"), max_length=3, choices=validators.CURRENCY_CHOICES
    )
    employees_china = models.PositiveIntegerField(_("employees in China"))
    employees_korea = models.PositiveIntegerField(_("employees in Korea"))
    funding_raised = models.DecimalField(
        _("funding raised in the quarter"), max_digits=16, decimal_places=2
    )
    funding_currency = models.CharField(
        _("funding currency"), max_length=3, choices=validators.CURRENCY_CHOICES
    )
    customers_china = models.PositiveIntegerField(_("customers in China"))
    submitted_by = acting_user(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["company_id", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "year", "quarter"],
                name="quarterly_report_one_per_quarter",
                violation_error_message=_("This quarter is reported already."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="quarterly_report_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(revenue__gte=0, funding_raised__gte=0),
                name="quarterly_report_amounts_not_negative",
            ),
            _currency_check("revenue_currency", "quarterly_report_revenue_currency_known"),
            _currency_check("funding_currency", "quarterly_report_funding_currency_known"),
        ]

    def __str__(self):
        return f"{self.company} · {self.year} Q{self.quarter}"

    @property
    def period(self) -> stages.Quarter:
        return stages.Quarter(self.year, self.quarter)
