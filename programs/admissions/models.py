"""Admissions: programs and their intakes, the screening policy, applications and their history."""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from incubator.db import PortableIndex
from incubator.models import acting_user
from incubator.multilingual import TranslatedText
from incubator.status_flow import StatusFlow
from incubator.zones import moment_text
from programs.admissions import screening

User = settings.AUTH_USER_MODEL

__all__ = [
    "Application",
    "ApplicationEvent",
    "CriterionOverride",
    "Intake",
    "Program",
    "ScreeningPolicy",
]


class Program(models.Model):
    name = TranslatedText(_("name"), max_length=200, required=True)
    description = TranslatedText(_("description"), text=True)
    screening_policy = models.ForeignKey(
        "programs.ScreeningPolicy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("selection policy"),
        help_text=_("Empty: the version of the screening policy in force when a company applies."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name_ko"]

    def __str__(self):
        return self.name


class Intake(models.Model):
    """A program's window for applications."""

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="intakes", verbose_name=_("program")
    )
    label = TranslatedText(_("label"), max_length=100, required=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="intake_closes_after_it_opens",
                violation_error_message=_("An intake must close after it opens."),
            )
        ]

    def __str__(self):
        return f"{self.program} · {self.label}"

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at


# The application's own answers (beside the company's evidence) a policy may require before a
# company can submit: field name -> label.
ANSWERS = {"market_fit": _("why Heilongjiang")}
# What an officer asks when returning an application for more information: a few paragraphs
# (the e-mail and the portal page carry all of it).
RETURN_MESSAGE_MAX_LENGTH = 2_000
# Two pages of text: enough to say why Heilongjiang and who the first customers are, and
# what an officer reads in the review (and the exports carry). Checked by the wizard's form
# and its service, so the column needs no migration.
MARKET_FIT_MAX_LENGTH = 3_000


def too_long(text: str, maximum: int) -> str:
    """Say that a text is over `maximum` characters, with the numbers as people read them."""
    return gettext("Write at most %(max)s characters (it has %(count)s).") % {
        "max": number_format(maximum, force_grouping=True),
        "count": number_format(len(text), force_grouping=True),
    }


def default_answers_required() -> list[str]:
    """Every version asks why Heilongjiang, unless its manager unticks it."""
    return ["market_fit"]


