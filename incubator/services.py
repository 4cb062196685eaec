"""Core writes: the outbox, task dispatch after commit, sign-in locks, periodic tasks (the
accounts' writes are in `account_services`)."""

import hashlib
import json
import logging
from datetime import timedelta
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from incubator import attachments, links, reminders, roles, webhooks
from incubator.audit import audit_record
from incubator.models import OutboxMessage
from incubator.rows import staff_row_delete, staff_row_save

logger = logging.getLogger(__name__)


def task_enqueue_on_commit(name: str, *args, **options) -> None:
    """Send the Celery task `name` once the current transaction commits.

    A broker that is down must not fail the user's request: the data is
    committed, and the periodic sweep picks up whatever the task was for.
    """
    transaction.on_commit(lambda: task_send(name, *args, **options))


def task_send(name: str, *args, task_kwargs: dict | None = None, **options) -> None:
    from incubator.celery import app

    try:
        if app.conf.task_always_eager:
            # send_task ignores eager mode; run the task here as apply_async would. The
            # task modules are imported once: each import_default_modules() also runs
            # Django's system checks (celery's Django fix-up), a second of CPU.
            if name not in app.tasks:
                app.loader.import_default_modules()
            app.tasks[name].apply(args=args, kwargs=task_kwargs, throw=True)
        else:
            app.send_task(name, args=args, kwargs=task_kwargs, retry=False, **options)
    except Exception as error:  # noqa: BLE001 - any broker failure is survivable here
        logger.warning("Could not enqueue %s%r (%s); the sweep will retry.", name, args, error)


def outbox_enqueue(
    *,
    recipient: str,
    kind: str,
    dedupe_key: str,
    payload: dict,
    language: str = "ko",
    channel: str = OutboxMessage.Channel.EMAIL,
) -> OutboxMessage:
    """Write a message in the caller's transaction; it is delivered after commit.

    `dedupe_key` names the occurrence ("application-submitted:42"): the same
    key twice is one message.
    """
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(
            dedupe_key=dedupe_key,
            defaults={
                "channel": channel,
                "recipient": recipient,
                "kind": kind,
                "payload": payload,
                "language": language,
            },
        )
    if created:
        task_enqueue_on_commit("incubator.tasks.outbox_deliver_task", message.pk)
    return message


def webhook_enqueue(
    *, endpoint_id: int, event_type: str, dedupe_key: str, data: dict
) -> OutboxMessage:
    """Write one webhook delivery to an endpoint in the caller's transaction.

    The row names the endpoint only; its address and secret are looked up at each
    attempt (incubator.webhooks). `data` holds ids and public fields, never a secret.
    """
    return outbox_enqueue(
        channel=OutboxMessage.Channel.WEBHOOK,
        recipient=webhooks.recipient_for(endpoint_id),
        kind=event_type,
        dedupe_key=dedupe_key,
        payload=webhooks.new_payload(event_type=event_type, data=data),
        language="en",
    )


class MessageRenderError(Exception):
    """A message with a secret link failed to render; the text names no secret."""


def outbox_message_id(message: OutboxMessage) -> str:
    """Return the Message-ID header of an outbox row's e-mail: the same at every attempt.

    A worker killed after the mail server took the message but before the row was marked
    sent sends it again; with the same Message-ID the duplicate is recognisable (mail
    clients and archives drop it). The dedupe key's hash, besides the row's id, keeps two
    databases (a restored backup, a staging copy) from giving one id to two messages; a
    hash, because the key names people and objects that a header need not show.
    """
    digest = hashlib.sha256(message.dedupe_key.encode()).hexdigest()[:16]
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<outbox-{message.pk}-{digest}@{domain}>"


