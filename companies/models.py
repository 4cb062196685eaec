import datetime as dt
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from companies import validators
from incubator.multilingual import TranslatedText

User = settings.AUTH_USER_MODEL


class Sector(models.TextChoices):
    AI = "ai", _("Artificial intelligence")
    SCITECH_FINANCE = "scitech_finance", _("Science-and-technology finance")
    INTELLIGENT_MANUFACTURING = "intelligent_manufacturing", _("Intelligent manufacturing")
    EDUCATION = "education", _("Education")
    BIO_HEALTH = "bio_health", _("Bio and health")
    ENERGY_ENVIRONMENT = "energy_environment", _("Energy and environment")
    OTHER = "other", _("Other")


class Currency(models.TextChoices):
    KRW = "KRW", "KRW"
    CNY = "CNY", "CNY"
    USD = "USD", "USD"


class Company(models.Model):
    """A Korean startup, from its first application to its local production."""

    name = TranslatedText(_("name"), max_length=200, required=True)
    brn = models.CharField(
        _("business registration number"),
        max_length=10,
        unique=True,
        validators=[validators.validate_brn],
        help_text=_("10 digits, e.g. 124-81-00998"),
        error_messages={"unique": _("A company with this business registration number exists.")},
    )
    founded_on = models.DateField(_("founding date"), validators=[validators.validate_not_future])
    sector = models.CharField(_("sector"), max_length=40, choices=Sector.choices)
    description = TranslatedText(_("description"), text=True)
    website = models.URLField(_("website"), blank=True)
    city = models.CharField(_("head-office city"), max_length=100, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    consent_to_partners = models.BooleanField(
        _("may be shown to partners"),
        default=False,
        help_text=_("Investors and partner companies of the center may see this profile."),
    )
    # The languages its team works in: partners look for a company they can talk to.
    speaks_ko = models.BooleanField(_("the team speaks Korean"), default=True)
    speaks_zh = models.BooleanField(_("the team speaks Chinese"), default=False)
    speaks_en = models.BooleanField(_("the team speaks English"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name_ko"]

    def __str__(self):
        return self.name

    def clean(self):
        # Here rather than as field validators, so that the admin, the portal and the
        # imports all check them without a migration of the fields.
        errors = {}
        for field, check in (
            ("founded_on", validators.validate_founding_date),
            ("employees", validators.validate_employee_count),
        ):
            try:
                check(getattr(self, field))
            except ValidationError as error:
                errors[field] = error.messages
        if errors:
            raise ValidationError(errors)

    @property
    def brn_display(self) -> str:
        return validators.brn_format(self.brn)


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        MEMBER = "member", _("member")

    # One company per portal account: the roles table ties a member to one company.
    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("company")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self):
        return f"{self.user} · {self.company} ({self.get_role_display()})"


class Invitation(models.Model):
    # A forgotten invitation to a former colleague's address should not open the company
    # years later; sending it again (member_services.member_invite) starts the period afresh.
    VALID_FOR = dt.timedelta(days=30)

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("company")
    )
    email = models.EmailField(_("e-mail address"))
    token = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("token")
    )
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.company}"

    @property
    def expires_at(self):
        return self.created_at + self.VALID_FOR

    def is_expired(self, now=None) -> bool:
        """Return True for a pending invitation past its period (an accepted one is used)."""
        if self.accepted_at is not None or self.created_at is None:
            return False
        return (now or timezone.now()) >= self.expires_at

    # The link carries the row's UUID signed with SECRET_KEY: the database alone (a backup,
    # a leak) opens no invitation, and a new SECRET_KEY closes the pending ones. A dot
    # between the two, which a sign-in page's ?next= keeps as it is (a colon it encodes).
    @staticmethod
    def _link_signer() -> signing.Signer:
        return signing.Signer(salt="companies.Invitation.link", sep=".")

    @property
    def link_token(self) -> str:
        return self._link_signer().sign(str(self.token))

    @classmethod
    def token_of_link(cls, link_token: str) -> uuid.UUID | None:
        """Return the UUID a link's token signs, or None for one this server did not make."""
        try:
            return uuid.UUID(cls._link_signer().unsign(link_token))
        except (signing.BadSignature, ValueError):
            return None


