import pytest
from django.db import transaction

from incubator import services
from incubator.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


def enqueue(key="verify-email:1"):
    return services.outbox_enqueue(
        recipient="founder@example.kr",
        kind="verify_email",
        dedupe_key=key,
        payload={"name": "남정화", "url": "https://portal.example/verify/x/"},
        language="ko",
    )


def test_a_message_of_a_rolled_back_transaction_is_never_sent(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue()
        raise RuntimeError("the service failed after writing its message")

    assert OutboxMessage.objects.count() == 0
    assert services.outbox_sweep() == 0
    assert mailoutbox == []


def test_a_committed_message_is_sent_once_even_when_delivered_twice(mailoutbox):
    with transaction.atomic():
        message = enqueue()
    # The on-commit task (eager in tests) delivered it; a redelivered task and
    # the sweep must not send it again.
    assert services.outbox_deliver(message_id=message.pk) is False
    assert services.outbox_sweep() == 0

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["founder@example.kr"]
    assert "이메일" in mailoutbox[0].subject or mailoutbox[0].subject
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1


def test_the_same_dedupe_key_is_one_message(mailoutbox):
    enqueue("reminder:event:7:user:3")
    enqueue("reminder:event:7:user:3")
    assert OutboxMessage.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_failed_delivery_is_retried_later_then_given_up(settings, mailoutbox, monkeypatch):
    settings.OUTBOX_MAX_ATTEMPTS = 2

    def smtp_down(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", smtp_down)
    message = enqueue()  # the on-commit delivery fails once
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "SMTP server down" in message.last_error
    assert services.outbox_sweep() == 0, "not due yet: it backs off"

    OutboxMessage.objects.filter(pk=message.pk).update(available_at=message.created_at)
    services.outbox_sweep()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert mailoutbox == []


def test_a_message_waits_in_the_outbox_when_the_broker_is_down(mailoutbox):
    from incubator.celery import app

    # A real enqueue towards a port where no broker listens.
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    app._pool = None
    try:
        with transaction.atomic():
            message = enqueue()  # the submission itself succeeds
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        app._pool = None

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert services.outbox_sweep() == 1
    assert len(mailoutbox) == 1
