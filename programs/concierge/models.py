"""Concierge service requests: what a company asks the center, and the conversation."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.journey.models import Enrollment

User = settings.AUTH_USER_MODEL

__all__ = ["ServiceKind", "ServiceMessage", "ServiceRequest", "ServiceTarget", "request_file_path"]


def request_file_path(instance, filename: str) -> str:
    return f"requests/{instance.company_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


# --- Concierge service requests -----------------------------------------------------------


class ServiceKind(models.TextChoices):
    VISA = "visa", _("Visa and residence")
    COMPANY_REGISTRATION = "company_registration", _("Company registration")
    TAX = "tax", _("Tax and accounting")
    FINANCING = "financing", _("Financing introduction")
    IP = "ip", _("Intellectual property")
    TRANSLATION = "translation", _("Translation")
    HIRING = "hiring", _("Hiring")
    OFFICE = "office", _("Office")
    OTHER = "other", _("Other")


class ServiceTarget(models.Model):
    """How many days the center aims to take for a kind of request."""

    kind = models.CharField(_("kind"), max_length=30, choices=ServiceKind.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("target (days)"))

    class Meta:
        verbose_name = _("service target")
        verbose_name_plural = _("service targets")
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.days}"


class ServiceRequest(models.Model):
    """A concierge service request (도우미식 서비스) of a company."""

    Kind = ServiceKind

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed")

    class WaitingOn(models.TextChoices):
        CENTER = "center", _("the center")
        COMPANY = "company", _("the company")
        NOBODY = "", _("nobody")

    ACTIVE = (Status.OPEN, Status.IN_PROGRESS)
    TRANSITIONS = {
        Status.OPEN: (Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED),
        Status.IN_PROGRESS: (Status.RESOLVED, Status.CLOSED),
        Status.RESOLVED: (Status.IN_PROGRESS, Status.CLOSED),
        Status.CLOSED: (),
    }

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="service_requests",
        verbose_name=_("company"),
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("enrollment"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ServiceKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    waiting_on = models.CharField(
        _("waiting on"), max_length=10, choices=WaitingOn.choices, blank=True, default="center"
    )
    owner = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests_owned",
        limit_choices_to={"is_staff": True},
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    opened_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="service_request_due_idx")]

    def __str__(self):
        return f"#{self.pk} {self.subject}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def awaits_company_reply(self) -> bool:
        """Return whether the company's answer is awaited: the center wrote last on a request
        still open or in progress.

        The company's own reply, a reopening and a resolved or closed request hand it back
        to the center or to nobody (`waiting_on`, kept by the services).
        """
        return self.is_active and self.waiting_on == self.WaitingOn.COMPANY

    def is_overdue(self, today=None) -> bool:
        return (
            self.is_active
            and self.due_on is not None
            and self.due_on < (today or timezone.localdate())
        )

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())


class ServiceMessage(models.Model):
    """A message on a service request, from the company or the center, maybe with a file."""

    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("service request"),
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
        verbose_name=_("company"),
    )
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    from_center = models.BooleanField(_("from the center"), default=False)
    body = models.TextField(_("message"), blank=True)
    file = models.FileField(_("file"), upload_to=request_file_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("service request message")
        verbose_name_plural = _("service request messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body="") | ~Q(file=""), name="service_message_not_empty"
            )
        ]

    def __str__(self):
        return self.body[:60] or self.original_name
