"""Deliveries to a partner's system on 127.0.0.1, signed with the secret shown at creation."""

import json

import pytest
from django.utils import timezone

from companies.webhooks import services
from companies.webhooks.models import EventType, WebhookEndpoint
from incubator import services as core
from incubator.models import OutboxMessage
from tests.incubator.webhook_receiver import documented_verifier

pytestmark = pytest.mark.django_db


def emit(endpoint, key="meeting-41"):
    return services.webhooks_emit(
        event_type=EventType.MEETING_CONFIRMED,
        organisation_ids=[endpoint.organisation_id],
        data={"meeting": {"id": 41, "table": 2}},
        key=key,
    )


def test_the_secret_shown_at_creation_verifies_the_delivery_with_the_documented_snippet(
    manager, organisation, receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = services.webhook_endpoint_create(
        actor=manager,
        organisation=organisation,
        url=receiver.url,
        event_types=[EventType.MEETING_CONFIRMED],
    )
    with django_capture_on_commit_callbacks(execute=True):
        (message,) = emit(endpoint)

    (got,) = receiver.received
    verify = documented_verifier()
    signature = got.headers["X-Webhook-Signature"]
    assert verify(secret, got.body, signature) is True
    tampered = json.dumps({**json.loads(got.body), "type": "event.cancelled"}).encode()
    assert verify(secret, tampered, signature) is False
    assert got.headers["X-Webhook-Id"] == json.loads(got.body)["id"] == message.payload["id"]

    # After a rotation, the old secret no longer verifies what is sent.
    new_secret = services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=manager)
    with django_capture_on_commit_callbacks(execute=True):
        emit(endpoint, key="meeting-42")
    latest = receiver.received[-1]
    assert verify(new_secret, latest.body, latest.headers["X-Webhook-Signature"]) is True
    assert verify(secret, latest.body, latest.headers["X-Webhook-Signature"]) is False

    endpoint.refresh_from_db()
    assert endpoint.last_delivery_status == WebhookEndpoint.DeliveryStatus.SUCCEEDED
    assert endpoint.last_delivery_at is not None


def test_a_receiver_that_is_down_is_retried_then_the_delivery_fails(
    settings, manager, organisation, closed_port, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    endpoint, secret = services.webhook_endpoint_create(
        actor=manager,
        organisation=organisation,
        url=f"http://127.0.0.1:{closed_port}/hooks",
        event_types=[EventType.MEETING_CONFIRMED],
    )
    with django_capture_on_commit_callbacks(execute=True):
        (message,) = emit(endpoint)
    for _retry in range(2):
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.PENDING
        assert message.available_at > timezone.now()
        OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
        core.outbox_sweep()

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, 3)
    assert "Connection refused" in message.last_error
    assert secret not in message.last_error
    endpoint.refresh_from_db()
    assert endpoint.last_delivery_status == WebhookEndpoint.DeliveryStatus.FAILED


def test_a_delivery_waiting_for_a_deleted_endpoint_is_given_up(manager, organisation, receiver):
    endpoint, _secret = services.webhook_endpoint_create(
        actor=manager,
        organisation=organisation,
        url=receiver.url,
        event_types=[EventType.MEETING_CONFIRMED],
    )
    (message,) = emit(endpoint)  # not committed: no attempt yet
    services.webhook_endpoint_delete(endpoint=endpoint, actor=manager)

    assert core.outbox_deliver(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert receiver.received == []
