"""Reads of the support fund shared by the portal and the admin."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from incubator import roles
from programs.models import (
    FundApplication,
    FundCall,
)


def fund_calls_open(*, at=None) -> QuerySet[FundCall]:
    at = at or timezone.now()
    return FundCall.objects.filter(opens_at__lte=at, closes_at__gt=at).order_by("closes_at")


def fund_applications_for_company(company) -> QuerySet[FundApplication]:
    return (
        FundApplication.objects.filter(company=company)
        .select_related("call")
        .prefetch_related("disbursements")
        .order_by("-submitted_at")
    )


def fund_application_of(*, company, call) -> FundApplication | None:
    """Return the company's application to the call: one at most (the model's constraint)."""
    return FundApplication.objects.filter(company=company, call=call).first()


def fund_deciders() -> list:
    """Return the active staff accounts of the center managers: the role that decides on
    fund applications (policies.can_decide_fund), told of each new one."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name=roles.CENTER_MANAGER)
        .distinct()
        .order_by("pk")
    )
