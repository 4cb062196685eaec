"""The API keys of partner organisations (djangorestframework-api-key's model, extended)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from companies.models import PartnerOrganisation


class Scope(models.TextChoices):
    """What a key may do. A `…:write` scope includes its `…:read` (incubator.api.permissions)."""

    COMPANIES_READ = "companies:read", _("read the companies shown to partners")
    EVENTS_READ = "events:read", _("read the published events")
    REGISTRATIONS_READ = "registrations:read", _("read the registrations of the organisation")
    REGISTRATIONS_WRITE = "registrations:write", _("register the organisation's people")
    MEETINGS_READ = "meetings:read", _("read meeting requests and agendas")
    MEETINGS_WRITE = "meetings:write", _("request meetings, read the agenda")
    INTERESTS_READ = "interests:read", _("read the organisation's interests")
    INTERESTS_WRITE = "interests:write", _("mark interest in companies")
    TECHNOLOGIES_READ = "technologies:read", _("read the technology listings")
    INQUIRIES_READ = "inquiries:read", _("read the organisation's inquiries")
    INQUIRIES_WRITE = "inquiries:write", _("send inquiries about technologies")
    WEBHOOKS_MANAGE = "webhooks:manage", _("manage the organisation's webhooks")
    REPORTS_READ = "reports:read", _("read the center's KPI report")


class PartnerAPIKeyManager(BaseAPIKeyManager):
    def get_usable_keys(self):
        return super().get_usable_keys().select_related("organisation")


class PartnerAPIKey(AbstractAPIKey):
    """A key of one partner organisation: shown once, stored as a hash with its prefix."""

    # The library's columns as it declares them, with labels and help in the staff's language.
    prefix = models.CharField(_("prefix"), max_length=8, unique=True, editable=False)
    created = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    name = models.CharField(
        _("name"),
        max_length=50,
        blank=False,
        default=None,
        help_text=_("What the key is for, e.g. CRM sync."),
    )
    revoked = models.BooleanField(
        _("revoked"),
        blank=True,
        default=False,
        help_text=_("A revoked key is refused; this cannot be undone."),
    )
    expiry_date = models.DateTimeField(
        _("expires at"),
        blank=True,
        null=True,
        help_text=_("From then on, the key is refused."),
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="api_keys",
        verbose_name=_("organisation"),
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = PartnerAPIKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]