def render_message(message: OutboxMessage) -> EmailMultiAlternatives:
    """Build the e-mail of an outbox row, in the recipient's language.

    A payload's "path" becomes the context's "url", "sign_in_path" its
    "sign_in_url", an item's "path" in a list its "url"; a kind with a registered
    link builder gets its "url" (and token) made here, so that the row itself never
    holds it; a kind with a registered attachments builder gets its files
    (incubator.attachments); an optional reminder gets the link of the preferences.
    """
    # Messages are sent by workers, which have no request: links come from SITE_URL.
    site = settings.SITE_URL.rstrip("/")
    context = {**message.payload, "recipient": message.recipient}
    for key, value in message.payload.items():
        if (key == "path" or key.endswith("_path")) and isinstance(value, str):
            context[key.removesuffix("path") + "url"] = site + value
        elif isinstance(value, list):
            # The items of a list (a digest's lines) link by their own "path".
            context[key] = [
                {**item, "url": site + item["path"]}
                if isinstance(item, dict) and isinstance(item.get("path"), str)
                else item
                for item in value
            ]
    secret_path = links.link_path(message.kind, message.payload)
    if secret_path is not None:
        context["url"] = site + secret_path
    headers = {"Message-ID": outbox_message_id(message)}
    # An optional reminder says why it came and where to turn it off (base.html, and the
    # footer appended to the text); the page asks the reader to sign in: no token here.
    optional = reminders.preferences_kind(message.kind, message.dedupe_key)
    if optional is not None:
        context["preferences_url"] = site + reverse("portal:preferences")
        headers["List-Unsubscribe"] = f"<{context['preferences_url']}>"
    try:
        with translation.override(message.language):
            # Files named by the payload (a report) are made now, never stored in the row.
            extras = attachments.rendered_extras(message.kind, message.payload)
            context.update(extras.context)
            if optional is not None:
                context["reminder_label"] = str(optional.label)
            subject = render_to_string(f"emails/{message.kind}.subject.txt", context, using="text")
            text = render_to_string(f"emails/{message.kind}.txt", context, using="text")
            if optional is not None:
                footer = render_to_string("emails/reminder_footer.txt", context, using="text")
                text = f"{text.rstrip()}\n\n-- \n{footer.strip()}\n"
            html = render_to_string(f"emails/{message.kind}.html", context)
            sender = _sender()
    except Exception as error:
        if secret_path is None:
            raise
        # A template error may quote its context, the link with it, and the
        # error ends up in last_error (shown in the admin) and the log.
        raise MessageRenderError(f"{type(error).__name__} while rendering the e-mail") from None
    email = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=sender,
        to=[message.recipient],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    for attachment in extras.attachments:
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    return email


def _sender() -> str:
    """DEFAULT_FROM_EMAIL's address under the center's name in the active language: a
    Korean founder's inbox lists 한중 혁신창업센터, a Chinese partner's 中韩创新创业中心."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((gettext("China–Korea Innovation & Startup Center"), address))


def _send(message: OutboxMessage) -> None:
    if message.channel == OutboxMessage.Channel.WEBHOOK:
        webhooks.deliver(message)
    else:
        render_message(message).send()


def _error_text(error: Exception) -> str:
    if isinstance(error, webhooks.WebhookFailed):
        return str(error)  # short already, and it names no secret
    return f"{type(error).__name__}: {error}"[:2000]


def outbox_deliver(*, message_id: int) -> bool:
    """Send one pending message, an e-mail or a webhook; return True when this call sent it.

    The row lock (skip_locked) and the status check make a second delivery of
    the same message, by a redelivered task or a second worker, do nothing.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            _send(message)
        except Exception as error:  # noqa: BLE001 - SMTP, HTTP and template errors alike are retried
            message.last_error = _error_text(error)
            if (
                isinstance(error, webhooks.WebhookGone)
                or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
            ):
                message.status = OutboxMessage.Status.FAILED
            else:
                # Back off: 1, 2, 4, 8... minutes.
                message.available_at = timezone.now() + timedelta(
                    minutes=2 ** (message.attempts - 1)
                )
            message.save(update_fields=["attempts", "last_error", "status", "available_at"])
            logger.warning("Outbox message %s failed (%s)", message.pk, message.last_error)
            return False
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def outbox_give_up(*, kind: str, about: str, ids, reason: str) -> int:
    """Mark failed the pending messages `kind` whose payload's `about` is one of `ids` (their
    object is gone: a link they carry would open nothing); return how many."""
    ids = list(ids)
    if not ids:
        return 0
    return OutboxMessage.objects.filter(
        kind=kind, status=OutboxMessage.Status.PENDING, **{f"payload__{about}__in": ids}
    ).update(status=OutboxMessage.Status.FAILED, last_error=reason)


