"""The partner API's webhook endpoints: an organisation manages its own (scope webhooks:manage).

The secret is in the answer of the create and rotate calls only; it is never stored.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from companies.api import utc
from companies.webhooks import services
from companies.webhooks.models import EventType, WebhookEndpoint
from companies.webhooks.selectors import endpoints_of
from incubator.api.errors import refusals_as_conflicts
from incubator.api.filters import StrictBooleanFilter
from incubator.api.permissions import HasScope
from incubator.api.schema import NO_BODY, refusals, response_example
from incubator.api.serializers import StrictInput
from incubator.api.viewsets import no_store

# What a PUT that leaves them out sets: it replaces the endpoint's settings, as a new
# endpoint's (a PATCH changes only what it names).
PUT_DEFAULTS = {"is_active": True, "description": ""}


class WebhookEndpointSerializer(StrictInput, serializers.ModelSerializer):
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), allow_empty=False, min_length=1
    )
    last_delivery_status = serializers.CharField(
        read_only=True, help_text=_('"succeeded", "failed", or empty before the first delivery.')
    )
    created_at = utc()
    updated_at = utc()
    last_delivery_at = utc(allow_null=True)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "event_types",
            "is_active",
            "description",
            "created_at",
            "updated_at",
            "last_delivery_status",
            "last_delivery_at",
        ]
        read_only_fields = [
            "id",
            "created_at",
            "updated_at",
            "last_delivery_status",
            "last_delivery_at",
        ]


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text=_("Shown in this answer only: keep it to check the signatures.")
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class SecretSerializer(serializers.Serializer):
    secret = serializers.CharField(read_only=True)


EXAMPLE = {
    "id": 3,
    "url": "https://crm.hlj-capital.example/hooks/center",
    "event_types": ["meeting.confirmed", "event.cancelled"],
    "is_active": True,
    "description": "CRM",
    "created_at": "2026-12-01T08:00:00Z",
    "updated_at": "2026-12-01T08:00:00Z",
    "last_delivery_status": "",
    "last_delivery_at": None,
}


class WebhookEndpointFilter(django_filters.FilterSet):
    is_active = StrictBooleanFilter()

    class Meta:
        model = WebhookEndpoint
        fields = []


@extend_schema_view(
    list=extend_schema(summary=_("Your webhook endpoints")),
    retrieve=extend_schema(summary=_("One of your webhook endpoints")),
    create=extend_schema(
        summary=_("Register an endpoint"),
        description=_(
            "An https URL and the event types to receive. The answer holds the endpoint's "
            "signing secret, shown this once (the webhooks guide, "
            "/api/v1/guide/webhooks/: verifying a delivery)."
        ),
        responses={201: WebhookEndpointWithSecretSerializer},
        examples=[
            response_example(
                "Made", _("Made"), {**EXAMPLE, "secret": "whsec_…"}, status_codes=["201"]
            )
        ],
        extensions=refusals("url_taken"),
    ),
    partial_update=extend_schema(
        summary=_("Change an endpoint (URL, events, active)"),
        description=_("Changes the fields the body names; the others keep their values."),
        extensions=refusals("url_taken"),
    ),
    update=extend_schema(
        summary=_("Replace an endpoint's settings"),
        description=_(
            "Replaces them all: `url` and `event_types` are required, and `is_active` and "
            "`description` left out become true and empty, as on a new endpoint. The "
            "secret stays."
        ),
        extensions=refusals("url_taken"),
    ),
    destroy=extend_schema(summary=_("Remove an endpoint"), responses={204: NO_BODY}),
)
class WebhookEndpointViewSet(viewsets.ModelViewSet):
    permission_classes = [HasScope]
    scope = "webhooks:manage"
    serializer_class = WebhookEndpointSerializer
    ordering = ["id"]
    ordering_fields = ["id", "created_at"]
    filterset_class = WebhookEndpointFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's pass
            return WebhookEndpoint.objects.none()
        # Another organisation's endpoint does not exist for the caller: a 404.
        return endpoints_of(self.request.user.organisation).order_by("id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        active = fields.pop("is_active", True)
        # One endpoint per URL and organisation: a second (a retried POST) is a 409.
        with refusals_as_conflicts():
            endpoint, secret = services.webhook_endpoint_create(
                actor=request.auth, organisation=request.user.organisation, **fields
            )
        if not active:  # registered paused
            endpoint = services.webhook_endpoint_update(
                endpoint=endpoint, actor=request.auth, is_active=False
            )
        body = WebhookEndpointWithSecretSerializer({**self._fields(endpoint), "secret": secret})
        return no_store(Response(body.data, status=status.HTTP_201_CREATED))

    def perform_update(self, serializer):
        fields = dict(serializer.validated_data)
        if not serializer.partial:
            fields = {**PUT_DEFAULTS, **fields}
        with refusals_as_conflicts():
            serializer.instance = services.webhook_endpoint_update(
                endpoint=serializer.instance, actor=self.request.auth, **fields
            )

    def perform_destroy(self, instance):
        services.webhook_endpoint_delete(endpoint=instance, actor=self.request.auth)

    @extend_schema(
        summary=_("Make a new signing secret"),
        description=_("The old secret stops at once. The answer holds the new one, shown once."),
        request=None,
        responses={200: SecretSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint = self.get_object()
        secret = services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=request.auth)
        return no_store(Response({"secret": secret}))

    @staticmethod
    def _fields(endpoint) -> dict:
        return {name: getattr(endpoint, name) for name in WebhookEndpointSerializer.Meta.fields}
