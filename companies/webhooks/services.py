"""Every write of webhook endpoints, and the emission of webhooks by the other apps.

An endpoint's secret is HMAC(SECRET_KEY, "webhook:<id>:<salt>"): the row holds the salt
only, so nobody who reads the database (or a backup) can sign as the center. It is
returned by the create and rotate services, shown once, and made again at each delivery.
Changing SECRET_KEY therefore changes every endpoint's secret (docs/webhooks.md).
"""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from companies.models import PartnerOrganisation
from companies.webhooks import policies, selectors
from companies.webhooks.models import EventType, WebhookEndpoint, new_salt
from incubator import webhooks
from incubator.audit import audit_record
from incubator.services import webhook_enqueue

SECRET_PREFIX = "whsec_"
EDITABLE = ("url", "event_types", "is_active", "description")


def endpoint_secret(endpoint: WebhookEndpoint) -> str:
    """Return the signing secret of `endpoint`, derived afresh (it is stored nowhere)."""
    message = f"webhook:{endpoint.pk}:{endpoint.secret_salt}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return SECRET_PREFIX + digest


def _event_types(values) -> list[str]:
    chosen = sorted(set(values or ()))
    unknown = [value for value in chosen if value not in EventType.values]
    if unknown:
        raise ValidationError(
            {"event_types": _("Unknown event type: %(types)s.") % {"types": ", ".join(unknown)}}
        )
    if not chosen:
        raise ValidationError({"event_types": _("Choose at least one event type.")})
    return chosen


def _check(endpoint: WebhookEndpoint, *, url_changed: bool = True) -> None:
    endpoint.full_clean()
    if url_changed:
        try:
            webhooks.check_url(endpoint.url)
        except webhooks.UnsafeWebhookURL as refusal:
            raise ValidationError({"url": str(refusal)}) from None


def _refuse_taken_url(endpoint: WebhookEndpoint) -> None:
    """Refuse a second endpoint of the organisation at the same URL: each event would go to
    it twice, under two ids and two secrets (a retried POST, say). Call it with the
    organisation's row locked, so that two calls of the same moment are one after the other.
    """
    taken = (
        WebhookEndpoint.objects.filter(organisation_id=endpoint.organisation_id, url=endpoint.url)
        .exclude(pk=endpoint.pk)
        .values_list("pk", flat=True)
        .first()
    )
    if taken is not None:
        raise ValidationError(
            _("This organisation has an endpoint at this URL already (endpoint %(id)s).")
            % {"id": taken},
            code="url_taken",
        )


def _lock_organisation(organisation_id: int) -> None:
    PartnerOrganisation.objects.select_for_update().filter(pk=organisation_id).first()


def _audit(endpoint: WebhookEndpoint, verb: str, actor, **changes) -> None:
    # The address goes in as its host: the trail masks anything named like a URL, and a
    # receiver's query string may hold a token of its own.
    audit_record(
        actor=actor,
        verb=verb,
        obj=endpoint,
        changes={"organisation": endpoint.organisation_id, **changes},
    )


