"""The staff side's writes of companies (a company registered by staff, leads, partner
organisations and their people) refuse a role whose row does not hold them, whoever calls
the service; each refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from companies import services
from companies.models import Company, Lead, PartnerOrganisation
from incubator import roles
from incubator.models import AuditRecord
from tests.companies.factories import CompanyFactory, MembershipFactory, staff_in
from tests.events.factories import PartnerOrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused_roles():
    """The event coordinator and the viewer only read companies; an owner is no staff."""
    return [staff_in(roles.EVENT_COORDINATOR), staff_in(roles.VIEWER), MembershipFactory().user]


def test_a_company_is_registered_from_the_staff_side_by_the_programmes_only(refused_roles):
    companies = Company.objects.count()  # the owner's
    for actor in refused_roles:
        with pytest.raises(PermissionDenied):
            services.company_add(company=CompanyFactory.build(brn="1248100998"), actor=actor)
    assert Company.objects.count() == companies

    services.company_add(
        company=CompanyFactory.build(brn="1248100998"), actor=staff_in(roles.PROGRAM_OFFICER)
    )
    assert Company.objects.filter(brn="1248100998").exists()


def test_a_company_is_changed_by_its_members_or_the_programmes(refused_roles):
    company = CompanyFactory(city="Seoul")
    for actor in refused_roles:
        with pytest.raises(PermissionDenied):
            services.company_update(company=company, actor=actor, city="Harbin")
    company.refresh_from_db()
    assert company.city == "Seoul"
    services.company_update(company=company, actor=staff_in(roles.PROGRAM_OFFICER), city="Harbin")
    owner = MembershipFactory(company=CompanyFactory()).user
    services.company_update(company=owner.membership.company, actor=owner, city="Harbin")
    assert Company.objects.filter(city="Harbin").count() == 2


def test_leads_are_saved_and_invited_by_the_programmes_only(refused_roles):
    officer = staff_in(roles.PROGRAM_OFFICER)
    lead = services.lead_save(
        lead=Lead(company_name="Bada", contact_email="hi@bada.example", source="referral"),
        actor=officer,
    )
    records = AuditRecord.objects.count()
    for actor in refused_roles:
        with pytest.raises(PermissionDenied):
            services.lead_save(
                lead=Lead(company_name="Mirae", contact_email="ceo@mirae.example"), actor=actor
            )
        lead.company_name = "Changed"
        with pytest.raises(PermissionDenied):
            services.lead_save(lead=lead, actor=actor, changed_fields=["company_name"])
        with pytest.raises(PermissionDenied):
            services.lead_invite(lead=lead, actor=actor, sign_up_url="https://portal.example/")
    lead.refresh_from_db()
    assert (lead.company_name, lead.status) == ("Bada", Lead.Status.NEW)
    assert Lead.objects.count() == 1 and AuditRecord.objects.count() == records


def test_partners_are_saved_and_deleted_by_the_programmes_only(refused_roles):
    officer = staff_in(roles.PROGRAM_OFFICER)
    partner = services.partner_save(instance=PartnerOrganisationFactory.build(), actor=officer)
    for actor in refused_roles:
        with pytest.raises(PermissionDenied):
            services.partner_save(instance=PartnerOrganisationFactory.build(), actor=actor)
        partner.city = "Seoul"
        with pytest.raises(PermissionDenied):
            services.partner_save(instance=partner, actor=actor, changed_fields=["city"])
        with pytest.raises(PermissionDenied):
            services.partner_delete(instance=partner, actor=actor)
    assert list(PartnerOrganisation.objects.values_list("city", flat=True)) == ["Harbin"]

    services.partner_delete(instance=partner, actor=officer)
    assert not PartnerOrganisation.objects.exists()
