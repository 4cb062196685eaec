"""The outbox's webhook channel: signed deliveries, retries with back-off, SSRF refusals.

These tests stand in for the app that owns endpoints with a resolver of their own (the
core knows no app); tests/companies/webhooks/ run the same path with real endpoints.
"""

import datetime as dt
import hashlib
import hmac
import json
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from incubator import services, webhooks
from incubator.models import OutboxMessage
from tests.incubator.test_settings import PRODUCTION, run_python
from tests.incubator.webhook_receiver import documented_verifier

pytestmark = pytest.mark.django_db

SECRET = "whsec_test-secret-of-endpoint-7"
PUBLIC = "93.184.216.34"


@pytest.fixture
def endpoint(monkeypatch):
    """Endpoint 7 at a URL the test sets, with SECRET; records each attempt's outcome."""
    state = {"url": None, "attempts": []}

    def resolve(endpoint_id):
        if endpoint_id != "7" or state["url"] is None:
            return None
        return webhooks.WebhookTarget(url=state["url"], secret=SECRET)

    def attempted(endpoint_id, *, ok, at):
        state["attempts"].append((endpoint_id, ok))

    monkeypatch.setattr(webhooks, "_resolver", resolve)
    monkeypatch.setattr(webhooks, "_on_attempt", attempted)
    return state


def enqueue(key="webhook:meeting.confirmed:meeting-1:7", data=None):
    return services.webhook_enqueue(
        endpoint_id=7,
        event_type="meeting.confirmed",
        dedupe_key=key,
        data=data if data is not None else {"meeting": {"id": 1, "table": 3}},
    )


def deliver(message) -> bool:
    return services.outbox_deliver(message_id=message.pk)


def dns(monkeypatch, answers: dict[str, list[str]]):
    """Make host names resolve as `answers` says (IP literals resolve as themselves)."""
    real = webhooks.resolve_host

    def resolve(host, port):
        return answers[host] if host in answers else real(host, port)

    monkeypatch.setattr(webhooks, "resolve_host", resolve)


# --- Delivery ---------------------------------------------------------------------------------


def test_a_delivery_is_a_signed_post_that_the_documented_snippet_verifies(endpoint, receiver):
    endpoint["url"] = receiver.url
    message = enqueue()

    assert deliver(message) is True

    (got,) = receiver.received
    assert got.path == "/hooks/incubator?source=ck"
    assert got.headers["Content-Type"] == "application/json; charset=utf-8"
    assert got.headers["X-Webhook-Id"] == message.payload["id"]
    assert got.headers["X-Webhook-Event"] == "meeting.confirmed"
    body = json.loads(got.body)
    assert body == {
        "id": message.payload["id"],
        "type": "meeting.confirmed",
        "created_at": message.payload["created_at"],
        "data": {"meeting": {"id": 1, "table": 3}},
    }
    assert body["created_at"].endswith("Z")
    timestamp = int(got.headers["X-Webhook-Timestamp"])
    assert abs(timestamp - timezone.now().timestamp()) < 60
    signature = got.headers["X-Webhook-Signature"]
    assert signature.startswith(f"t={timestamp},v1=")

    verify = documented_verifier()
    assert verify(SECRET, got.body, signature) is True
    assert verify(SECRET, got.body.replace(b'"table":3', b'"table":4'), signature) is False
    assert verify("whsec_another-endpoint", got.body, signature) is False
    assert verify(SECRET, got.body, signature, now=timestamp + 5 * 60 + 1) is False
    assert verify(SECRET, got.body, "v1=" + signature.split("v1=")[1]) is False

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 1, "")
    assert endpoint["attempts"] == [("7", True)]


