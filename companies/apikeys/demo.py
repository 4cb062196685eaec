"""The demo investor's API key, printed by `make run`.

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


def demo_key() -> str:
    secret = hmac.new(settings.SECRET_KEY.encode(), b"demo-investor-api-key", hashlib.sha256)
    return f"{PREFIX}.{secret.hexdigest()[:32]}"


def ensure_demo_key(organisation) -> str:
    """Make the demo investor's key with every scope (once), and return it."""
    key = demo_key()
    hashed = PartnerAPIKey.objects.key_generator.hash(key)
    PartnerAPIKey.objects.filter(prefix=PREFIX).exclude(hashed_key=hashed).delete()
    PartnerAPIKey.objects.get_or_create(
        prefix=PREFIX,
        defaults={
            "id": concatenate(PREFIX, hashed),
            "hashed_key": hashed,
            "organisation": organisation,
            "name": "Demo",
            "scopes": list(Scope.values),
        },
    )
    return key
