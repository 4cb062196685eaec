import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from companies import services
from companies.models import Invitation, Lead, Membership
from incubator.models import OutboxMessage
from incubator.services import render_message
from programs.admissions import services as admissions_services
from programs.admissions.models import (
    ScreeningPolicy,
)
from tests.companies.factories import (
    ApplicationFactory,
    CertificationFactory,
    CompanyFactory,
    FundingRoundFactory,
    IntakeFactory,
    MembershipFactory,
    PatentFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ARTICLE_CERTIFICATIONS = ["venture", "innobiz", "mainbiz", "rnd_center", "tips", "high_tech"]


@pytest.fixture
def policy_v1():
    """The migration's first version (recreated if a transactional test flushed it)."""
    policy = ScreeningPolicy.objects.filter(version=1).first()
    if policy is None:
        policy = admissions_services.policy_publish(
            actor=StaffFactory(),
            effective_from=dt.datetime(2020, 8, 10, tzinfo=dt.UTC),
            certification_kinds=ARTICLE_CERTIFICATIONS,
        )
    return policy


@pytest.fixture
def officer():
    return StaffFactory()


def company_with_evidence(*, certification=True, **fields):
    """A company five years old with a registered patent, a funding round and, if asked,
    a valid venture certification; its owner is a portal member."""
    company = CompanyFactory(**fields)
    PatentFactory(company=company)
    FundingRoundFactory(company=company)
    if certification:
        CertificationFactory(company=company)
    MembershipFactory(company=company)
    return company


def owner_of(company):
    return company.memberships.get(role=Membership.Role.OWNER).user


def submitted(company=None, intake=None):
    company = company or company_with_evidence()
    application = ApplicationFactory(company=company, intake=intake or IntakeFactory())
    return admissions_services.application_submit(application=application, user=owner_of(company))


def criterion(application, code):
    return next(c for c in application.screening["criteria"] if c["code"] == code)


# --- Leads and invitations --------------------------------------------------------------


def test_inviting_a_lead_writes_a_message_to_the_outbox(officer):
    lead = Lead.objects.create(
        company_name="한글누리 Hangeul Nuri",
        contact_name="Choi Eun-bi",
        contact_email="eunbi@hangeul-nuri.example",
        source=Lead.Source.REFERRAL,
    )

    services.lead_invite(lead=lead, actor=officer, sign_up_url="https://portal.example/sign-up/")

    lead.refresh_from_db()
    assert lead.status == Lead.Status.INVITED
    message = OutboxMessage.objects.get(kind="lead_invitation")
    assert message.recipient == "eunbi@hangeul-nuri.example"
    assert message.payload["url"] == "https://portal.example/sign-up/"


def test_a_lead_without_an_e_mail_cannot_be_invited(officer):
    lead = Lead.objects.create(company_name="JobSchool Net", source=Lead.Source.DELEGATION)
    with pytest.raises(ValidationError):
        services.lead_invite(lead=lead, actor=officer, sign_up_url="https://portal.example/")
    lead.refresh_from_db()
    assert lead.status == Lead.Status.NEW
    assert not OutboxMessage.objects.exists()


@pytest.fixture
def invitation():
    owner = MembershipFactory()
    return services.member_invite(
        company=owner.company,
        email="Colleague@Example.kr",
        invited_by=owner.user,
    )


def test_an_invitation_is_sent_through_the_outbox(invitation):
    message = OutboxMessage.objects.get(kind="member_invitation")
    assert message.recipient == "Colleague@Example.kr"
    assert f"/portal/invitations/{invitation.token}/" in render_message(message).body


def test_an_invitation_is_accepted_once_by_its_addressee(invitation):
    colleague = UserFactory(email="colleague@example.kr")

    membership = services.invitation_accept(invitation=invitation, user=colleague)

    assert membership.company == invitation.company
    assert membership.role == Membership.Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=UserFactory())


def test_an_invitation_for_another_address_is_refused(invitation):
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=UserFactory())
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_a_member_of_another_company_cannot_accept(invitation):
    elsewhere = MembershipFactory(user=UserFactory(email="colleague@example.kr"))
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=elsewhere.user)
    elsewhere.refresh_from_db()
    assert elsewhere.company != invitation.company
