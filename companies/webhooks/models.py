"""Partners' webhook endpoints: where the center posts what happened, signed.

An endpoint's signing secret is never stored: it is derived from the site's SECRET_KEY,
the endpoint's id and a random salt kept on the row (`services.endpoint_secret`), shown
once when the endpoint is created or its secret rotated; rotating draws a new salt.
"""

import secrets
from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _

from companies.models import PartnerOrganisation


class EventType(models.TextChoices):
    """What an endpoint may subscribe to; docs/webhooks.md describes each payload."""

    MEETING_CONFIRMED = "meeting.confirmed", _("A meeting is confirmed")
    MEETING_MOVED = "meeting.moved", _("A meeting moved to another time or table")
    EVENT_CHANGED = "event.changed", _("An event changed")
    EVENT_CANCELLED = "event.cancelled", _("An event is cancelled")
    LISTING_PUBLISHED = "listing.published", _("A technology listing is published")
    INQUIRY_ANSWERED = "inquiry.answered", _("An inquiry is answered")


def new_salt() -> str:
    return secrets.token_hex(16)


class WebhookEndpoint(models.Model):
    class DeliveryStatus(models.TextChoices):
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("organisation"),
    )
    url = models.URLField(
        _("URL"), max_length=500, help_text=_("A public https address of the partner's system.")
    )
    event_types = models.JSONField(_("event types"), default=list)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive endpoints receive nothing.")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    # With SECRET_KEY, what the secret is derived from; never the secret itself.
    secret_salt = models.CharField(
        max_length=64, default=new_salt, editable=False, verbose_name=_("secret salt")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    last_delivery_status = models.CharField(
        _("last delivery"), max_length=10, choices=DeliveryStatus.choices, blank=True
    )
    last_delivery_at = models.DateTimeField(_("last delivery at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["organisation_id", "pk"]

    def __str__(self):
        return f"{self.organisation} · {self.host}"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    def subscribes_to(self, event_type: str) -> bool:
        return event_type in self.event_types
