"""The webhook channel of the outbox: signed HTTP POSTs to partners' endpoints.

A webhook row's recipient names its endpoint ("webhook:12"), never its address or secret:
the app that owns endpoints registers a resolver (from AppConfig.ready, as for links),
and the URL and the secret are asked for at each attempt, so a changed address, a rotated
secret or a deactivated endpoint apply to the messages still waiting.

Every request goes to an address checked here (https, and no private, loopback,
link-local, multicast, reserved or unspecified address unless WEBHOOKS_ALLOW_PRIVATE),
the connection is made to the address that was checked (a second DNS answer cannot slip
in between), and a redirect is a failed attempt, never followed.
"""

import datetime as dt
import hashlib
import hmac
import http.client
import ipaddress
import json
import re
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

RECIPIENT_PREFIX = "webhook:"
USER_AGENT = "ck-incubator-webhooks/1"
# The headers of a delivery, as docs/webhooks.md describes them.
HEADER_ID = "X-Webhook-Id"
HEADER_EVENT = "X-Webhook-Event"
HEADER_TIMESTAMP = "X-Webhook-Timestamp"
HEADER_SIGNATURE = "X-Webhook-Signature"
RESPONSE_READ_LIMIT = 64 * 1024


@dataclass(frozen=True)
class WebhookTarget:
    url: str
    secret: str


class UnsafeWebhookURL(ValueError):
    """The address is refused; the message says why, in the active language."""


class WebhookFailed(Exception):
    """One attempt failed; the message is short and names no secret."""


class WebhookGone(WebhookFailed):
    """The endpoint is deleted or inactive: retrying cannot help."""


_resolver: Callable[[str], WebhookTarget | None] | None = None
_on_attempt: Callable[..., None] | None = None


def register_resolver(
    resolve: Callable[[str], WebhookTarget | None],
    *,
    on_attempt: Callable[..., None] | None = None,
) -> None:
    """Make `resolve(endpoint_id)` give the URL and secret of an endpoint at delivery.

    It returns None for an endpoint that is gone or inactive. `on_attempt(endpoint_id,
    ok=..., at=...)` is told the outcome of every attempt, in the delivery's transaction.
    """
    global _resolver, _on_attempt
    _resolver, _on_attempt = resolve, on_attempt


def recipient_for(endpoint_id) -> str:
    return f"{RECIPIENT_PREFIX}{endpoint_id}"


def endpoint_id_of(recipient: str) -> str:
    return recipient.removeprefix(RECIPIENT_PREFIX)


# --- Addresses ------------------------------------------------------------------------------


def _refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        return _refused(mapped)
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        # Shared address space (100.64.0.0/10) and the like: not private, not global either.
        or not ip.is_global
    )


def resolve_host(host: str, port: int) -> list[str]:
    """Return the addresses `host` resolves to (a seam for the tests)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _parse(url: str) -> tuple[str, str, int]:
    allow_private = settings.WEBHOOKS_ALLOW_PRIVATE
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeWebhookURL(_("This is not a valid address.")) from None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in ({"https", "http"} if allow_private else {"https"}):
        raise UnsafeWebhookURL(_("The address must start with https://."))
    if not host:
        raise UnsafeWebhookURL(_("The address has no host name."))
    if parts.username is not None or parts.password is not None:
        raise UnsafeWebhookURL(_("The address must not hold a user name or a password."))
    return scheme, host, port or (443 if scheme == "https" else 80)


def _addresses(host: str, port: int) -> list[str]:
    try:
        addresses = resolve_host(host, port)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        raise UnsafeWebhookURL(_("The host name %(host)s does not resolve.") % {"host": host})
    if not settings.WEBHOOKS_ALLOW_PRIVATE:
        for address in addresses:
            if _refused(ipaddress.ip_address(address.split("%", 1)[0])):
                raise UnsafeWebhookURL(
                    _(
                        "%(host)s is a private, loopback, link-local or reserved address: "
                        "webhooks go to public addresses only."
                    )
                    % {"host": host}
                )
    return addresses


def check_url(url: str) -> None:
    """Raise UnsafeWebhookURL when `url` may not receive webhooks.

    With WEBHOOKS_ALLOW_PRIVATE (DEBUG and the tests) http and any address are allowed,
    and the host is not looked up: a test host need not exist until it is delivered to.
    """
    _scheme, host, port = _parse(url)
    if not settings.WEBHOOKS_ALLOW_PRIVATE:
        _addresses(host, port)


def connect_address(url: str) -> tuple[str, str, int, str]:
    """Return (scheme, host, port, checked address to connect to), or raise
    UnsafeWebhookURL: the check of registration, made again at every attempt."""
    scheme, host, port = _parse(url)
    return scheme, host, port, _addresses(host, port)[0]


# --- Messages and signatures -------------------------------------------------------------


def utc_iso(moment: dt.datetime) -> str:
    """Return `moment` as ISO 8601 in UTC with a Z: "2026-12-10T01:00:00Z"."""
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def new_payload(*, event_type: str, data: dict) -> dict:
    """Return the stored payload of a delivery: its id, type, time and data.

    The id is made once, here, so that every retry carries the same one and a receiver
    that saw it already can drop the repeat.
    """
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "created_at": utc_iso(timezone.now()),
        "data": data,
    }


def body_of(payload: dict) -> bytes:
    """Return the JSON body of a delivery: the same bytes at every attempt."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the hex HMAC-SHA256 of "<timestamp>.<body>" under `secret`."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def headers_of(payload: dict, body: bytes, secret: str, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        HEADER_ID: payload["id"],
        HEADER_EVENT: payload["type"],
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_SIGNATURE: f"t={timestamp},v1={signature(secret, timestamp, body)}",
    }


