"""A failed message goes again by the manager's hand; a failed password reset can be asked again."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied

from incubator import account_services, roles, services
from incubator.models import AuditRecord, OutboxMessage
from tests.companies.factories import UserFactory, staff_in

pytestmark = pytest.mark.django_db(transaction=True)

CHANGELIST = "/admin/incubator/outboxmessage/"


def _smtp_down(self, fail_silently=False):
    raise ConnectionRefusedError("SMTP server down")


def _failed_message(settings, monkeypatch, key="verify-email:send-again"):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    user = UserFactory(email="founder@example.kr")
    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", _smtp_down)
        message = services.outbox_enqueue(
            recipient=user.email,
            kind="verify_email",
            dedupe_key=key,
            payload={"name": "남정화", "user_id": user.pk},
            language="ko",
        )
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    return message


def _texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_delivering_a_failed_message_says_why_nothing_was_sent(settings, monkeypatch, client):
    message = _failed_message(settings, monkeypatch)
    client.force_login(staff_in(roles.CENTER_MANAGER, language="en"))
    response = client.post(
        CHANGELIST, {"action": "deliver_now", "_selected_action": [message.pk]}, follow=True
    )
    assert any("None of the selected messages is pending" in text for text in _texts(response))
    assert not any("0 messages sent" in text for text in _texts(response))


def test_the_manager_sends_a_failed_message_again(settings, monkeypatch, client, mailoutbox):
    message = _failed_message(settings, monkeypatch)
    sent = OutboxMessage.objects.create(
        recipient="other@example.kr", kind="verify_email", dedupe_key="x", status="sent"
    )
    manager = staff_in(roles.CENTER_MANAGER, language="en")
    client.force_login(manager)
    response = client.post(
        CHANGELIST,
        {"action": "send_again", "_selected_action": [message.pk, sent.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert any("1 failed message is queued again" in text for text in _texts(response))
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert [m.to for m in mailoutbox] == [["founder@example.kr"]]
    record = AuditRecord.objects.get(verb="outbox_message.send_again")
    assert record.actor == manager
    assert record.object_id == str(message.pk)
    assert record.changes["status"] == ["failed", "pending"]
    # The sent one is left alone, and has no record.
    assert AuditRecord.objects.filter(verb="outbox_message.send_again").count() == 1


def test_only_the_manager_may_send_a_message_again(settings, monkeypatch, client):
    message = _failed_message(settings, monkeypatch)
    client.force_login(staff_in(roles.PROGRAM_OFFICER, language="en"))
    response = client.post(CHANGELIST, {"action": "send_again", "_selected_action": [message.pk]})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.outbox_send_again(ids=[message.pk], actor=staff_in(roles.VIEWER))
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED


def test_a_password_reset_that_failed_can_be_asked_again_at_once(settings, monkeypatch, mailoutbox):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    user = UserFactory(email="founder@example.kr")
    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", _smtp_down)
        first = account_services.account_password_reset_send(user=user)
    first.refresh_from_db()
    assert first.status == OutboxMessage.Status.FAILED

    again = account_services.account_password_reset_send(user=user)
    assert again.pk != first.pk
    again.refresh_from_db()
    assert again.status == OutboxMessage.Status.SENT
    assert len(mailoutbox) == 1
    # A double click after it is still one message.
    assert account_services.account_password_reset_send(user=user).pk == again.pk
    assert len(mailoutbox) == 1
