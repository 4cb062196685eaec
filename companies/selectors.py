"""Reads shared by the portal, the admin, the API and the benchmarks."""

from django.db.models import Count, QuerySet

from companies.models import Company, Invitation, Membership, PartnerPerson
from incubator.multilingual import translated_names


def company_members(company_id: int) -> list:
    """Return the active users of a company's portal accounts (a deactivated one gets no mail)."""
    return [
        m.user
        for m in Membership.objects.filter(
            company_id=company_id, user__is_active=True
        ).select_related("user")
    ]


def company_for_user(user) -> Company | None:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.company if membership else None


def invitations_pending_for(*, email: str) -> QuerySet[Invitation]:
    return Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).select_related(
        "company", "invited_by"
    )


def people_of_organisation(organisation):
    """The active people of a partner organisation, with their accounts."""
    return (
        PartnerPerson.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )


def companies_by_sector() -> dict[str, int]:
    """Return the number of companies of each sector (1 query)."""
    return dict(Company.objects.values_list("sector").annotate(n=Count("pk")).order_by())


def company_names(ids) -> dict[int, str]:
    """Return {id: name in the active language} of the companies `ids` (one query)."""
    companies = Company.objects.filter(pk__in=ids).only("pk", *translated_names("name"))
    return {company.pk: str(company) for company in companies}