def webhook_endpoint_create(
    *, actor, organisation, url: str, event_types, description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint of `organisation`; return it and its secret, to be shown once.

    `actor` is the center manager, or the organisation's API principal (see policies).
    """
    if not policies.can_manage_webhooks(actor, organisation):
        raise PermissionDenied
    endpoint = WebhookEndpoint(
        organisation=organisation,
        url=(url or "").strip(),
        event_types=_event_types(event_types),
        description=(description or "").strip(),
    )
    _check(endpoint)
    with transaction.atomic():
        _lock_organisation(organisation.pk)
        _refuse_taken_url(endpoint)
        endpoint.save()
        _audit(
            endpoint,
            "webhook.create",
            actor,
            host=endpoint.host,
            event_types=endpoint.event_types,
        )
    return endpoint, endpoint_secret(endpoint)


def webhook_endpoint_update(*, endpoint: WebhookEndpoint, actor, **fields) -> WebhookEndpoint:
    """Change an endpoint's URL, event types, active flag or description."""
    if not policies.can_manage_endpoint(actor, endpoint):
        raise PermissionDenied
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    if "event_types" in fields:
        fields["event_types"] = _event_types(fields["event_types"])
    for name in ("url", "description"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    with transaction.atomic():
        endpoint = (
            WebhookEndpoint.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=endpoint.pk)
        )
        before = {name: getattr(endpoint, name) for name in fields}
        before_host = endpoint.host
        for name, value in fields.items():
            setattr(endpoint, name, value)
        moved = {name for name in fields if before[name] != getattr(endpoint, name)}
        if not moved:
            return endpoint
        _check(endpoint, url_changed="url" in moved)
        if "url" in moved:
            _lock_organisation(endpoint.organisation_id)
            _refuse_taken_url(endpoint)
        endpoint.save(update_fields=[*moved, "updated_at"])
        changes = {name: [before[name], getattr(endpoint, name)] for name in moved if name != "url"}
        if "url" in moved:
            changes["host"] = [before_host, endpoint.host]
        _audit(endpoint, "webhook.update", actor, **changes)
    return endpoint


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, actor) -> None:
    """Delete an endpoint; its deliveries still waiting fail at their next attempt."""
    if not policies.can_manage_endpoint(actor, endpoint):
        raise PermissionDenied
    with transaction.atomic():
        _audit(endpoint, "webhook.delete", actor, host=endpoint.host)
        endpoint.delete()


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint, actor) -> str:
    """Give an endpoint a new secret and return it, to be shown once; the old one stops
    signing at once, for the deliveries still waiting too."""
    if not policies.can_manage_endpoint(actor, endpoint):
        raise PermissionDenied
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.secret_salt = new_salt()
        endpoint.save(update_fields=["secret_salt", "updated_at"])
        _audit(endpoint, "webhook.rotate_secret", actor)
    return endpoint_secret(endpoint)


def webhooks_emit(*, event_type: str, organisation_ids, data: dict, key: str) -> list:
    """Write one delivery of `event_type` for each active endpoint of `organisation_ids`
    that subscribes to it, in the caller's transaction; return the outbox rows.

    `key` names the occurrence (an audit record, a schedule run and a pair): each
    endpoint's row is "webhook:<event type>:<key>:<endpoint id>", so emitting the same
    occurrence twice writes it once. `data` holds ids and public fields only.
    """
    if event_type not in EventType.values:
        raise ValueError(f"Unknown webhook event type {event_type!r}")
    organisation_ids = {pk for pk in organisation_ids if pk is not None}
    if not organisation_ids:
        return []
    return [
        webhook_enqueue(
            endpoint_id=endpoint.pk,
            event_type=event_type,
            dedupe_key=f"webhook:{event_type}:{key}:{endpoint.pk}",
            data=data,
        )
        for endpoint in selectors.endpoints_subscribed(
            organisation_ids=organisation_ids, event_type=event_type
        )
    ]


# --- The outbox's webhook channel (registered in CompaniesConfig.ready) ----------------------


def webhook_target(endpoint_id: str) -> webhooks.WebhookTarget | None:
    """Return the URL and secret of an active endpoint, for one delivery attempt."""
    if not endpoint_id.isdigit():
        return None
    endpoint = WebhookEndpoint.objects.filter(
        pk=int(endpoint_id), is_active=True, organisation__is_active=True
    ).first()
    if endpoint is None:
        return None
    return webhooks.WebhookTarget(url=endpoint.url, secret=endpoint_secret(endpoint))


def webhook_attempted(endpoint_id: str, *, ok: bool, at) -> None:
    """Keep the outcome of the endpoint's last delivery attempt on its row."""
    status = WebhookEndpoint.DeliveryStatus
    WebhookEndpoint.objects.filter(pk=int(endpoint_id)).update(
        last_delivery_status=status.SUCCEEDED if ok else status.FAILED, last_delivery_at=at
    )
