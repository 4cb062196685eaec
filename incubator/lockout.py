"""How django-axes tells sign-in attempts apart, and what a locked-out person sees."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


def client_username(request, credentials=None) -> str | None:
    """Return the e-mail address tried, in the form the accounts store it.

    Addresses are kept in lower case: "Manager@..." and "manager@..." are one
    account, so they must count as one against the limit.
    """
    data = credentials if credentials is not None else getattr(request, "data", request.POST)
    username = (data.get(settings.AXES_USERNAME_FORM_FIELD) or "").strip().lower()
    return username or None


def client_ip(request) -> str | None:
    """Return the visitor's address as the first trusted proxy saw it.

    Each proxy appends the address it received the request from to
    X-Forwarded-For, so the visitor is the entry TRUSTED_PROXY_COUNT from the
    right; what lies left of it the visitor wrote and may be forged.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [address.strip() for address in forwarded if address.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """Answer a locked-out sign-in with a page in the portal's layout.

    429 Too Many Requests: the request is refused for how often it came, not
    for who sent it, and it says when trying again makes sense.
    """
    minutes = int(get_cool_off(request).total_seconds() // 60)
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
