"""Reads shared by the portal, the admin, the API and the benchmarks."""

from collections import defaultdict

from django.db.models import QuerySet
from django.utils import timezone

from companies import screening
from companies.models import (
    Application,
    Certification,
    Company,
    CriterionOverride,
    FundingRound,
    Invitation,
    MarketValidation,
    Membership,
    Patent,
    ScreeningPolicy,
)
from programs.models import Intake


def policy_in_force(*, at=None) -> ScreeningPolicy:
    at = at or timezone.now()
    return ScreeningPolicy.objects.filter(effective_from__lte=at).order_by("-version").first()


def company_members(company_id: int) -> list:
    """Return the users of a company's portal accounts."""
    return [m.user for m in Membership.objects.filter(company_id=company_id).select_related("user")]


def company_for_user(user) -> Company | None:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.company if membership else None


def intakes_open(*, at=None) -> QuerySet[Intake]:
    at = at or timezone.now()
    return (
        Intake.objects.filter(opens_at__lte=at, closes_at__gt=at)
        .select_related("program")
        .order_by("closes_at")
    )


def invitations_pending_for(*, email: str) -> QuerySet[Invitation]:
    return Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).select_related(
        "company", "invited_by"
    )


def application_list_for_review() -> QuerySet[Application]:
    return Application.objects.select_related("company", "intake__program", "policy", "decided_by")


def screening_facts(company_ids) -> dict[int, dict]:
    """Return the screening evidence of many companies in four queries."""
    facts: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    for p in Patent.objects.filter(company_id__in=company_ids).values(
        "id", "company_id", "jurisdiction", "status", "number", "title"
    ):
        facts[p.pop("company_id")]["patents"].append(screening.PatentFact(**p))
    for f in FundingRound.objects.filter(company_id__in=company_ids).values(
        "id", "company_id", "round_type", "amount", "currency", "date"
    ):
        company_id = f.pop("company_id")
        f["kind"] = f.pop("round_type")
        facts[company_id]["fundings"].append(screening.FundingFact(**f))
    for m in MarketValidation.objects.filter(company_id__in=company_ids).values(
        "id", "company_id", "kind", "amount", "currency", "date"
    ):
        facts[m.pop("company_id")]["markets"].append(screening.MarketFact(**m))
    for c in Certification.objects.filter(company_id__in=company_ids).values(
        "id", "company_id", "kind", "number", "issued_on", "expires_on"
    ):
        facts[c.pop("company_id")]["certifications"].append(screening.CertificationFact(**c))
    return facts


def overrides_by_application(application_ids) -> dict[int, dict[str, str]]:
    result: dict[int, dict[str, str]] = defaultdict(dict)
    for application_id, criterion, reason in CriterionOverride.objects.filter(
        application_id__in=application_ids
    ).values_list("application_id", "criterion", "reason"):
        result[application_id][criterion] = reason
    return result
