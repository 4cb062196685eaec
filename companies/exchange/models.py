"""The technology exchange and transfer platform: what startups offer, what partners ask.

A startup offers a patent or a know-how package (`TechnologyListing`); the center approves
it before partners see it; a partner organisation asks about it (`TechnologyInquiry`) or
marks its interest in a company (`PartnerInterest`). Each row carries a `version` that its
services raise with every change: the outbox's dedupe keys are `kind:id:version`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from companies.models import Company, PartnerOrganisation, PartnerPerson, Patent, Sector
from incubator.multilingual import TranslatedText
from incubator.status_flow import StatusFlow

User = settings.AUTH_USER_MODEL


class DealKind(models.TextChoices):
    LICENSE = "license", _("Licensing")
    TRANSFER = "transfer", _("Transfer (assignment)")
    JOINT_DEVELOPMENT = "joint_development", _("Joint development")


# A listing may offer several kinds of deal. One boolean column per kind, each with a
# partial index on the approved listings, lets "approved listings open to licensing" be one
# indexed lookup on PostgreSQL and SQLite alike (an array or a bit mask is not indexable on
# both; a table of kinds would be a join).
DEAL_FIELDS = {
    DealKind.LICENSE: "offers_license",
    DealKind.TRANSFER: "offers_transfer",
    DealKind.JOINT_DEVELOPMENT: "offers_joint_development",
}


def deal_kind_q(kind: str) -> Q:
    """Return the filter of the listings that offer `kind` (a DealKind value)."""
    return Q(**{DEAL_FIELDS[DealKind(kind)]: True})


class Jurisdiction(models.TextChoices):
    KR = "KR", _("Korea (KIPO)")
    CN = "CN", _("China (CNIPA)")
    US = "US", _("United States")
    EP = "EP", _("Europe (EPO)")
    PCT = "PCT", _("PCT international")
    OTHER = "OTHER", _("Other")


def jurisdiction_of(patent: Patent) -> str:
    """Return the listing's jurisdiction of a patent (a Japanese patent is "other" here)."""
    return patent.jurisdiction if patent.jurisdiction in Jurisdiction.values else Jurisdiction.OTHER


class TechnologyListing(StatusFlow, models.Model):
    """A patent or a know-how package a startup offers for licensing, transfer or joint work."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    TRANSITIONS = {
        Status.DRAFT: (Status.SUBMITTED, Status.WITHDRAWN),
        Status.SUBMITTED: (Status.APPROVED, Status.REJECTED, Status.WITHDRAWN),
        # A rejected listing is changed and sent again, or given up.
        Status.REJECTED: (Status.SUBMITTED, Status.WITHDRAWN),
        Status.APPROVED: (Status.WITHDRAWN,),
        Status.WITHDRAWN: (),
    }
    # What the startup may still change: a listing under review or shown to partners is the
    # text the center approved.
    EDITABLE = (Status.DRAFT, Status.REJECTED)
    # Withdrawing is final; what the startup wrote is copied into a new draft instead.
    COPYABLE = (Status.WITHDRAWN,)

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="technology_listings",
        verbose_name=_("company"),
    )
    # Empty: a know-how package. A deleted patent leaves the listing as know-how.
    patent = models.ForeignKey(
        Patent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="technology_listings",
        verbose_name=_("patent"),
        help_text=_("Leave empty to offer know-how without a patent."),
    )
    title = TranslatedText(
        _("title"), max_length=200, required=True, constraint_name="technology_listing_has_a_title"
    )
    summary = TranslatedText(
        _("summary"), text=True, required=True, constraint_name="technology_listing_has_a_summary"
    )
    terms = TranslatedText(
        _("terms"), text=True, required=True, constraint_name="technology_listing_has_terms"
    )
    offers_license = models.BooleanField(_("licensing"), default=False)
    offers_transfer = models.BooleanField(_("transfer (assignment)"), default=False)
    offers_joint_development = models.BooleanField(_("joint development"), default=False)
    sector = models.CharField(_("sector"), max_length=40, choices=Sector.choices)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=5, choices=Jurisdiction.choices, default=Jurisdiction.KR
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    review_reason = models.TextField(_("reason of the review"), blank=True)
    reviewed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))

    class Meta:
        verbose_name = _("technology listing")
        verbose_name_plural = _("technology listings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offers_license=True)
                | Q(offers_transfer=True)
                | Q(offers_joint_development=True),
                name="technology_listing_offers_a_deal",
                violation_error_message=_(
                    "Choose at least one kind of deal: licensing, transfer or joint development."
                ),
            ),
        ]
        indexes = [
            # What partners browse: approved listings, newest approval first, by kind of deal.
            # No index leads with `status`: SQLite's planner would take it instead of these.
            models.Index(
                fields=["-reviewed_at"],
                condition=Q(status="approved", offers_license=True),
                name="listing_approved_license_idx",
            ),
            models.Index(
                fields=["-reviewed_at"],
                condition=Q(status="approved", offers_transfer=True),
                name="listing_approved_transfer_idx",
            ),
            models.Index(
                fields=["-reviewed_at"],
                condition=Q(status="approved", offers_joint_development=True),
                name="listing_approved_joint_idx",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def deal_kinds(self) -> list[str]:
        """Return the DealKind values the listing offers, in DealKind's order."""
        return [kind for kind, field in DEAL_FIELDS.items() if getattr(self, field)]

    def deal_kinds_display(self) -> list[str]:
        return [DealKind(kind).label for kind in self.deal_kinds]

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_copyable(self) -> bool:
        return self.status in self.COPYABLE

    @property
    def is_know_how(self) -> bool:
        return self.patent_id is None


