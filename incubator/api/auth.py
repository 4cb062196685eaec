"""Who calls: a partner organisation, by one of its API keys."""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

KEYWORD = "Api-Key"
# A key's last use is written at most this often: not one UPDATE per call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Partner:
    """The principal of an API call: the organisation that owns the key, with its scopes."""

    key: object

    is_authenticated = True
    is_staff = False
    is_active = True

    @property
    def organisation(self):
        return self.key.organisation

    @property
    def organisation_id(self) -> int:
        return self.key.organisation_id

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.key.scopes)

    def __str__(self):
        return f"API key {self.key.prefix} of {self.key.organisation}"


def key_model():
    return apps.get_model(settings.API_KEY_MODEL)


def key_from_header(request) -> str | None:
    """Return the key of `Authorization: Api-Key <key>`, or None when there is none."""
    keyword, found, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if not found or keyword.lower() != KEYWORD.lower():
        return None
    return key.strip() or None


class PartnerKeyAuthentication(BaseAuthentication):
    """Authenticate by a partner organisation's key; a revoked or expired one is a 401."""

    def authenticate(self, request):
        key = key_from_header(request)
        if key is None:
            return None
        model = key_model()
        try:
            api_key = model.objects.get_from_key(key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(
                _("This API key is not valid, or it was revoked."), code="key_invalid"
            ) from None
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed(_("This API key has expired."), "key_expired")
        if not api_key.organisation.is_active:
            raise exceptions.AuthenticationFailed(
                _("The organisation of this API key is no longer active."), "key_invalid"
            )
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
            model.objects.filter(pk=api_key.pk).update(last_used_at=now)
        return Partner(api_key), api_key

    def authenticate_header(self, request):
        # Makes DRF answer 401 (with WWW-Authenticate), not 403, when the key is missing.
        return KEYWORD
