"""Reads shared by the portal, the admin, the API and the benchmarks."""

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

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


def member_languages(company_ids) -> dict[int, list[str]]:
    """Return, per company, the languages its active members read the portal and their
    e-mails in (their accounts' language), in the order of LANGUAGES (1 query)."""
    found: dict[int, set[str]] = {}
    for company_id, language in Membership.objects.filter(
        company_id__in=company_ids, user__is_active=True
    ).values_list("company_id", "user__language"):
        found.setdefault(company_id, set()).add(language)
    return {
        company_id: [code for code, _name in settings.LANGUAGES if code in codes]
        for company_id, codes in found.items()
    }


def company_for_user(user) -> Company | None:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.company if membership else None


def owners_for_member(user) -> tuple[Company, list] | None:
    """Return (company, its active owners' users) when `user` is a member but not an owner
    of a company: whom to ask for what only an owner does. Else None."""
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    if membership is None or membership.role == Membership.Role.OWNER:
        return None
    owners = Membership.objects.filter(
        company_id=membership.company_id, role=Membership.Role.OWNER, user__is_active=True
    ).select_related("user")
    return membership.company, [owner.user for owner in owners.order_by("pk")]


def invitations_pending_for(*, email: str) -> QuerySet[Invitation]:
    """The invitations an address may still accept: an expired one is not offered (its page
    says to ask for it again)."""
    return Invitation.objects.filter(
        email__iexact=email,
        accepted_at__isnull=True,
        created_at__gt=timezone.now() - Invitation.VALID_FOR,
    ).select_related("company", "invited_by")


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
