"""Inviting a colleague: one invitation per address, taken back by the owner, refused by the
addressee's own e-mail and page, never to the owner."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from companies import member_services
from companies.models import Invitation, Membership
from incubator.models import AuditRecord, OutboxMessage
from incubator.services import outbox_sweep, render_message
from tests.companies.factories import UserFactory
from tests.companies.portal import html, member
from tests.events.factories import PartnerPersonFactory

pytestmark = pytest.mark.django_db

INVITE = "/portal/company/members/invite/"
REVOKE = "/portal/company/members/invitations/revoke/"
ACCEPT = "Accept the invitation"


def link(invitation) -> str:
    return f"/portal/invitations/{invitation.link_token}/"


def pending_list(client) -> str:
    """The members section's list of invitations not yet accepted, as the owner sees it."""
    page = html(client.get("/portal/company/"))
    return page.partition("Invitations not yet accepted")[2].partition("Invite a colleague")[0]


def invite(owner, email: str) -> Invitation:
    return member_services.member_invite(
        company=owner.membership.company, email=email, invited_by=owner
    ).invitation


# --- 1. The owner's own address ------------------------------------------------------------


def test_the_owner_cannot_invite_their_own_address_in_any_case(client, owner):
    with pytest.raises(ValidationError) as error:
        invite(owner, owner.email.upper())
    assert error.value.message_dict == {"email": ["You cannot invite yourself."]}

    client.force_login(owner)
    response = client.post(INVITE, {"email": owner.email.upper()})
    assert response.status_code == 200
    assert "You cannot invite yourself." in html(response)
    assert not Invitation.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert "Invitations not yet accepted" not in html(client.get("/portal/company/"))


# --- 2. One invitation per address -----------------------------------------------------------


def test_inviting_a_pending_address_again_in_another_case_sends_nothing_and_says_so(client, owner):
    first = invite(owner, "Seoyeon.Lee@example.kr")
    client.force_login(owner)
    response = client.post(INVITE, {"email": "seoyeon.lee@example.kr"}, follow=True)

    assert response.status_code == 200
    page = html(response)
    assert "has an invitation already, not yet accepted, so nothing was sent now" in page
    assert "The invitation is sent to" not in page
    assert Invitation.objects.get().pk == first.pk  # no second row
    assert OutboxMessage.objects.filter(kind="member_invitation").count() == 1
    assert not AuditRecord.objects.filter(verb="member.reinvite").exists()
    listed = pending_list(client)
    assert listed.count("<li>") == 1 and "<li>Seoyeon.Lee@example.kr" in listed


def test_a_double_submitted_invitation_is_one_email(client, owner):
    client.force_login(owner)
    first = client.post(INVITE, {"email": "cto@example.kr"}, follow=True)
    second = client.post(INVITE, {"email": "cto@example.kr"}, follow=True)

    assert "The invitation is sent to cto@example.kr." in html(first)
    assert "cto@example.kr has an invitation already" in html(second)
    assert "The invitation is sent to" not in html(second)
    assert OutboxMessage.objects.filter(kind="member_invitation").count() == 1


def test_send_it_again_sends_the_same_invitation_once_a_day_and_says_what_happened(client, owner):
    first = invite(owner, "Seoyeon.Lee@example.kr")
    client.force_login(owner)
    assert 'name="resend" value="1"' in pending_list(client)

    again = client.post(INVITE, {"email": "seoyeon.lee@example.kr", "resend": "1"}, follow=True)
    twice = client.post(INVITE, {"email": "seoyeon.lee@example.kr", "resend": "1"}, follow=True)

    assert "The invitation to Seoyeon.Lee@example.kr is sent again, with the same link." in (
        html(again)
    )
    assert "was sent again today already, so nothing was sent now" in html(twice)
    assert "is sent again, with the same link" not in html(twice)
    invitation = Invitation.objects.get()  # no second row
    assert invitation.pk == first.pk and invitation.link_token == first.link_token
    messages = OutboxMessage.objects.filter(kind="member_invitation")
    assert [m.payload["invitation_id"] for m in messages] == [first.pk, first.pk]
    assert AuditRecord.objects.filter(verb="member.reinvite", actor=owner).count() == 1


