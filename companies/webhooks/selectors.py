"""Reads of webhook endpoints shared by the admin, the API and the triggers."""

from django.db.models import QuerySet

from companies.webhooks.models import WebhookEndpoint
from incubator import webhooks
from incubator.models import OutboxMessage

# What the admin shows of a delivery: never its payload.
DELIVERY_FIELDS = (
    "kind",
    "status",
    "attempts",
    "last_error",
    "created_at",
    "available_at",
    "sent_at",
)


def endpoints_of(organisation) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(organisation=organisation).order_by("pk")


def endpoints_subscribed(*, organisation_ids, event_type: str) -> list[WebhookEndpoint]:
    """Return the active endpoints of active `organisation_ids` that want `event_type`."""
    endpoints = WebhookEndpoint.objects.filter(
        organisation_id__in=organisation_ids, is_active=True, organisation__is_active=True
    ).order_by("pk")
    # The list is filtered here: a JSON "contains" is not portable to SQLite, and an
    # organisation has a handful of endpoints.
    return [endpoint for endpoint in endpoints if endpoint.subscribes_to(event_type)]


def endpoint_deliveries(endpoint: WebhookEndpoint, *, limit: int = 20) -> QuerySet[OutboxMessage]:
    """Return the endpoint's latest deliveries, newest first, without their payloads."""
    return (
        OutboxMessage.objects.filter(
            channel=OutboxMessage.Channel.WEBHOOK,
            recipient=webhooks.recipient_for(endpoint.pk),
        )
        .only(*DELIVERY_FIELDS)
        .order_by("-created_at", "-pk")[:limit]
    )
