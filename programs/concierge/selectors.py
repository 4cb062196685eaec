"""Reads of the concierge requests shared by the portal and the admin."""

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from incubator.auth_backend import UserBackend
from incubator.models import User
from programs.concierge import policies
from programs.models import (
    ServiceMessage,
    ServiceRequest,
)

# A request's place in the work, in the order Status declares them (open, in progress,
# resolved, closed): sorted by their codes, closed requests would come first.
STATUS_RANK = Case(
    *(When(status=status, then=Value(rank)) for rank, status in enumerate(ServiceRequest.Status)),
    output_field=IntegerField(),
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


def request_owner_choices() -> QuerySet[User]:
    """Return the staff who may own a request (`policies.can_own_request`), by name."""
    # The permission asked as has_perm asks it: the role's group, the user's own, a superuser.
    return (
        UserBackend()
        .with_perm(policies.HANDLE, is_active=True)
        .filter(is_staff=True)
        .order_by("full_name", "email")
    )