def test_the_service_says_what_inviting_did(owner):
    company = owner.membership.company

    def outcome(**kwargs):
        return member_services.member_invite(
            company=company, email="cto@example.kr", invited_by=owner, **kwargs
        ).outcome

    assert outcome() == member_services.Invited.SENT
    assert outcome() == member_services.Invited.PENDING
    assert outcome(resend=True) == member_services.Invited.SENT_AGAIN
    assert outcome(resend=True) == member_services.Invited.ALREADY_SENT_TODAY
    assert Invitation.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="member_invitation").count() == 2


def test_a_member_of_the_company_is_not_invited(client, owner):
    colleague = UserFactory(email="cto@example.kr")
    Membership.objects.create(user=colleague, company=owner.membership.company)
    client.force_login(owner)

    response = client.post(INVITE, {"email": "CTO@example.kr"})

    assert response.status_code == 200
    assert "CTO@example.kr is a member of the company already." in html(response)
    assert not Invitation.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_accepting_one_invitation_closes_the_others_of_the_company_for_the_address(client, owner):
    company = owner.membership.company
    # Two rows for one address, as the portal made them before it compared addresses.
    kept = Invitation.objects.create(company=company, email="Seoyeon.Lee@example.kr")
    twin = Invitation.objects.create(company=company, email="seoyeon.lee@example.kr")
    elsewhere = Invitation.objects.create(
        company=member().membership.company, email="seoyeon.lee@example.kr"
    )
    member_services.member_invite(company=company, email="someone@example.kr", invited_by=owner)
    seoyeon = UserFactory(email="seoyeon.lee@example.kr")

    member_services.invitation_accept(invitation=kept, user=seoyeon)

    assert set(
        Invitation.objects.filter(accepted_at__isnull=True).values_list("email", flat=True)
    ) == {
        "someone@example.kr",
        elsewhere.email,
    }
    record = AuditRecord.objects.get(verb="member.accept")
    assert record.changes == {"invitation": kept.pk, "closed": [twin.pk]}
    client.force_login(owner)
    assert "someone@example.kr" in pending_list(client)
    assert "seoyeon.lee@example.kr" not in pending_list(client).lower()
    client.force_login(UserFactory())
    response = client.get(link(twin))
    assert response.status_code == 410
    assert "This invitation is no longer valid." in html(response)


# --- 3. Revoking -------------------------------------------------------------------------------


def test_the_owner_revokes_a_pending_invitation_and_its_link_stops_working(client, owner):
    invitation = invite(owner, "cto@example.kr")
    token, link_token = str(invitation.token), invitation.link_token
    client.force_login(owner)
    page = html(client.get("/portal/company/"))
    assert 'action="/portal/company/members/invitations/revoke/"' in page
    assert f'name="invitation" value="{invitation.pk}"' in page
    assert 'data-confirm="Revoke the invitation to cto@example.kr? Its link stops working."' in page

    response = client.post(REVOKE, {"invitation": invitation.pk}, follow=True)

    assert response.status_code == 200
    assert "The invitation to cto@example.kr is revoked." in html(response)
    assert "Invitations not yet accepted" not in html(response)
    assert not Invitation.objects.exists()
    record = AuditRecord.objects.get(verb="invitation.revoke")
    assert record.actor == owner and record.company_id == owner.membership.company_id
    assert record.changes == {"email": "cto@example.kr"}
    trail = json.dumps([record.changes, record.object_repr, record.object_names, record.object_id])
    assert token not in trail and link_token not in trail
    # The e-mail not delivered yet stays undelivered: it has no link left to carry.
    message = OutboxMessage.objects.get(kind="member_invitation")
    assert message.status == OutboxMessage.Status.FAILED
    assert outbox_sweep() == 0

    client.force_login(UserFactory(email="cto@example.kr"))
    for response in (
        client.get(f"/portal/invitations/{link_token}/"),
        client.post(f"/portal/invitations/{link_token}/"),
    ):
        assert response.status_code == 410
        assert "This invitation is no longer valid." in html(response)
        assert ACCEPT not in html(response)
    assert not Membership.objects.filter(user__email="cto@example.kr").exists()


