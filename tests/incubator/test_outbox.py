import datetime as dt
import hashlib
import logging
from email.header import decode_header, make_header
from email.utils import parseaddr

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from incubator import services
from incubator.links import email_verification_token
from incubator.models import OutboxMessage, User
from tests.reliability.harness import forget_connections

pytestmark = pytest.mark.django_db(transaction=True)


def enqueue(key="verify-email:1"):
    user, _ = User.objects.get_or_create(email="founder@example.kr")
    return services.outbox_enqueue(
        recipient="founder@example.kr",
        kind="verify_email",
        dedupe_key=key,
        payload={"name": "남정화", "user_id": user.pk},
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
    # Queued in Korean: the subject is the Korean catalogue's, not the English source.
    with translation.override("ko"):
        korean = gettext("Confirm your e-mail address")
    assert "이메일" in korean
    assert mailoutbox[0].subject == korean
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
    forget_connections(app)
    try:
        with transaction.atomic():
            message = enqueue()  # the submission itself succeeds
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        forget_connections(app)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert services.outbox_sweep() == 1
    assert len(mailoutbox) == 1


def test_a_link_with_a_token_is_made_when_the_message_is_rendered(
    settings, mailoutbox, monkeypatch
):
    settings.SITE_URL = "https://portal.example/"
    # One clock for the token of the e-mail and the one this test computes.
    monkeypatch.setattr(email_verification_token, "_now", lambda: dt.datetime(2026, 3, 2, 9))
    message = enqueue()
    user = User.objects.get(email="founder@example.kr")
    assert set(message.payload) == {"name", "user_id"}

    token = email_verification_token.make_token(user)
    assert "https://portal.example/portal/verify/" in services.render_message(message).body
    assert f"/{token}/" in services.render_message(message).body
    assert token not in message.dedupe_key + str(message.payload) + message.last_error


class Remember(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def test_a_failed_render_keeps_the_link_out_of_the_error_and_the_log(
    settings, mailoutbox, monkeypatch
):
    settings.SITE_URL = "https://portal.example"

    def template_error(name, context=None, *args, **kwargs):
        # Some template errors quote their context; this one quotes all of it.
        raise ValueError(f"cannot render {name} with {context!r}")

    monkeypatch.setattr("incubator.services.render_to_string", template_error)
    # On the module's logger: Celery's eager run replaces the root logger's
    # handlers, pytest's capture among them.
    log = Remember()
    logging.getLogger("incubator.services").addHandler(log)
    try:
        message = enqueue()
    finally:
        logging.getLogger("incubator.services").removeHandler(log)
    message.refresh_from_db()
    assert message.attempts == 1 and message.status == OutboxMessage.Status.PENDING
    assert message.last_error == "MessageRenderError: ValueError while rendering the e-mail"
    logged = " ".join(log.lines)
    assert f"Outbox message {message.pk} failed" in logged
    assert "/portal/verify/" not in message.last_error + logged
    assert "https://portal.example" not in message.last_error + logged


def test_a_failed_render_of_a_message_without_a_secret_keeps_its_error(mailoutbox, monkeypatch):
    def template_error(name, context=None, *args, **kwargs):
        raise ValueError(f"cannot render {name}")

    monkeypatch.setattr("incubator.services.render_to_string", template_error)
    message = services.outbox_enqueue(
        recipient="founder@example.kr",
        kind="event_registered",
        dedupe_key="event-registered:1",
        payload={"name": "남정화", "path": "/portal/events/1/"},
    )
    message.refresh_from_db()
    assert message.last_error == "ValueError: cannot render emails/event_registered.subject.txt"


def test_the_plain_text_part_and_the_subject_are_text_and_the_html_part_is_escaped():
    user = User.objects.create(email="lee@example.kr")
    message = services.outbox_enqueue(
        recipient=user.email,
        kind="verify_email",
        dedupe_key="verify-email:escape",
        payload={"name": "Lee & O'Brien <CTO>", "user_id": user.pk},
        language="en",
    )
    email = services.render_message(message)
    assert "Lee & O'Brien <CTO>" in email.body
    html = email.alternatives[0][0]
    assert "Lee &amp; O&#x27;Brien &lt;CTO&gt;" in html and "<CTO>" not in html


@pytest.mark.parametrize(
    ("language", "name"), [("ko", "한중 혁신창업센터"), ("zh-hans", "中韩创新创业中心")]
)
def test_the_sender_is_the_center_in_the_recipients_language(settings, language, name):
    settings.DEFAULT_FROM_EMAIL = "Center <mail@center.example>"
    message = services.outbox_enqueue(
        recipient="founder@example.kr",
        kind="event_registered",
        dedupe_key=f"event-registered:sender:{language}",
        payload={"name": "남정화", "path": "/portal/events/1/"},
        language=language,
    )
    sent = services.render_message(message).message()
    shown, address = parseaddr(str(make_header(decode_header(sent["From"]))))
    assert (shown, address) == (name, "mail@center.example")


def test_a_retry_sends_the_same_message_id_derived_from_the_row(settings, mailoutbox, monkeypatch):
    settings.SITE_URL = "https://portal.example"
    sent = EmailMultiAlternatives.send
    tried = []

    def taken_then_connection_lost(self, fail_silently=False):
        # The server took the message, then the connection broke before its answer:
        # the row stays pending and the next attempt sends the message again.
        tried.append(self.message()["Message-ID"])
        if len(tried) == 1:
            raise ConnectionResetError("connection lost before the server's answer")
        return sent(self, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", taken_then_connection_lost)
    message = enqueue()
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=message.created_at)
    assert services.outbox_sweep() == 1

    digest = hashlib.sha256(b"verify-email:1").hexdigest()[:16]
    expected = f"<outbox-{message.pk}-{digest}@portal.example>"
    assert tried == [expected, expected]
    assert [m.message()["Message-ID"] for m in mailoutbox] == [expected]
    other = enqueue("verify-email:2")
    assert services.outbox_message_id(other) != expected
