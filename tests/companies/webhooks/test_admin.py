"""The admin of webhook endpoints: the manager creates, changes, rotates and deletes through
the services and is shown each new secret once; other staff read; and no secret is left in
any text column of the database."""

import json
import re
import secrets

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.urls import reverse

from companies.webhooks import services
from companies.webhooks.models import EventType, WebhookEndpoint
from incubator.models import AuditRecord, OutboxMessage

pytestmark = pytest.mark.django_db

SECRET = re.compile(r"whsec_[0-9a-f]{64}")
URL = "https://hooks.angel-fund.example/incubator"


def every_text_column() -> str:
    """Return every text and JSON value of every table Django knows, sessions decoded."""
    values = []
    for model in apps.get_models(include_auto_created=True):
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if not names:
            continue
        for row in model._base_manager.values_list(*names):
            values += [value if isinstance(value, str) else json.dumps(value) for value in row]
    values += [json.dumps(session.get_decoded()) for session in Session.objects.all()]
    return "\n".join(values)


def add(client, organisation, **fields):
    data = {
        "organisation": organisation.pk,
        "url": URL,
        "event_types": [EventType.MEETING_CONFIRMED, EventType.EVENT_CANCELLED],
        "description": "Angel Fund CRM",
        "once": secrets.token_urlsafe(8),  # the form's own, as each page shows a new one
        **fields,
    }
    return client.post(reverse("admin:companies_webhookendpoint_add"), data)


def secret_in(response) -> str:
    (secret,) = set(SECRET.findall(response.content.decode()))
    return secret


def test_no_secret_is_left_in_the_database_after_creating_and_rotating(
    client, manager, organisation
):
    client.force_login(manager)
    made = add(client, organisation)
    assert made.status_code == 200
    first = secret_in(made)
    assert "no-store" in made["Cache-Control"]
    # The partner can open the guide it names (not a file of the center's repository).
    assert "http://testserver/api/v1/guide/webhooks/" in made.content.decode()
    endpoint = WebhookEndpoint.objects.get()

    change = reverse("admin:companies_webhookendpoint_change", args=[endpoint.pk])
    assert SECRET.search(client.get(change).content.decode()) is None, "shown once only"
    rotate = reverse("admin:companies_webhookendpoint_rotate", args=[endpoint.pk])
    assert SECRET.search(client.get(rotate).content.decode()) is None
    rotated = client.post(rotate)
    second = secret_in(rotated)
    assert second != first
    assert SECRET.search(client.get(change).content.decode()) is None
    _endpoint, third = services.webhook_endpoint_create(
        actor=manager,
        organisation=organisation,
        url=f"{URL}/changes",  # one endpoint per URL and organisation
        event_types=[EventType.EVENT_CHANGED],
    )
    services.webhooks_emit(
        event_type=EventType.EVENT_CHANGED,
        organisation_ids=[organisation.pk],
        data={"event": {"id": 1}, "changed": ["title"]},
        key="1",
    )

    stored = every_text_column()
    # The search reaches the endpoints, the outbox and the audit trail.
    endpoint.refresh_from_db()
    assert endpoint.secret_salt in stored
    assert "webhook.rotate_secret" in stored and "webhook:event.changed:1:" in stored
    for secret in (first, second, third):
        assert secret not in stored
        assert secret.removeprefix("whsec_") not in stored


def test_the_manager_creates_an_endpoint_on_its_add_page_through_the_service(
    client, manager, organisation
):
    client.force_login(manager)
    page = client.get(
        reverse("admin:companies_webhookendpoint_add") + f"?organisation={organisation.pk}"
    )
    assert page.status_code == 200
    assert "meeting.confirmed" in page.content.decode()

    made = add(client, organisation)

    assert "Copy it now" in made.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.organisation, endpoint.url) == (organisation, URL)
    assert endpoint.event_types == ["event.cancelled", "meeting.confirmed"]
    record = AuditRecord.objects.get(verb="webhook.create")
    assert record.actor == manager
    assert services.endpoint_secret(endpoint) == secret_in(made)


def test_a_private_address_is_refused_on_the_form(settings, client, manager, organisation):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    client.force_login(manager)
    for url in ("https://169.254.169.254/latest/", "http://hooks.angel-fund.example/"):
        refused = add(client, organisation, url=url)
        assert refused.status_code == 200
        assert SECRET.search(refused.content.decode()) is None
        assert refused.context["form"].errors["url"]
    assert not WebhookEndpoint.objects.exists()


