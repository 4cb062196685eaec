import pytest
from django.core.exceptions import ValidationError

from companies import member_services, services
from companies.models import Invitation, Lead, Membership
from incubator import roles
from incubator.models import OutboxMessage
from incubator.services import render_message
from tests.companies.factories import (
    MembershipFactory,
    UserFactory,
    staff_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return staff_in(roles.PROGRAM_OFFICER)


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
    return member_services.member_invite(
        company=owner.company,
        email="Colleague@Example.kr",
        invited_by=owner.user,
    ).invitation


def test_an_invitation_is_sent_through_the_outbox(invitation):
    message = OutboxMessage.objects.get(kind="member_invitation")
    assert message.recipient == "Colleague@Example.kr"
    assert f"/portal/invitations/{invitation.link_token}/" in render_message(message).body


def test_an_invitation_is_accepted_once_by_its_addressee(invitation):
    colleague = UserFactory(email="colleague@example.kr")

    membership = member_services.invitation_accept(invitation=invitation, user=colleague)

    assert membership.company == invitation.company
    assert membership.role == Membership.Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    with pytest.raises(ValidationError):
        member_services.invitation_accept(invitation=invitation, user=UserFactory())


def test_an_invitation_for_another_address_is_refused(invitation):
    with pytest.raises(ValidationError):
        member_services.invitation_accept(invitation=invitation, user=UserFactory())
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_a_member_of_another_company_cannot_accept(invitation):
    elsewhere = MembershipFactory(user=UserFactory(email="colleague@example.kr"))
    with pytest.raises(ValidationError):
        member_services.invitation_accept(invitation=invitation, user=elsewhere.user)
    elsewhere.refresh_from_db()
    assert elsewhere.company != invitation.company