def outbox_send_again(*, ids, actor) -> int:
    """Put the failed messages among `ids` back in the queue with a fresh count of attempts,
    and deliver them after commit; return how many (the others are left alone).

    The last error stays until the next attempt replaces it: the page still says why it
    failed the first time.
    """
    with transaction.atomic():
        failed = list(
            OutboxMessage.objects.select_for_update()
            .filter(pk__in=list(ids), status=OutboxMessage.Status.FAILED)
            .order_by("pk")
        )
        if not all(roles.can_save_row(actor, message, created=False) for message in failed):
            raise PermissionDenied
        for message in failed:
            audit_record(
                actor=actor,
                verb="outbox_message.send_again",
                obj=message,
                changes={
                    "status": [message.status, OutboxMessage.Status.PENDING],
                    "attempts": [message.attempts, 0],
                },
            )
            message.status = OutboxMessage.Status.PENDING
            message.attempts = 0
            message.available_at = timezone.now()
            message.save(update_fields=["status", "attempts", "available_at"])
            task_enqueue_on_commit("incubator.tasks.outbox_deliver_task", message.pk)
    return len(failed)


def outbox_sweep(*, limit: int = 500) -> int:
    """Deliver the pending messages that are due; return how many were sent."""
    due = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, available_at__lte=timezone.now()
    ).order_by("available_at")
    ids = list(due.values_list("pk", flat=True)[:limit])
    return sum(outbox_deliver(message_id=pk) for pk in ids)


def sign_in_lockout_lift(*, attempt, actor) -> None:
    """Delete a sign-in attempt (django-axes' count of failures): the account or address it
    counted against may try again at once. The failures stay in the failure log.

    The record names whose count it was and how high it stood, not what was typed.
    """
    held = {
        "username": attempt.username,
        "ip_address": attempt.ip_address,
        "failures": attempt.failures_since_start,
    }
    staff_row_delete(attempt, actor=actor, verb="sign_in_lockout", held=held)


def sign_in_attempts_clean_expired(*, actor) -> int:
    """Delete the attempts older than the cool-off time, which lock nobody any more."""
    if not roles.staff_with(actor, "axes.delete_accessattempt"):
        raise PermissionDenied
    with transaction.atomic():
        expired = AccessAttempt.objects.filter(
            attempt_time__lte=timezone.now() - settings.AXES_COOLOFF_TIME
        )
        count, _ = expired.delete()
        if count:
            audit_record(
                actor=actor, verb="sign_in_lockout.clean_expired", changes={"count": count}
            )
    return count


def periodic_tasks_enable(*, tasks, actor, enabled: bool | None) -> int:
    """Switch periodic tasks on or off (`enabled` None: each the other way); return how many.

    Each changed task gets the record of `staff_row_save`; celery beat reads the change
    (django-celery-beat's signals on save). A task switched off forgets its last run, as the
    library's own action does, so that switching it on again does not run it at once.
    """
    with transaction.atomic():
        for task in tasks:
            task.enabled = (not task.enabled) if enabled is None else enabled
            if not task.enabled:
                task.last_run_at = None
            staff_row_save(task, actor=actor, verb="periodic_task")
    return len(tasks)


def periodic_tasks_run(*, tasks, actor) -> int:
    """Send periodic tasks to the workers now, outside their schedule; return how many.

    The record says who ran which; the tasks' own services record what they change.
    """
    if not all(roles.can_save_row(actor, task, created=False) for task in tasks):
        raise PermissionDenied
    with transaction.atomic():
        for task in tasks:
            audit_record(
                actor=actor, verb="periodic_task.run", obj=task, changes={"task": task.task}
            )
            options = {"queue": task.queue} if task.queue else {}
            task_enqueue_on_commit(
                task.task,
                *json.loads(task.args or "[]"),
                task_kwargs=json.loads(task.kwargs or "{}"),
                **options,
            )
    return len(tasks)


def outbox_message_delete(*, message: OutboxMessage, actor) -> None:
    """Delete a message from the outbox (a wrong one, before it goes): the center manager's.

    The audit record says which message it was, not what it held (a payload may carry a
    link that signs someone in until it is sent).
    """
    held = {"kind": message.kind, "recipient": message.recipient, "status": message.status}
    staff_row_delete(message, actor=actor, verb="outbox_message", held=held)
