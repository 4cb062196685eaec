"""Who calls: a partner organisation, by one of its API keys."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from incubator.lockout import client_ip

logger = logging.getLogger(__name__)

KEYWORD = "Api-Key"
# A key's last use is written at most this often: not one UPDATE per call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
TOO_MANY_WRONG_KEYS = "too_many_wrong_keys"


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


class WrongKeyThrottle(SimpleRateThrottle):
    """The wrong keys (unknown, revoked, expired) one client address sent in the last minute.

    Over the budget, the address's calls with a key are refused before the key is looked
    up, a valid key's too: otherwise a guesser would still learn at full speed which of its
    keys is valid (a 200 among the 429s). Valid keys are not counted here, and each keeps
    its own budget (PartnerKeyThrottle). The address is the one the sign-in lockout counts.
    """

    scope = "wrong_key"

    @property
    def cache(self):
        return caches["api"]

    def get_rate(self):
        # Read per call, as PartnerKeyThrottle's; None or absent (the tests): no budget.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def allow_request(self, request, view):
        """Whether the address may have a key checked now. Counts nothing: `failed` does."""
        if self.rate is None:
            return True
        self.key, self.now = self.get_cache_key(request, view), self.timer()
        try:
            history = self.cache.get(self.key, [])
        except Exception as error:  # noqa: BLE001 - a stopped Redis must not stop the API
            logger.warning("API throttle unavailable (%s); the call is let through.", error)
            history = []
        self.history = [moment for moment in history if moment > self.now - self.duration]
        return len(self.history) < self.num_requests

    def failed(self):
        """Count a wrong key of the address `allow_request` was asked about."""
        if self.rate is None:
            return
        try:
            self.throttle_success()  # DRF's name for adding the call to the history
        except Exception as error:  # noqa: BLE001 - as above
            logger.warning("API throttle unavailable (%s); a wrong key goes uncounted.", error)


class TooManyWrongKeys(exceptions.Throttled):
    """429 of an address over its budget of wrong keys (the error handler words it)."""

    default_code = TOO_MANY_WRONG_KEYS


class PartnerKeyAuthentication(BaseAuthentication):
    """Authenticate by a partner organisation's key; a revoked or expired one is a 401."""

    def authenticate(self, request):
        key = key_from_header(request)
        if key is None:
            return None
        wrong_keys = WrongKeyThrottle()
        if not wrong_keys.allow_request(request, None):
            raise TooManyWrongKeys(wrong_keys.wait())
        try:
            return self._principal(key)
        except exceptions.AuthenticationFailed:
            wrong_keys.failed()
            raise

    def _principal(self, key: str) -> tuple:
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