class Patent(models.Model):
    class Jurisdiction(models.TextChoices):
        KR = "KR", _("Korea (KIPO)")
        CN = "CN", _("China (CNIPA)")
        PCT = "PCT", _("PCT international")
        US = "US", _("United States")
        JP = "JP", _("Japan")
        EP = "EP", _("Europe (EPO)")
        OTHER = "OTHER", _("Other")

    class Kind(models.TextChoices):
        INVENTION = "invention", _("Invention patent")
        UTILITY_MODEL = "utility_model", _("Utility model")
        DESIGN = "design", _("Design")

    class Status(models.TextChoices):
        APPLICATION = "application", _("Applied")
        REGISTERED = "registered", _("Registered (granted)")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="patents", verbose_name=_("company")
    )
    jurisdiction = models.CharField(_("jurisdiction"), max_length=5, choices=Jurisdiction.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INVENTION)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    number = models.CharField(_("number"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    applied_on = models.DateField(
        _("application date"), validators=[validators.validate_not_future]
    )
    registered_on = models.DateField(
        _("registration date"), null=True, blank=True, validators=[validators.validate_not_future]
    )

    class Meta:
        verbose_name = _("patent")
        verbose_name_plural = _("patents")
        ordering = ["-applied_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "jurisdiction", "number"],
                name="patent_unique_per_company",
                violation_error_message=_(
                    "This patent number is already recorded for the company."
                ),
            ),
            models.CheckConstraint(
                condition=Q(registered_on__isnull=True) | Q(registered_on__gte=F("applied_on")),
                name="patent_registered_after_applied",
            ),
        ]

    def __str__(self):
        return f"{self.jurisdiction} {self.number}"

    def clean(self):
        # Here, so that the portal's form and the service (full_clean) check it alike.
        try:
            validators.validate_patent_filing_year(self.jurisdiction, self.number, self.applied_on)
        except ValidationError as error:
            raise ValidationError({"number": error.error_list}) from None

    @property
    def number_kind(self) -> str:
        return self.number_kind_of(self.status)

    @classmethod
    def number_kind_of(cls, status: str) -> str:
        """The kind of number ("registration" or "application") a patent of `status` has."""
        return "registration" if status == cls.Status.REGISTERED else "application"


class FundingRound(models.Model):
    class Type(models.TextChoices):
        SEED = "seed", _("Seed")
        ANGEL = "angel", _("Angel")
        SERIES_A = "series_a", _("Series A")
        SERIES_B = "series_b", _("Series B or later")
        GOVERNMENT = "government", _("Government grant")
        LOAN = "loan", _("Loan")
        OTHER = "other", _("Other")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="funding_rounds", verbose_name=_("company")
    )
    round_type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    investor = models.CharField(_("investor"), max_length=200, blank=True)
    date = models.DateField(_("date"), validators=[validators.validate_not_future])

    class Meta:
        verbose_name = _("funding round")
        verbose_name_plural = _("funding rounds")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_positive"),
            models.CheckConstraint(
                condition=Q(currency__in=["KRW", "CNY", "USD"]), name="funding_currency_known"
            ),
        ]

    def __str__(self):
        # As its table shows it: "Seed KRW 500,000,000", not the stored "500000000.00".
        return (
            f"{self.get_round_type_display()} {validators.format_money(self.amount, self.currency)}"
        )

    def clean(self):
        _check_not_before_founding(self, "date")