def test_an_invitation_revoked_while_its_page_is_open_is_not_accepted(owner):
    invitation = invite(owner, "cto@example.kr")  # the object the page loaded
    member_services.invitation_revoke(invitation=invitation, actor=owner)
    with pytest.raises(ValidationError) as error:
        member_services.invitation_accept(
            invitation=invitation, user=UserFactory(email="cto@example.kr")
        )
    assert error.value.messages == ["This invitation is no longer valid."]
    assert not Membership.objects.filter(user__email="cto@example.kr").exists()


def test_a_member_who_is_not_the_owner_cannot_revoke(client, owner):
    invitation = invite(owner, "cto@example.kr")
    colleague = UserFactory()
    Membership.objects.create(user=colleague, company=owner.membership.company)
    client.force_login(colleague)

    assert client.post(REVOKE, {"invitation": invitation.pk}).status_code == 403
    assert "Revoke the invitation" not in html(client.get("/portal/company/"))
    with pytest.raises(PermissionDenied):
        member_services.invitation_revoke(invitation=invitation, actor=colleague)
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert not AuditRecord.objects.filter(verb="invitation.revoke").exists()


def test_another_companys_invitation_is_not_found(client, owner):
    invitation = invite(owner, "cto@example.kr")
    client.force_login(member())

    assert client.post(REVOKE, {"invitation": invitation.pk}).status_code == 404
    assert client.post(REVOKE, {"invitation": "x"}).status_code == 400
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_an_accepted_invitation_is_not_revoked(client, owner):
    invitation = invite(owner, "cto@example.kr")
    member_services.invitation_accept(
        invitation=invitation, user=UserFactory(email="cto@example.kr")
    )
    client.force_login(owner)

    assert client.post(REVOKE, {"invitation": invitation.pk}).status_code == 404
    with pytest.raises(ValidationError):
        member_services.invitation_revoke(invitation=invitation, actor=owner)
    assert Membership.objects.filter(user__email="cto@example.kr").exists()


# --- 4. Who cannot accept reads why before pressing -------------------------------------------


def test_inviting_a_member_of_another_company_answers_as_for_any_address(client, owner):
    # Otherwise any owner could probe who belongs to a rival startup.
    member(email="park@example.kr")
    client.force_login(owner)

    rival = client.post(INVITE, {"email": "park@example.kr"}, follow=True)
    nobody = client.post(INVITE, {"email": "kim@example.kr"}, follow=True)

    def said(response, address):
        return [str(m).replace(address, "ADDRESS") for m in response.context["messages"]]

    assert rival.status_code == nobody.status_code == 200
    assert said(rival, "park@example.kr") == said(nobody, "kim@example.kr") != []
    assert "another company" not in html(rival)
    assert Invitation.objects.filter(email="park@example.kr").exists()
    # The addressee learns it, from the e-mail to their own address.
    message = OutboxMessage.objects.get(recipient="park@example.kr")
    email = render_message(message)
    assert "belongs to another company already" in email.body
    assert "first leave your company from its page" in email.body
    assert (
        "belongs to another company"
        not in render_message(OutboxMessage.objects.get(recipient="kim@example.kr")).body
    )


@pytest.mark.parametrize("who", ["staff", "partner", "judge"])
def test_staff_partners_and_judges_are_invited_and_told_why_they_cannot_join(owner, who):
    from events.models import CompetitionEntry, CompetitionRound, Event, JudgeAssignment
    from tests.companies.factories import CompanyFactory, StaffFactory
    from tests.events.factories import EventFactory

    if who == "staff":
        address = StaffFactory().email
    elif who == "partner":
        address = PartnerPersonFactory().user.email
    else:
        judge = UserFactory()
        round_ = CompetitionRound.objects.create(
            event=EventFactory(kind=Event.Kind.COMPETITION), name_en="Final"
        )
        entry = CompetitionEntry.objects.create(
            round=round_, company=CompanyFactory(), title="Alpha robot"
        )
        JudgeAssignment.objects.create(entry=entry, judge=judge)
        address = judge.email

    invited = member_services.member_invite(
        company=owner.membership.company, email=address.upper(), invited_by=owner
    )

    assert invited.outcome == member_services.Invited.SENT
    email = render_message(OutboxMessage.objects.get(kind="member_invitation"))
    assert "cannot be members of a company" in email.body
    assert "contact the center" in email.body