# --- Delivery -------------------------------------------------------------------------------


def _connection(scheme: str, host: str, port: int, address: str, timeout: float):
    """Return a connection to `address` that speaks to `host` (Host header, TLS name)."""
    if scheme == "https":
        connection = http.client.HTTPSConnection(host, port, timeout=timeout)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def create_connection(_address, timeout_, source_address=None):
        return socket.create_connection((address, port), timeout_, source_address)

    # http.client resolves self.host in connect(); the checked address is used instead,
    # while the certificate is still verified against the host name.
    connection._create_connection = create_connection
    return connection


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST `body` to `url` once; return the status. Redirects are not followed."""
    try:
        scheme, host, port, address = connect_address(url)
    except UnsafeWebhookURL as refusal:
        raise WebhookFailed(f"Refused: {refusal}") from None
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = _connection(scheme, host, port, address, settings.WEBHOOKS_TIMEOUT_SECONDS)
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(RESPONSE_READ_LIMIT)
        return response.status
    except (OSError, http.client.HTTPException) as error:
        # What the OS or TLS said ("[Errno 111] Connection refused"): never the request.
        raise WebhookFailed(f"{type(error).__name__}: {error}"[:200]) from None
    finally:
        connection.close()


# What deliver() writes into last_error in English (the worker's log reads it too), and
# error_in_language() says in the reader's language.
ENDPOINT_GONE = gettext_noop("The endpoint is deleted or inactive.")
ENDPOINT_ANSWERED = gettext_noop("The endpoint answered HTTP %(status)s.")
_ANSWERED = re.compile(re.escape(ENDPOINT_ANSWERED).replace(re.escape("%(status)s"), r"(\d+)"))


def error_in_language(text: str) -> str:
    """A delivery's last error in the active language: the two of deliver()'s own words;
    what the network or TLS said stays as it was written."""
    if text == ENDPOINT_GONE:
        return _(ENDPOINT_GONE)
    if answered := _ANSWERED.fullmatch(text):
        return _(ENDPOINT_ANSWERED) % {"status": answered[1]}
    return text


def deliver(message) -> None:
    """Make one attempt at a webhook outbox row; raise WebhookFailed when it fails.

    The errors are in English whatever the worker's language: they go into last_error.
    """
    endpoint_id = endpoint_id_of(message.recipient)
    target = _resolver(endpoint_id) if _resolver else None
    if target is None:
        raise WebhookGone(ENDPOINT_GONE)
    body = body_of(message.payload)
    timestamp = int(time.time())
    ok = False
    try:
        with translation.override("en"):
            status = post(
                target.url, body, headers_of(message.payload, body, target.secret, timestamp)
            )
        ok = 200 <= status < 300
        if not ok:
            raise WebhookFailed(ENDPOINT_ANSWERED % {"status": status})
    finally:
        if _on_attempt is not None:
            _on_attempt(endpoint_id, ok=ok, at=timezone.now())