class ScreeningPolicy(models.Model):
    """One version of the selection rules; a saved version is never changed.

    An application is screened against the version in force when it was
    submitted, and keeps it.
    """

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    effective_from = models.DateTimeField(_("in force from"))
    min_years_since_founding = models.PositiveSmallIntegerField(
        _("minimum years since founding"), default=3
    )
    patents_required = models.PositiveSmallIntegerField(
        _("patents required"), default=1, help_text=_("0: patents are not required.")
    )
    patents_registered_only = models.BooleanField(_("only registered patents count"), default=False)
    financing_or_market_required = models.BooleanField(
        _("financing history or market validation required"), default=True
    )
    certification_kinds = models.JSONField(
        _("certifications that count"),
        default=list,
        blank=True,
        help_text=_("Empty: no certification required."),
    )
    certification_must_be_valid = models.BooleanField(
        _("certification must be valid on the screening date"), default=True
    )
    sectors_accepted = models.JSONField(
        _("sectors accepted"), default=list, blank=True, help_text=_("Empty: every sector.")
    )
    answers_required = models.JSONField(
        _("answers required to submit"),
        default=default_answers_required,
        blank=True,
        help_text=_("The application's answers a company must give before it can submit."),
    )
    notes = models.TextField(_("why this version"), blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("screening policy")
        verbose_name_plural = _("screening policies")
        ordering = ["-version"]

    def __str__(self):
        return _("Screening policy v%(version)s") % {"version": self.version}

    def as_rules(self) -> screening.Policy:
        return screening.Policy(
            version=self.version,
            min_years_since_founding=self.min_years_since_founding,
            patents_required=self.patents_required,
            patents_registered_only=self.patents_registered_only,
            financing_or_market_required=self.financing_or_market_required,
            certification_kinds_accepted=frozenset(self.certification_kinds),
            certification_must_be_valid=self.certification_must_be_valid,
            sectors_accepted=frozenset(self.sectors_accepted),
        )


class Application(StatusFlow, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        WAITLISTED = "waitlisted", _("waitlisted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Recommendation(models.TextChoices):
        MEETS_ALL = "meets_all", _("meets all criteria")
        MEETS_SOME = "meets_some", _("meets some criteria")
        MEETS_NONE = "meets_none", _("meets none")

    DECISIONS = (Status.ACCEPTED, Status.REJECTED, Status.WAITLISTED)
    # status -> statuses it may move to: the startup submits, withdraws until staff decide and
    # may apply again (the withdrawn application becomes its draft); staff decide, or return
    # it to its draft to ask for more information (the startup submits it again).
    TRANSITIONS = {
        Status.DRAFT: (Status.SUBMITTED,),
        Status.SUBMITTED: (*DECISIONS, Status.WITHDRAWN, Status.DRAFT),
        Status.WAITLISTED: (Status.ACCEPTED, Status.REJECTED),
        Status.ACCEPTED: (),
        Status.REJECTED: (),
        Status.WITHDRAWN: (Status.DRAFT,),
    }

    # The review queue: submitted first, best score first, then first come.
    QUEUE_ORDER = (
        F("queue_rank").asc(),
        F("score").desc(nulls_last=True),
        F("submitted_at").asc(nulls_last=True),
    )

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="applications", verbose_name=_("company")
    )
    intake = models.ForeignKey(
        Intake,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("intake"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    step = models.CharField(_("last step saved"), max_length=20, default="company")
    market_fit = models.TextField(
        _("why Heilongjiang"),
        blank=True,
        help_text=_(
            "What brings you to Heilongjiang, and who your first customers there would be."
        ),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    policy = models.ForeignKey(
        ScreeningPolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("screening policy"),
    )
    screening = models.JSONField(_("screening result"), null=True, blank=True, editable=False)
    recommendation = models.CharField(
        _("recommendation"), max_length=12, choices=Recommendation.choices, blank=True
    )
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=1, null=True, blank=True, db_index=True
    )
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = acting_user(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The review queue's first sort key, stored by the database whatever writes the status,
    # so that an index can serve the queue's order (an ORDER BY over a CASE can use none).
    queue_rank = models.GeneratedField(
        expression=Case(When(status=Status.SUBMITTED, then=Value(0)), default=Value(1)),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("place in the review queue"),
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "intake"],
                name="one_application_per_intake",
                violation_error_message=_("The company has already applied to this intake."),
            )
        ]
        indexes = [
            models.Index(fields=["status", "-score"], name="application_queue_idx"),
            # QUEUE_ORDER, then the admin's tie-break on -pk: the page is the index's first rows.
            PortableIndex(
                F("queue_rank"),
                F("score").desc(nulls_last=True),
                F("submitted_at"),
                F("id").desc(),
                name="application_queue_order_idx",
            ),
        ]

    def __str__(self):
        return f"{self.company} · {self.intake}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @classmethod
    def recommendation_label(cls, code: str) -> str:
        return cls.Recommendation(code).label if code in cls.Recommendation.values else code


class ApplicationEvent(models.Model):
    """The history of an application: who did what, when and why."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        SCREENED = "screened", _("screened")
        DECIDED = "decided", _("decided")
        OVERRIDDEN = "overridden", _("criterion overridden")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REOPENED = "reopened", _("reopened as a draft")
        RETURNED = "returned", _("returned for more information")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    actor = acting_user(_("by"))
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, blank=True)
    criterion = models.CharField(_("criterion"), max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # What the code found, kept as data and put into words when read: a screening's
    # {"policy_version": 1, "recommendation": "meets_some", "score": "70.5"}.
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("application history entry")
        verbose_name_plural = _("application history")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {moment_text(self.created_at)}"

    @property
    def summary(self) -> str:
        """Return why or what, in the reader's language: the reason, or the screening found."""
        if self.kind == self.Kind.SCREENED and self.details:
            return gettext(
                "Screened with policy v%(version)s: %(recommendation)s, score %(score)s."
            ) % {
                "version": self.details.get("policy_version", "?"),
                "recommendation": Application.recommendation_label(
                    self.details.get("recommendation", "")
                ),
                "score": self.details.get("score", ""),
            }
        return self.reason


class CriterionOverride(models.Model):
    """Staff count a failed criterion as met, with a written reason."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="overrides",
        verbose_name=_("application"),
    )
    criterion = models.CharField(
        _("criterion"), max_length=20, choices=[(c, c) for c in screening.CRITERIA]
    )
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("actor")
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("criterion override")
        verbose_name_plural = _("criterion overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"],
                name="one_override_per_criterion",
                violation_error_message=_(
                    "This criterion of the application is already overridden."
                ),
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.reason[:40]}"