class MarketValidation(models.Model):
    class Kind(models.TextChoices):
        REVENUE = "revenue", _("Revenue")
        CUSTOMER_CONTRACT = "customer_contract", _("Customer contract")
        PILOT = "pilot", _("Pilot")
        AWARD = "award", _("Award")

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="market_validations",
        verbose_name=_("company"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(
        _("amount"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    date = models.DateField(_("date"), validators=[validators.validate_not_future])

    class Meta:
        verbose_name = _("market validation")
        verbose_name_plural = _("market validations")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="market_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(currency__in=["KRW", "CNY", "USD"]),
                name="market_amount_has_currency",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description}"

    def clean(self):
        _check_not_before_founding(self, "date")


def _check_not_before_founding(evidence, field: str) -> None:
    """Refuse a funding round, market validation or certification dated before its company
    was founded: screening would count what could not have happened."""
    if evidence.company_id is None:
        return  # a form not yet tied to its company: the service checks it again
    company = evidence.company
    try:
        validators.validate_not_before_founding(
            getattr(evidence, field),
            company.founded_on,
            message=_("The date cannot be before %(company)s was founded (%(date)s)."),
            params={"company": company.name, "date": date_format(company.founded_on)},
        )
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


class CertificationKind(models.TextChoices):
    # The codes the screening rules know (programs.admissions.screening.CERTIFICATION_LABELS).
    VENTURE = "venture", _("Venture Business Confirmation")
    INNOBIZ = "innobiz", _("INNOBIZ certificate")
    MAINBIZ = "mainbiz", _("MAIN-BIZ certificate")
    RND_CENTER = "rnd_center", _("Corporate R&D center recognition")
    TIPS = "tips", _("TIPS selection")
    HIGH_TECH = "high_tech", _("High-tech designation")
    OTHER = "other", _("Other certification")


class Certification(models.Model):
    KIND_CHOICES = CertificationKind.choices

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("company")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES)
    number = models.CharField(_("certificate number"), max_length=60)
    issued_on = models.DateField(_("issue date"), validators=[validators.validate_not_future])
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="certification_expires_after_issue",
            ),
            # Twice the same certificate (a double tap) would be listed and reviewed twice.
            models.UniqueConstraint(
                fields=["company", "kind", "number"],
                name="certification_unique_per_company",
                violation_error_message=_(
                    "This certificate number is already recorded for the company."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def clean(self):
        _check_not_before_founding(self, "issued_on")


def document_path(instance, filename: str) -> str:
    # A generated name: the uploader's file name never reaches the file system.
    return f"documents/{instance.company_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Document(models.Model):
    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("Certificate")
        REGISTRATION = "registration", _("Business registration")
        PATENT = "patent", _("Patent document")
        FINANCIAL = "financial", _("Financial statement")
        PITCH = "pitch", _("Pitch deck")
        OTHER = "other", _("Other")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="documents", verbose_name=_("company")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name


class Lead(models.Model):
    """A promising company the center engages before it applies."""

    class Source(models.TextChoices):
        DELEGATION = "delegation", _("Delegation visit")
        REFERRAL = "referral", _("Referral by a resident company")
        ROADSHOW = "roadshow", _("Roadshow")
        ASSOCIATION = "association", _("Accelerator association")
        INBOUND = "inbound", _("Inbound")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        CONTACTED = "contacted", _("contacted")
        ENGAGED = "engaged", _("engaged")
        INVITED = "invited", _("invited to apply")
        CONVERTED = "converted", _("converted")
        DROPPED = "dropped", _("dropped")

    company_name = models.CharField(_("company name"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    referred_by = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("referred by"),
    )
    owner = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        limit_choices_to={"is_staff": True},
        verbose_name=_("owner"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default="new")
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_step_on = models.DateField(_("next step date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    company = models.OneToOneField(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead",
        verbose_name=_("company"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["next_step_on", "company_name"]

    def __str__(self):
        return self.company_name

    def can_invite(self) -> bool:
        return self.status not in (self.Status.CONVERTED, self.Status.DROPPED)


# Language codes of people in meetings (the scheduler's `Participant.languages`); not the
# interface languages of settings.LANGUAGES.
SPOKEN_LANGUAGES = ("ko", "zh", "en")


class PartnerOrganisation(models.Model):
    """An investor, local company, government, university or service provider of the center.

    Its people register for events and take meetings; later its API keys hang off this row.
    """

    class Kind(models.TextChoices):
        INVESTOR = "investor", _("Investor")
        LOCAL_COMPANY = "local_company", _("Local company")
        COUNTY_GOVERNMENT = "county_government", _("County government")
        CITY_GOVERNMENT = "city_government", _("City government")
        UNIVERSITY = "university", _("University")
        SERVICE_PROVIDER = "service_provider", _("Service provider")

    class Country(models.TextChoices):
        CN = "CN", _("China")
        KR = "KR", _("Korea")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = TranslatedText(
        _("name"), max_length=200, required=True, constraint_name="partner_organisation_has_a_name"
    )
    country = models.CharField(
        _("country"), max_length=5, choices=Country.choices, default=Country.CN
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validators.validate_uscc],
        help_text=_("Chinese organisations only, 18 characters, e.g. 91110108551385082Q"),
    )
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive partners keep their history.")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name_zh", "name_ko", "name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=~Q(uscc=""),
                name="partner_organisation_uscc_unique",
                violation_error_message=_(
                    "A partner organisation with this unified social credit code exists."
                ),
            ),
        ]
        indexes = [models.Index(fields=["kind", "is_active"], name="partner_org_kind_idx")]

    def __str__(self):
        return self.name


class PartnerPerson(models.Model):
    """A person of a partner organisation with a portal account."""

    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organisation"),
    )
    # One organisation per portal account, as one company per startup member.
    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="partner_person", verbose_name=_("user")
    )
    title = models.CharField(_("job title"), max_length=150, blank=True)
    speaks_ko = models.BooleanField(_("speaks Korean"), default=False)
    speaks_zh = models.BooleanField(_("speaks Chinese"), default=False)
    speaks_en = models.BooleanField(_("speaks English"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner person")
        verbose_name_plural = _("partner people")
        ordering = ["organisation_id", "id"]

    def __str__(self):
        return f"{self.user} · {self.organisation}"

    @property
    def languages(self) -> frozenset[str]:
        """Return the codes ("ko", "zh", "en") of the languages this person speaks."""
        return frozenset(code for code in SPOKEN_LANGUAGES if getattr(self, f"speaks_{code}"))


# The rooms' tables, imported here so that the app registers them.
from companies.apikeys.models import PartnerAPIKey  # noqa: E402, F401

# The rooms of companies, imported here so that the app registers their models.
from companies.exchange.models import (  # noqa: E402, F401
    DealKind,
    PartnerInterest,
    TechnologyInquiry,
    TechnologyListing,
)
from companies.webhooks.models import EventType, WebhookEndpoint  # noqa: E402, F401