def test_the_delivery_goes_out_after_commit_and_once(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    endpoint["url"] = receiver.url
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue()
        again = enqueue()  # the same occurrence, written twice
    assert again.pk == message.pk
    assert OutboxMessage.objects.filter(channel="webhook").count() == 1
    assert services.outbox_sweep() == 0
    assert len(receiver.received) == 1
    message.refresh_from_db()
    assert message.recipient == "webhook:7"
    assert message.status == OutboxMessage.Status.SENT


def test_a_receiver_that_is_down_gets_the_retries_with_back_off_then_failed(
    settings, endpoint, closed_port, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 4
    endpoint["url"] = f"http://127.0.0.1:{closed_port}/hooks"
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue()  # the first attempt runs after commit, and fails

    waits = []
    for attempt in range(1, 5):
        message.refresh_from_db()
        assert message.attempts == attempt
        assert "Connection refused" in message.last_error
        assert len(message.last_error) <= 200
        assert SECRET not in message.last_error
        if attempt == 4:
            break
        assert message.status == OutboxMessage.Status.PENDING
        waits.append(round((message.available_at - timezone.now()).total_seconds() / 60))
        assert services.outbox_sweep() == 0, "not due yet: it backs off"
        OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
        assert services.outbox_sweep() == 0  # due: one more attempt, failed again

    assert waits == [1, 2, 4]
    assert message.status == OutboxMessage.Status.FAILED
    assert services.outbox_sweep() == 0
    message.refresh_from_db()
    assert message.attempts == 4, "a failed message is not tried again"
    assert endpoint["attempts"] == [("7", False)] * 4


def test_a_retry_carries_the_same_delivery_id_and_body_with_a_new_signature(
    endpoint, receiver, monkeypatch
):
    endpoint["url"] = receiver.url
    receiver.answers = [503]
    message = enqueue()
    clock = iter([1_800_000_000, 1_800_000_090])
    monkeypatch.setattr(webhooks, "time", SimpleNamespace(time=lambda: next(clock)))

    assert deliver(message) is False
    message.refresh_from_db()
    assert message.last_error == "The endpoint answered HTTP 503."
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    assert deliver(message) is True

    first, second = receiver.received
    assert first.headers["X-Webhook-Id"] == second.headers["X-Webhook-Id"] == message.payload["id"]
    assert first.body == second.body
    assert first.headers["X-Webhook-Signature"] != second.headers["X-Webhook-Signature"]
    assert endpoint["attempts"] == [("7", False), ("7", True)]


def test_a_redirect_is_a_failed_attempt_and_is_not_followed(endpoint, receiver):
    endpoint["url"] = receiver.url
    receiver.answers = [302]
    receiver.redirect_to = "http://169.254.169.254/latest/meta-data/"
    message = enqueue()

    assert deliver(message) is False

    assert len(receiver.received) == 1
    message.refresh_from_db()
    assert message.last_error == "The endpoint answered HTTP 302."
    assert message.status == OutboxMessage.Status.PENDING


def test_a_deleted_or_inactive_endpoint_fails_the_delivery_at_once(endpoint):
    message = enqueue()  # the resolver knows no URL for endpoint 7: it is gone

    assert deliver(message) is False

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 1
    assert message.last_error == "The endpoint is deleted or inactive."


def test_the_connection_goes_to_the_address_that_was_checked(endpoint, receiver, monkeypatch):
    # "hooks.partner.test" exists only in this answer: reaching the receiver proves the
    # request went to the checked address, with the host name in the Host header.
    port = receiver.url.split(":")[2].split("/")[0]
    dns(monkeypatch, {"hooks.partner.test": ["127.0.0.1"]})
    endpoint["url"] = f"http://hooks.partner.test:{port}/in"

    assert deliver(enqueue()) is True
    assert receiver.received[0].headers["Host"] == f"hooks.partner.test:{port}"


def test_a_webhook_row_names_its_endpoint_never_an_address():
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(
            channel="webhook", recipient="https://hooks.example/in", kind="x", dedupe_key="a"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(
            channel="email", recipient="webhook:7", kind="x", dedupe_key="b"
        )
    message = enqueue()
    assert (message.channel, message.recipient, message.language) == ("webhook", "webhook:7", "en")


# --- SSRF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.1/hook",
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[fe80::1]/hook",
        "https://[fc00::5]/hook",
        "https://192.168.1.20/hook",
        "https://172.16.0.9/hook",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",
        "https://240.0.0.1/hook",
        "http://example.com/hook",
        "ftp://example.com/hook",
        "https://user:password@example.com/hook",
        "https:///no-host",
    ],
)
def test_private_addresses_and_plain_http_are_refused_in_production(settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(webhooks.UnsafeWebhookURL):
        webhooks.check_url(url)


def test_a_host_name_is_refused_when_any_of_its_addresses_is_private(settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    dns(
        monkeypatch,
        {
            "hooks.partner.example": [PUBLIC],
            "sneaky.partner.example": [PUBLIC, "10.1.2.3"],
            "metadata.partner.example": ["169.254.169.254"],
        },
    )
    webhooks.check_url("https://hooks.partner.example/in")
    webhooks.check_url(f"https://{PUBLIC}:8443/in")
    for host in ("sneaky.partner.example", "metadata.partner.example"):
        with pytest.raises(webhooks.UnsafeWebhookURL, match="public addresses only"):
            webhooks.check_url(f"https://{host}/in")
    with pytest.raises(webhooks.UnsafeWebhookURL, match="does not resolve"):
        webhooks.check_url("https://no-such-host.invalid/in")


def test_the_address_is_checked_again_at_delivery_for_dns_can_change(
    settings, endpoint, receiver, monkeypatch
):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    port = receiver.url.split(":")[2].split("/")[0]
    dns(monkeypatch, {"hooks.partner.example": [PUBLIC]})
    endpoint["url"] = f"https://hooks.partner.example:{port}/in"
    webhooks.check_url(endpoint["url"])  # fine when it is registered
    dns(monkeypatch, {"hooks.partner.example": ["127.0.0.1"]})  # then the name moves
    message = enqueue()

    assert deliver(message) is False

    assert receiver.received == []
    message.refresh_from_db()
    assert message.last_error.startswith("Refused: hooks.partner.example is a private")
    assert message.status == OutboxMessage.Status.PENDING  # DNS may change back: retried


def test_local_receivers_are_allowed_in_the_tests_and_never_in_production():
    from django.conf import settings

    assert settings.WEBHOOKS_ALLOW_PRIVATE is True
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.WEBHOOKS_ALLOW_PRIVATE)"
    result = run_python(code, **PRODUCTION)
    assert result.stdout.strip() == "False", result.stderr
    assert run_python(code, DEBUG="1").stdout.strip() == "True"


def test_the_signature_is_the_hmac_of_timestamp_dot_body():
    body = webhooks.body_of({"id": "x", "type": "event.changed", "data": {"name": "남정화"}})
    assert body == '{"data":{"name":"남정화"},"id":"x","type":"event.changed"}'.encode()
    expected = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert webhooks.signature("s3cret", 1_700_000_000, body) == expected


def test_times_are_given_in_utc_with_a_z():
    seoul = dt.timezone(dt.timedelta(hours=9))
    assert webhooks.utc_iso(dt.datetime(2026, 12, 10, 10, tzinfo=seoul)) == "2026-12-10T01:00:00Z"
