"""Webhook endpoints: who manages them, what is checked, audited and emitted."""

import hashlib
import hmac

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from companies.webhooks import policies, services
from companies.webhooks.models import EventType, WebhookEndpoint
from incubator import webhooks
from incubator.models import AuditRecord, OutboxMessage

pytestmark = pytest.mark.django_db

URL = "https://hooks.angel-fund.example/incubator"
CONFIRMED = EventType.MEETING_CONFIRMED


def create(actor, organisation, **fields):
    fields = {"url": URL, "event_types": [CONFIRMED], "description": "CRM", **fields}
    return services.webhook_endpoint_create(actor=actor, organisation=organisation, **fields)


class ApiKey:
    """What the API passes as the actor: a key that names its organisation."""

    def __init__(self, organisation):
        self.organisation_id = organisation.pk

    def __str__(self):
        return "angel-fund key AbC123"


# --- Create, and the secret ---------------------------------------------------------------------


def test_the_secret_is_derived_from_secret_key_id_and_salt_and_shown_once(
    settings, manager, organisation
):
    endpoint, secret = create(manager, organisation, event_types=[CONFIRMED, CONFIRMED])

    endpoint.refresh_from_db()
    assert endpoint.event_types == [CONFIRMED]
    assert endpoint.is_active and endpoint.description == "CRM"
    expected = hmac.new(
        settings.SECRET_KEY.encode(),
        f"webhook:{endpoint.pk}:{endpoint.secret_salt}".encode(),
        hashlib.sha256,
    ).hexdigest()
    assert secret == f"whsec_{expected}"
    assert secret not in str(vars(endpoint))
    assert services.webhook_target(str(endpoint.pk)) == webhooks.WebhookTarget(URL, secret)


def test_rotating_draws_a_new_salt_so_the_old_secret_stops(manager, organisation):
    endpoint, first = create(manager, organisation)
    salt = endpoint.secret_salt

    second = services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=manager)

    endpoint.refresh_from_db()
    assert second != first and second.startswith("whsec_")
    assert endpoint.secret_salt != salt
    assert services.webhook_target(str(endpoint.pk)).secret == second


def test_each_write_is_audited_without_the_secret(manager, organisation):
    endpoint, first = create(manager, organisation)
    services.webhook_endpoint_update(
        endpoint=endpoint,
        actor=manager,
        url="https://crm.angel-fund.example/in?token=theirs",
        event_types=[EventType.EVENT_CANCELLED, CONFIRMED],
        is_active=False,
    )
    second = services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=manager)
    pk = endpoint.pk
    services.webhook_endpoint_delete(endpoint=endpoint, actor=manager)

    records = list(AuditRecord.objects.filter(object_id=str(pk)).order_by("pk"))
    assert [r.verb for r in records] == [
        "webhook.create",
        "webhook.update",
        "webhook.rotate_secret",
        "webhook.delete",
    ]
    assert {r.actor_id for r in records} == {manager.pk}
    assert records[0].changes == {
        "organisation": organisation.pk,
        "host": "hooks.angel-fund.example",
        "event_types": [CONFIRMED],
    }
    assert records[1].changes == {
        "organisation": organisation.pk,
        "host": ["hooks.angel-fund.example", "crm.angel-fund.example"],
        "event_types": [[CONFIRMED], [EventType.EVENT_CANCELLED, CONFIRMED]],
        "is_active": [True, False],
    }
    text = " ".join(
        f"{r.changes} {r.object_repr} {r.object_names} {r.actor_label}" for r in records
    )
    assert first not in text and second not in text
    assert "token=theirs" not in text
    assert not WebhookEndpoint.objects.filter(pk=pk).exists()


def test_an_update_that_changes_nothing_writes_nothing(manager, organisation):
    endpoint, _secret = create(manager, organisation)
    services.webhook_endpoint_update(endpoint=endpoint, actor=manager, url=URL, description="CRM")
    assert AuditRecord.objects.filter(verb="webhook.update").count() == 0


def test_event_types_must_be_known_and_at_least_one(manager, organisation):
    with pytest.raises(ValidationError) as refused:
        create(manager, organisation, event_types=["meeting.confirmed", "company.deleted"])
    assert "company.deleted" in str(refused.value.message_dict["event_types"])
    with pytest.raises(ValidationError, match="at least one"):
        create(manager, organisation, event_types=[])
    endpoint, _secret = create(manager, organisation)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.webhook_endpoint_update(
            endpoint=endpoint, actor=manager, organisation=organisation
        )
    assert WebhookEndpoint.objects.count() == 1


# --- SSRF at registration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.1/hook",
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "http://hooks.angel-fund.example/incubator",
    ],
)
def test_a_private_address_or_plain_http_is_refused_at_registration(
    settings, manager, organisation, url
):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as refused:
        create(manager, organisation, url=url)
    assert list(refused.value.message_dict) == ["url"]
    assert WebhookEndpoint.objects.count() == 0


