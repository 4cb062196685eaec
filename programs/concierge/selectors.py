"""Reads of the concierge requests shared by the portal and the admin."""

from django.db.models import Count, Q, QuerySet

from programs.models import (
    ServiceMessage,
    ServiceRequest,
)


def service_requests_for_company(company) -> QuerySet[ServiceRequest]:
    return (
        ServiceRequest.objects.filter(company=company)
        .select_related("owner")
        .annotate(message_count=Count("messages"))
        .order_by("-opened_at", "-pk")
    )


def service_request_for_company(company, pk: int) -> ServiceRequest | None:
    return (
        ServiceRequest.objects.filter(company=company, pk=pk)
        .select_related("owner", "company")
        .first()
    )


def service_messages(service_request: ServiceRequest) -> QuerySet[ServiceMessage]:
    return service_request.messages.select_related("author").order_by("created_at", "pk")


def overdue_requests_q(today) -> Q:
    """Return the filter of requests past their target date and still open."""
    return Q(status__in=ServiceRequest.ACTIVE, due_on__lt=today)
