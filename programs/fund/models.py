"""The support fund: calls, applications, grants and their disbursements."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies import validators
from incubator.models import acting_user
from incubator.multilingual import TranslatedText
from programs.journey.models import Enrollment, _currency_check

__all__ = ["Disbursement", "FundApplication", "FundCall"]

# What the money is for fits a page: the form and the service refuse more (a TextField has no
# limit in the database, and a limit there would need a migration for nothing).
PURPOSE_MAX_LENGTH = 4000

# One application per call and company: the constraint's words, the service's and the
# apply page's.
APPLIED_ALREADY = _("Your company has applied to this call already.")

# --- Support fund -----------------------------------------------------------------------


class FundCall(models.Model):
    """A call of the special support fund for Korean tech startups, with its budget."""

    title = TranslatedText(_("title"), max_length=200, required=True)
    description = TranslatedText(_("description"), text=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    budget = models.DecimalField(_("budget"), max_digits=16, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, choices=validators.CURRENCY_CHOICES, default="CNY"
    )
    # What is not granted yet; only the fund services change it, under a row lock.
    remaining = models.DecimalField(
        _("remaining budget"), max_digits=16, decimal_places=2, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support fund call")
        verbose_name_plural = _("support fund calls")
        ordering = ["-opens_at"]
        permissions = [("decide_fund", _("Can decide on support fund applications"))]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="fund_call_budget_positive"),
            # The last line of defence: no grant may take the budget below zero.
            models.CheckConstraint(
                condition=Q(remaining__gte=0), name="fund_call_remaining_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(remaining__lte=F("budget")), name="fund_call_remaining_within_budget"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="fund_call_closes_after_it_opens",
                violation_error_message=_("A call must close after it opens."),
            ),
            _currency_check("currency", "fund_call_currency_known"),
        ]

    def __str__(self):
        return self.title

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at


class FundApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        GRANTED = "granted", _("granted")
        REJECTED = "rejected", _("rejected")

    call = models.ForeignKey(
        FundCall, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        related_name="fund_applications",
        verbose_name=_("company"),
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.PROTECT,
        related_name="fund_applications",
        verbose_name=_("enrollment"),
    )
    amount_requested = models.DecimalField(_("amount requested"), max_digits=16, decimal_places=2)
    purpose = models.TextField(_("what the money is for"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    amount_granted = models.DecimalField(
        _("amount granted"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    # Paid out so far, in tranches; only the fund services change it, under a row lock.
    disbursed = models.DecimalField(
        _("disbursed"), max_digits=16, decimal_places=2, default=0, editable=False
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = acting_user(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    submitted_by = acting_user(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("support fund application")
        verbose_name_plural = _("support fund applications")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "company"],
                name="fund_application_one_per_call",
                violation_error_message=APPLIED_ALREADY,
            ),
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0), name="fund_application_request_positive"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="granted", amount_granted__gt=0)
                    | (~Q(status="granted") & Q(amount_granted__isnull=True))
                ),
                name="fund_application_granted_amount",
            ),
            models.CheckConstraint(
                condition=Q(amount_granted__isnull=True)
                | Q(amount_granted__lte=F("amount_requested")),
                name="fund_application_grant_within_request",
            ),
            models.CheckConstraint(
                condition=Q(disbursed__gte=0)
                & (Q(disbursed=0) | Q(disbursed__lte=F("amount_granted"))),
                name="fund_application_disbursed_within_grant",
            ),
        ]

    def __str__(self):
        return f"{self.company} · {self.call}"

    @property
    def currency(self) -> str:
        return self.call.currency

    @property
    def undisbursed(self):
        return (self.amount_granted or 0) - self.disbursed


class Disbursement(models.Model):
    """One tranche paid out of a grant."""

    application = models.ForeignKey(
        FundApplication,
        on_delete=models.PROTECT,
        related_name="disbursements",
        verbose_name=_("application"),
    )
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    paid_on = models.DateField(_("paid on"), validators=[validators.validate_not_future])
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    created_by = acting_user(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive")
        ]

    def __str__(self):
        # As the fund's pages write money ("CNY 150,000"): a row's title in the admin.
        return f"{validators.format_money(self.amount, self.application.currency)} · {self.paid_on}"