def test_the_change_and_delete_pages_go_through_the_services(client, manager, organisation):
    endpoint, _secret = services.webhook_endpoint_create(
        actor=manager, organisation=organisation, url=URL, event_types=["meeting.confirmed"]
    )
    client.force_login(manager)
    change = reverse("admin:companies_webhookendpoint_change", args=[endpoint.pk])

    saved = client.post(
        change,
        {
            "url": URL,
            "event_types": ["meeting.confirmed", "meeting.moved"],
            "is_active": "",
            "description": "paused",
        },
    )

    assert saved.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.event_types == ["meeting.confirmed", "meeting.moved"]
    assert endpoint.is_active is False
    update = AuditRecord.objects.get(verb="webhook.update")
    assert set(update.changes) == {"organisation", "event_types", "is_active", "description"}

    delete = reverse("admin:companies_webhookendpoint_delete", args=[endpoint.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not WebhookEndpoint.objects.exists()
    assert AuditRecord.objects.filter(verb="webhook.delete").count() == 1


def test_the_endpoint_page_lists_recent_deliveries_without_their_payloads(
    client, viewer, manager, organisation
):
    endpoint, _secret = services.webhook_endpoint_create(
        actor=manager, organisation=organisation, url=URL, event_types=["event.cancelled"]
    )
    (message,) = services.webhooks_emit(
        event_type="event.cancelled",
        organisation_ids=[organisation.pk],
        data={"event": {"id": 7}, "reason": "Typhoon warning over Harbin"},
        key="77",
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=2, last_error="The endpoint answered HTTP 503."
    )
    client.force_login(viewer)

    page = client.get(reverse("admin:companies_webhookendpoint_change", args=[endpoint.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "event.cancelled" in text and "The endpoint answered HTTP 503." in text
    assert "Typhoon" not in text and message.payload["id"] not in text
    assert "Rotate the secret" not in text, "read-only for other staff"


@pytest.mark.parametrize("role", ["officer", "coordinator", "viewer"])
def test_other_staff_read_endpoints_and_change_nothing(
    client, request, role, manager, organisation
):
    endpoint, _secret = services.webhook_endpoint_create(
        actor=manager, organisation=organisation, url=URL, event_types=["event.changed"]
    )
    client.force_login(request.getfixturevalue(role))
    change = reverse("admin:companies_webhookendpoint_change", args=[endpoint.pk])
    rotate = reverse("admin:companies_webhookendpoint_rotate", args=[endpoint.pk])

    assert client.get(reverse("admin:companies_webhookendpoint_changelist")).status_code == 200
    assert client.get(change).status_code == 200
    assert add(client, organisation).status_code == 403
    assert client.get(rotate).status_code == 403
    assert client.post(rotate).status_code == 403
    assert client.post(change, {"url": URL, "event_types": ["event.changed"]}).status_code == 403
    assert not AuditRecord.objects.filter(verb__in=["webhook.rotate_secret", "webhook.update"])
    assert WebhookEndpoint.objects.get().secret_salt == endpoint.secret_salt


def test_the_organisation_page_links_to_its_endpoints(client, manager, organisation):
    services.webhook_endpoint_create(
        actor=manager, organisation=organisation, url=URL, event_types=["event.changed"]
    )
    client.force_login(manager)
    page = client.get(reverse("admin:companies_partnerorganisation_change", args=[organisation.pk]))
    assert f"?organisation__id__exact={organisation.pk}" in page.content.decode()
    assert "1 webhook endpoint" in page.content.decode()


def test_a_deliverys_last_error_is_shown_in_the_readers_language(client, manager, organisation):
    # "The endpoint answered HTTP 500." stayed English on the Korean page.
    from django.utils import translation

    from incubator import webhooks

    endpoint, _secret = services.webhook_endpoint_create(
        actor=manager, organisation=organisation, url=URL, event_types=["event.cancelled"]
    )
    (message,) = services.webhooks_emit(
        event_type="event.cancelled", organisation_ids=[organisation.pk], data={}, key="78"
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=1, last_error="The endpoint answered HTTP 500."
    )
    manager.language = "ko"
    manager.save(update_fields=["language"])
    client.force_login(manager)

    text = client.get(
        reverse("admin:companies_webhookendpoint_change", args=[endpoint.pk])
    ).content.decode()

    with translation.override("ko"):
        korean = translation.gettext("The endpoint answered HTTP %(status)s.") % {"status": 500}
    assert korean != "The endpoint answered HTTP 500." and korean in text
    # What the network said is shown as it was written.
    assert webhooks.error_in_language("ConnectionRefusedError: [Errno 111]") == (
        "ConnectionRefusedError: [Errno 111]"
    )
