"""A budget of calls per key, shared by every worker through Redis when there is one."""

import logging

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from incubator.api.auth import Partner

logger = logging.getLogger(__name__)


class PartnerKeyThrottle(SimpleRateThrottle):
    scope = "partner_key"

    @property
    def cache(self):
        return caches["api"]

    def get_rate(self):
        # Read per call, not once at import as DRF does: the rate follows the settings.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        if not isinstance(request.user, Partner):
            return None  # refused by authentication or permissions anyway
        return self.cache_format % {"scope": self.scope, "ident": request.user.key.prefix}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as error:  # noqa: BLE001 - a stopped Redis must not stop the API
            logger.warning("API throttle unavailable (%s); the call is let through.", error)
            return True
