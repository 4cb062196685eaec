from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from incubator import audit_verbs, message_kinds


def acting_user(verbose_name=None, **options) -> models.ForeignKey:
    """Return a foreign key to the person who did what a row records (decided, checked in,
    recorded...): optional, emptied when the account is deleted, no accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address: staff, founder, partner or judge."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ko"
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=[(tz, tz) for tz in settings.PORTAL_TIME_ZONES],
        default="Asia/Seoul",
    )
    email_verified = models.BooleanField(_("e-mail verified"), default=False)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Center staff who may sign in to the admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email


class OutboxMessage(models.Model):
    """A message to a person (an e-mail) or a partner's system (a webhook), written in the
    transaction that caused it.

    Delivery happens after commit (a task) or later (the periodic sweep); the
    unique dedupe key makes each message go out once whatever runs twice. A webhook's
    recipient names its endpoint ("webhook:12"): the address and the secret are looked
    up when it is delivered (incubator.webhooks).
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        WEBHOOK = "webhook", _("webhook")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("outbox message", "pending")
        SENT = "sent", pgettext_lazy("outbox message", "sent")
        FAILED = "failed", pgettext_lazy("outbox message", "failed")

    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    # An e-mail address, or "webhook:<endpoint id>".
    recipient = models.CharField(_("recipient"), max_length=254)
    kind = models.CharField(_("kind"), max_length=60)
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, unique=True)
    language = models.CharField(_("language"), max_length=8, default="ko")
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    available_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "available_at"], name="outbox_due_idx"),
            # An endpoint's recent deliveries, a person's messages.
            models.Index(fields=["recipient", "created_at"], name="outbox_recipient_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel="email", recipient__contains="@")
                | Q(channel="webhook", recipient__startswith="webhook:"),
                name="outbox_recipient_fits_channel",
            ),
        ]

    def __str__(self):
        return f"{message_kinds.label_of(self.kind)} → {self.recipient}"


class AuditRecord(models.Model):
    """Who changed what, written by the service that made the change, in its transaction.

    The company is kept by id, not by a foreign key: the core knows no app, and a
    record outlives the rows it names. `changes` is small and never holds a secret.
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = acting_user(_("actor"))
    # Kept when the account is gone, and the name of a partner's API key or a task.
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    verb = models.CharField(_("verb"), max_length=80, db_index=True)
    object_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kind of object"),
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # The object's name in each of the portal's languages, as it was named then: a manager
    # reads in Korean what a Chinese-speaking officer changed. {} on the records of before.
    object_names = models.JSONField(_("object in each language"), default=dict, blank=True)
    company_id = models.BigIntegerField(_("company id"), null=True, blank=True, db_index=True)
    company_repr = models.CharField(_("company"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{audit_verbs.label_of(self.verb)} · {self.object_shown}"

    @property
    def object_shown(self) -> str:
        """The object's name in the active language, or as its record was written."""
        return self.object_names.get(translation.get_language(), "") or self.object_repr


class ReminderOptOut(models.Model):
    """A kind of reminder a user turned off (only optional kinds; incubator.reminders)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="reminder_opt_outs", verbose_name=_("user")
    )
    kind = models.CharField(_("reminder"), max_length=40)
    created_at = models.DateTimeField(_("turned off at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder turned off")
        verbose_name_plural = _("reminders turned off")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user"],
                name="reminder_opt_out_once",
                violation_error_message=_("This reminder is already turned off."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.kind}"
