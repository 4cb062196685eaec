"""The demo partners' API keys, printed by `make run`: the investor's, the county's.

A real key is random and shown once. The demo's is derived from SECRET_KEY, so that the
demo can print it on every run: the same while SECRET_KEY stays, a new one (replacing the
old) on a development machine without SECRET_KEY, where each process makes its own.
"""

import hashlib
import hmac

from django.conf import settings
from rest_framework_api_key.crypto import concatenate

from companies.apikeys.models import PartnerAPIKey, Scope

PREFIX = "DemoHLJ1"
# The Binxian county government reads the KPI report (the figures the center reports to it).
COUNTY_PREFIX = "DemoBX01"


def demo_key(prefix: str = PREFIX) -> str:
    salt = b"demo-investor-api-key" if prefix == PREFIX else f"demo-key-{prefix}".encode()
    secret = hmac.new(settings.SECRET_KEY.encode(), salt, hashlib.sha256)
    return f"{prefix}.{secret.hexdigest()[:32]}"


# The investor's key: every scope but the county's report (what the center reports to the
# county government is not an investor's to read).
INVESTOR_SCOPES = [scope for scope in Scope.values if scope != Scope.REPORTS_READ]


def ensure_demo_key(organisation, prefix: str = PREFIX, scopes=INVESTOR_SCOPES) -> str:
    """Make a demo key once, with `scopes` (a demo loaded before keeps its key, its scopes
    made these), and return it."""
    key = demo_key(prefix)
    hashed = PartnerAPIKey.objects.key_generator.hash(key)
    PartnerAPIKey.objects.filter(prefix=prefix).exclude(hashed_key=hashed).delete()
    made, created = PartnerAPIKey.objects.get_or_create(
        prefix=prefix,
        defaults={
            "id": concatenate(prefix, hashed),
            "hashed_key": hashed,
            "organisation": organisation,
            "name": "Demo",
            "scopes": list(scopes),
        },
    )
    if not created and made.scopes != list(scopes):
        PartnerAPIKey.objects.filter(pk=made.pk).update(scopes=list(scopes))
    return key


def ensure_county_key(organisation) -> str:
    return ensure_demo_key(organisation, COUNTY_PREFIX, [Scope.REPORTS_READ])