def test_a_changed_url_is_checked_again(settings, manager, organisation, monkeypatch):
    endpoint, _secret = create(manager, organisation)
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    monkeypatch.setattr(webhooks, "resolve_host", lambda host, port: ["10.20.30.40"])
    with pytest.raises(ValidationError, match="public addresses only"):
        services.webhook_endpoint_update(
            endpoint=endpoint, actor=manager, url="https://intranet.angel-fund.example/"
        )
    endpoint.refresh_from_db()
    assert endpoint.url == URL
    # Other fields change without a lookup of the (unchanged) address.
    services.webhook_endpoint_update(endpoint=endpoint, actor=manager, description="New CRM")


# --- Who may -------------------------------------------------------------------------------------


def test_only_the_center_manager_among_staff_manages_endpoints(
    manager, officer, coordinator, viewer, organisation
):
    endpoint, _secret = create(manager, organisation)
    for someone in (officer, coordinator, viewer):
        assert not policies.can_manage_webhooks(someone, organisation)
        with pytest.raises(PermissionDenied):
            create(someone, organisation)
        with pytest.raises(PermissionDenied):
            services.webhook_endpoint_update(endpoint=endpoint, actor=someone, is_active=False)
        with pytest.raises(PermissionDenied):
            services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=someone)
        with pytest.raises(PermissionDenied):
            services.webhook_endpoint_delete(endpoint=endpoint, actor=someone)
    assert WebhookEndpoint.objects.count() == 1


def test_a_partner_principal_manages_its_own_organisations_endpoints_only(
    manager, organisation, other_organisation
):
    key = ApiKey(organisation)
    endpoint, secret = create(key, organisation)
    assert secret.startswith("whsec_")
    for principal in (key, organisation):  # the key, or the organisation itself
        services.webhook_endpoint_update(endpoint=endpoint, actor=principal, description="x")

    theirs, _secret = create(manager, other_organisation)
    with pytest.raises(PermissionDenied):
        create(key, other_organisation)
    with pytest.raises(PermissionDenied):
        services.webhook_endpoint_rotate_secret(endpoint=theirs, actor=key)
    with pytest.raises(PermissionDenied):
        services.webhook_endpoint_delete(endpoint=theirs, actor=organisation)

    organisation.is_active = False
    organisation.save()
    endpoint.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=key)
    record = AuditRecord.objects.get(verb="webhook.create", object_id=str(endpoint.pk))
    assert record.actor is None and record.actor_label == "angel-fund key AbC123"


def test_a_partner_persons_portal_account_is_not_a_principal(organisation):
    from tests.events.factories import PartnerPersonFactory

    person = PartnerPersonFactory(organisation=organisation)
    assert not policies.can_manage_webhooks(person.user, organisation)


def test_an_organisation_has_one_endpoint_per_url(manager, organisation, other_organisation):
    first, _ = create(manager, organisation)
    other, _ = create(manager, organisation, url=f"{URL}/other")
    create(manager, other_organisation)  # another organisation's, at the same address

    for attempt in (
        lambda: create(manager, organisation, event_types=[EventType.EVENT_CHANGED]),
        lambda: services.webhook_endpoint_update(endpoint=other, actor=manager, url=URL),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.code == "url_taken"
        assert f"(endpoint {first.pk})" in refused.value.messages[0]
    assert WebhookEndpoint.objects.filter(organisation=organisation).count() == 2


# --- Emitting ------------------------------------------------------------------------------------


def test_emitting_writes_one_row_per_subscribed_active_endpoint_once(
    manager, organisation, other_organisation
):
    wanted, _ = create(manager, organisation)
    # One endpoint per URL and organisation: the others at URLs of their own.
    create(manager, organisation, url=f"{URL}/e", event_types=[EventType.EVENT_CHANGED])
    inactive, _ = create(manager, organisation, url=f"{URL}/paused")
    services.webhook_endpoint_update(endpoint=inactive, actor=manager, is_active=False)
    theirs, _ = create(manager, other_organisation)

    emit = {
        "event_type": CONFIRMED,
        "organisation_ids": [organisation.pk, None],
        "data": {"meeting": {"id": 5}},
        "key": "meeting-5",
    }
    first = services.webhooks_emit(**emit)
    again = services.webhooks_emit(**emit)

    (message,) = first
    assert [m.pk for m in again] == [message.pk]
    assert OutboxMessage.objects.filter(channel="webhook").count() == 1
    assert message.recipient == f"webhook:{wanted.pk}"
    assert message.dedupe_key == f"webhook:meeting.confirmed:meeting-5:{wanted.pk}"
    assert message.kind == "meeting.confirmed"
    assert message.payload["data"] == {"meeting": {"id": 5}}
    assert services.webhooks_emit(**{**emit, "organisation_ids": []}) == []
    with pytest.raises(ValueError, match="Unknown webhook event type"):
        services.webhooks_emit(**{**emit, "event_type": "meeting.teleported"})


def test_an_inactive_or_deleted_endpoint_resolves_to_nothing(manager, organisation):
    endpoint, _ = create(manager, organisation)
    services.webhook_endpoint_update(endpoint=endpoint, actor=manager, is_active=False)
    assert services.webhook_target(str(endpoint.pk)) is None
    services.webhook_endpoint_delete(endpoint=endpoint, actor=manager)
    assert services.webhook_target(str(endpoint.pk)) is None
    assert services.webhook_target("not-a-number") is None