class TechnologyInquiry(StatusFlow, models.Model):
    """A partner organisation's question about an approved listing, and the startup's answer."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ANSWERED = "answered", _("answered")

    TRANSITIONS = {Status.SENT: (Status.ANSWERED,), Status.ANSWERED: ()}

    listing = models.ForeignKey(
        TechnologyListing,
        on_delete=models.CASCADE,
        related_name="inquiries",
        verbose_name=_("technology listing"),
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="technology_inquiries",
        verbose_name=_("partner organisation"),
    )
    # Who asked; the inquiry is the organisation's and stays when the person leaves it.
    person = models.ForeignKey(
        PartnerPerson,
        on_delete=models.SET_NULL,
        null=True,
        related_name="technology_inquiries",
        verbose_name=_("partner person"),
    )
    # At most as long as a meeting request's message: it is e-mailed to the company's
    # members and the center.
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    answer = models.TextField(_("answer"), blank=True)
    # Accepting opens the company's contact details to the organisation (the partner API).
    # Labelled as the portal's "accepted" of an inquiry, not an application's "accepted".
    accepted = models.BooleanField(pgettext_lazy("inquiry", "accepted"), null=True, blank=True)
    answered_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))

    class Meta:
        verbose_name = _("technology inquiry")
        verbose_name_plural = _("technology inquiries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "organisation"],
                condition=Q(status="sent"),
                name="technology_inquiry_one_open_per_organisation",
                violation_error_message=_(
                    "Your organisation has an unanswered inquiry about this listing."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="sent", accepted__isnull=True, answered_at__isnull=True)
                | Q(status="answered", accepted__isnull=False, answered_at__isnull=False),
                name="technology_inquiry_answer_complete",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="inquiry_org_idx")]

    def __str__(self):
        return f"{self.organisation} → {self.listing}"


class PartnerInterest(models.Model):
    """A partner organisation's interest in a company; withdrawn keeps the row."""

    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="interests",
        verbose_name=_("partner organisation"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="partner_interests",
        verbose_name=_("company"),
    )
    person = models.ForeignKey(
        PartnerPerson,
        on_delete=models.SET_NULL,
        null=True,
        related_name="interests",
        verbose_name=_("marked by"),
    )
    # As an inquiry's message: e-mailed to the center and the company's owner.
    note = models.TextField(_("note"), max_length=2000, blank=True)
    marked_at = models.DateTimeField(_("marked at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))

    class Meta:
        verbose_name = _("partner interest")
        verbose_name_plural = _("partner interests")
        ordering = ["-marked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "company"],
                condition=Q(withdrawn_at__isnull=True),
                name="partner_interest_one_active",
                violation_error_message=_("Your organisation marked this company already."),
            )
        ]

    def __str__(self):
        return f"{self.organisation} → {self.company}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