def test_a_member_of_another_company_reads_why_and_has_no_button(client, owner):
    # Invited before joining another company: the invitation is there, and refused.
    invitation = invite(owner, "park@example.kr")
    client.force_login(member(email="park@example.kr", language="ko"))

    response = client.get(link(invitation))

    assert response.status_code == 200
    assert "이미 소속된 회사가 있습니다." in html(response)
    assert 'type="submit"' not in html(response).split("<main")[1]
    assert client.post(link(invitation)).status_code == 400
    assert 'type="submit"' not in html(client.post(link(invitation))).split("<main")[1]


def test_a_partners_person_cannot_join_a_company_by_invitation(client, owner):
    invitation = invite(owner, "buyer@partner.example.cn")
    # Made a partner's person after the invitation went out.
    person = PartnerPersonFactory(user=UserFactory(email="buyer@partner.example.cn"))
    client.force_login(person.user)

    response = client.get(link(invitation))

    assert "Staff, partners&#x27; people and judges cannot be members" in html(response)
    assert ACCEPT not in html(response)
    with pytest.raises(ValidationError):
        member_services.invitation_accept(invitation=invitation, user=person.user)
    assert not Membership.objects.filter(user=person.user).exists()


def test_the_addressee_still_sees_the_button(client, owner):
    invitation = invite(owner, "cto@example.kr")
    client.force_login(UserFactory(email="CTO@example.kr"))
    response = client.get(link(invitation))
    assert ACCEPT in html(response) and "form-errors" not in html(response)


# --- 5. The welcome page ---------------------------------------------------------------------


def test_the_welcome_page_lists_each_invitation_once_without_asking_for_one(client, owner):
    company = owner.membership.company
    Invitation.objects.create(company=company, email="Seoyeon.Lee@example.kr", invited_by=owner)
    newest = Invitation.objects.create(
        company=company, email="seoyeon.lee@example.kr", invited_by=owner
    )
    other = invite(member(), "seoyeon.lee@example.kr")
    client.force_login(UserFactory(email="seoyeon.lee@example.kr"))

    page = html(client.get("/portal/company/"))

    assert page.count("/portal/invitations/") == 2
    assert link(newest) in page and link(other) in page
    assert page.count(f"<h3>{company.name}</h3>") == 1
    assert "Ask the owner" not in page and "I have an invitation" not in page


def test_the_welcome_page_without_invitations_says_how_to_get_one(client):
    client.force_login(UserFactory(email="seoyeon.lee@example.kr"))
    page = html(client.get("/portal/company/"))
    assert "Ask the owner to send the invitation to seoyeon.lee@example.kr." in page
    assert "Invitations waiting for you" not in page


# --- 6. Signing up from the invitation --------------------------------------------------------


def test_signing_up_from_the_invitation_starts_with_its_address_and_keeps_it(client, owner):
    invitation = invite(owner, "Seoyeon.Lee@example.kr")
    sign_up = f"/portal/sign-up/?next={link(invitation)}"
    client.cookies["lang"] = "en"

    page = html(client.get(sign_up))

    assert 'name="email" value="Seoyeon.Lee@example.kr"' in page
    assert "The invitation was sent to Seoyeon.Lee@example.kr" in page
    # A form sent back (the passwords differ) keeps the address and where it leads.
    response = client.post(
        sign_up,
        {
            "email": "Seoyeon.Lee@example.kr",
            "full_name": "이서연",
            "language": "ko",
            "time_zone": "Asia/Seoul",
            "password1": "orangsimhan-2020!",
            "password2": "orangsimhan-2021!",
            "next": link(invitation),
        },
    )
    assert 'name="email" value="Seoyeon.Lee@example.kr"' in html(response)
    assert f'name="next" value="{link(invitation)}"' in html(response)


def test_a_sign_up_from_elsewhere_or_a_dead_invitation_starts_empty(client, owner):
    invitation = invite(owner, "cto@example.kr")
    dead = link(invitation)
    member_services.invitation_revoke(invitation=invitation, actor=owner)
    for url in ("/portal/sign-up/", f"/portal/sign-up/?next={dead}", "/portal/sign-up/?next=/x/"):
        page = html(client.get(url))
        assert 'name="email" maxlength="254" required id="id_email"' in page, url
        assert "cto@example.kr" not in page
