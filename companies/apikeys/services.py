"""Making and revoking partner API keys."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.apikeys.models import PartnerAPIKey, Scope
from companies.apikeys.policies import can_manage_api_keys
from incubator.audit import audit_record


def api_key_create(*, actor, organisation, name: str, scopes, expiry_date=None):
    """Make a key; return (key row, the key itself). The key is shown once and never kept."""
    if not can_manage_api_keys(actor):
        raise PermissionDenied
    scopes = sorted(set(scopes))
    unknown = set(scopes) - set(Scope.values)
    if unknown or not scopes:
        raise ValidationError({"scopes": _("Choose one or more of the scopes offered.")})
    if expiry_date is not None and expiry_date <= timezone.now():
        raise ValidationError({"expiry_date": _("The expiry must be in the future.")})
    if not organisation.is_active:
        raise ValidationError({"organisation": _("This organisation is not active.")})
    with transaction.atomic():
        key_row, key = PartnerAPIKey.objects.create_key(
            organisation=organisation,
            name=name.strip(),
            scopes=scopes,
            expiry_date=expiry_date,
            created_by=actor,
        )
        # The record names the organisation: a key's own id holds its hash, which the trail
        # has no use for (and which is longer than the trail's object ids).
        audit_record(
            actor=actor,
            verb="api_key.create",
            obj=organisation,
            changes={"organisation": organisation.pk, "scopes": scopes, "prefix": key_row.prefix},
        )
    return key_row, key


def api_key_revoke(*, actor, key: PartnerAPIKey) -> None:
    """Revoke a key for good: its next call gets 401."""
    if not can_manage_api_keys(actor):
        raise PermissionDenied
    with transaction.atomic():
        key = PartnerAPIKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked:
            raise ValidationError(_("This key is revoked already."))
        key.revoked = True
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked", "revoked_at"])
        audit_record(
            actor=actor,
            verb="api_key.revoke",
            obj=key.organisation,
            changes={"organisation": key.organisation_id, "prefix": key.prefix},
        )
