"""The company's members from its own page: the owner removes a colleague, a member leaves,
the owners hear who joined; invitations expire and are sent again."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from companies import member_services, services
from companies.models import Invitation, Membership
from incubator.models import AuditRecord, OutboxMessage
from incubator.services import render_message
from tests.companies.factories import UserFactory
from tests.companies.portal import PDF, html, member

pytestmark = pytest.mark.django_db

REMOVE = "/portal/company/members/remove/"
LEAVE = "/portal/company/members/leave/"
INVITE = "/portal/company/members/invite/"


def colleague(owner, **user_fields) -> Membership:
    return Membership.objects.create(
        user=UserFactory(**user_fields), company=owner.membership.company
    )


def invite(owner, email: str) -> Invitation:
    return member_services.member_invite(
        company=owner.membership.company, email=email, invited_by=owner
    ).invitation


def link(invitation) -> str:
    return f"/portal/invitations/{invitation.link_token}/"


# --- 13. The owner removes a colleague ---------------------------------------------------


def test_the_owner_removes_a_colleague_who_loses_access_and_is_told(client, owner):
    seoyeon = colleague(owner, full_name="이서연", email="seoyeon@example.kr", language="ko")
    document = services.document_upload(
        company=owner.membership.company,
        uploaded_file=SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
        kind="other",
        user=owner,
        max_bytes=1_000_000,
    )
    client.force_login(seoyeon.user)
    assert client.get(f"/portal/documents/{document.pk}/").status_code == 200
    client.force_login(owner)
    page = html(client.get("/portal/company/"))
    assert f'action="{REMOVE}"' in page and f'name="membership" value="{seoyeon.pk}"' in page
    assert "Remove 이서연 from" in page  # the question data-confirm asks first

    response = client.post(REMOVE, {"membership": seoyeon.pk}, follow=True)

    assert response.status_code == 200
    assert "이서연 is no longer a member of" in html(response)
    assert not Membership.objects.filter(pk=seoyeon.pk).exists()
    record = AuditRecord.objects.get(verb="member.remove")
    assert record.actor == owner and record.company_id == owner.membership.company_id
    assert record.changes == {"user": seoyeon.user_id, "role": "member"}
    message = OutboxMessage.objects.get(kind="member_removed")
    assert message.recipient == "seoyeon@example.kr" and message.language == "ko"
    assert owner.get_full_name() in render_message(message).body
    # Signed in as her: the company's documents are gone from her reach at once.
    client.force_login(seoyeon.user)
    assert client.get(f"/portal/documents/{document.pk}/").status_code == 404
    assert owner.membership.company.name not in html(client.get("/portal/company/"))


def test_the_owner_cannot_remove_themselves_nor_a_member_remove_anyone(client, owner):
    seoyeon = colleague(owner)
    client.force_login(owner)
    page = html(client.get("/portal/company/"))
    assert f'name="membership" value="{owner.membership.pk}"' not in page
    with pytest.raises(PermissionDenied):
        member_services.member_remove(membership=owner.membership, actor=owner)

    client.force_login(seoyeon.user)
    assert f'action="{REMOVE}"' not in html(client.get("/portal/company/"))
    assert client.post(REMOVE, {"membership": owner.membership.pk}).status_code == 403
    assert Membership.objects.count() == 2
    assert not AuditRecord.objects.filter(verb="member.remove").exists()


def test_a_page_refused_to_a_member_names_the_owner_to_ask_in_their_language(client, owner):
    owner.full_name = "박지우"
    owner.save(update_fields=["full_name"])
    seoyeon = colleague(owner, language="ko")
    client.force_login(seoyeon.user)
    client.cookies["lang"] = "ko"

    refused = client.post(INVITE, {"email": "new@startup.example"})

    assert refused.status_code == 403
    page = html(refused)
    assert "박지우" in page and f'href="mailto:{owner.email}"' in page
    assert owner.membership.company.name_ko in page
    # An owner refused a page is pointed to nobody but the center's staff.
    client.force_login(owner)
    own = client.post(REMOVE, {"membership": owner.membership.pk})
    assert own.status_code == 403 and "mailto:" not in html(own)


def test_another_companys_member_is_not_found(client, owner):
    elsewhere = member()
    client.force_login(owner)
    assert client.post(REMOVE, {"membership": elsewhere.membership.pk}).status_code == 404
    assert client.post(REMOVE, {"membership": "x"}).status_code == 400
    assert Membership.objects.filter(user=elsewhere).exists()


# --- 13. A member leaves -------------------------------------------------------------------


def test_a_member_leaves_and_the_owner_is_told_in_their_language(client, owner):
    owner.language = "zh-hans"
    owner.save(update_fields=["language"])
    seoyeon = colleague(owner, full_name="이서연")
    client.force_login(seoyeon.user)
    assert f'action="{LEAVE}"' in html(client.get("/portal/company/"))

    response = client.post(LEAVE)

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=seoyeon.pk).exists()
    assert AuditRecord.objects.get(verb="member.leave").actor == seoyeon.user
    message = OutboxMessage.objects.get(kind="member_left")
    assert message.recipient == owner.email and message.language == "zh-hans"
    assert "이서연" in render_message(message).body


def test_the_only_owner_cannot_leave_and_reads_why(client, owner):
    client.force_login(owner)
    page = html(client.get("/portal/company/"))
    assert f'action="{LEAVE}"' not in page
    assert "As the company's only owner you cannot leave it" in page

    response = client.post(LEAVE, follow=True)

    assert "so you cannot leave it. Ask the center to make a colleague the owner first." in (
        html(response)
    )
    assert Membership.objects.filter(user=owner).exists()
    with pytest.raises(ValidationError):
        member_services.member_leave(membership=owner.membership, actor=owner)


def test_one_of_two_owners_leaves(owner):
    second = colleague(owner)
    second.role = Membership.Role.OWNER
    second.save(update_fields=["role"])
    member_services.member_leave(membership=second, actor=second.user)
    assert list(Membership.objects.values_list("user", flat=True)) == [owner.pk]


# --- 14. The owners hear who joined ----------------------------------------------------------


def test_the_owners_are_told_in_their_language_when_an_invitation_is_accepted(client, owner):
    owner.language = "ko"
    owner.save(update_fields=["language"])
    company = owner.membership.company
    company.name_zh = "晨曦人工智能"
    company.save(update_fields=["name_zh"])
    invitation = invite(owner, "seoyeon@example.kr")
    seoyeon = UserFactory(email="seoyeon@example.kr", full_name="이서연", language="zh-hans")
    client.force_login(seoyeon)

    client.post(link(invitation))

    (message,) = OutboxMessage.objects.filter(kind="member_joined")
    assert message.recipient == owner.email and message.language == "ko"
    assert message.payload["company"] == company.name_ko  # the owner's language, not hers
    email = render_message(message)
    assert "이서연" in email.body and "seoyeon@example.kr" in email.body
    # Accepting twice (a second tab) is one e-mail.
    client.post(link(invitation))
    assert OutboxMessage.objects.filter(kind="member_joined").count() == 1


def test_the_owners_email_of_a_colleague_joining_or_leaving_links_to_the_company_page(
    client, owner, settings
):
    invitation = invite(owner, "seoyeon@example.kr")
    seoyeon = UserFactory(email="seoyeon@example.kr")
    client.force_login(seoyeon)
    client.post(link(invitation))
    member_services.member_leave(membership=seoyeon.membership, actor=seoyeon)

    for kind in ("member_joined", "member_left"):
        message = OutboxMessage.objects.get(kind=kind)
        assert message.payload["path"] == "/portal/company/"  # where the members are listed
        company_page = settings.SITE_URL.rstrip("/") + "/portal/company/"
        assert company_page in render_message(message).body


# --- 26. Invitations expire after 30 days -------------------------------------------------


def _age(invitation, days: int) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )


def test_an_invitation_older_than_30_days_says_so_and_cannot_be_accepted(client, owner):
    invitation = invite(owner, "cto@example.kr")
    _age(invitation, 31)
    cto = UserFactory(email="cto@example.kr")

    for who in (None, cto):
        client.logout()
        client.cookies["lang"] = "en"
        if who:
            client.force_login(who)
        response = client.get(link(invitation))
        assert response.status_code == 410
        assert "This invitation expired on" in html(response)
        assert "Ask " + owner.get_full_name() + " to send it again" in html(response)
        assert "Accept the invitation" not in html(response)
    assert client.post(link(invitation)).status_code == 410
    invitation.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        member_services.invitation_accept(invitation=invitation, user=cto)
    assert "This invitation expired on" in error.value.messages[0]
    assert not Membership.objects.filter(user=cto).exists()
    # Not offered on the newcomer's welcome page either: it says to ask for a new one.
    page = html(client.get("/portal/company/"))
    assert link(invitation) not in page and "Ask the owner to send the invitation" in page


def test_a_29_day_old_invitation_is_still_accepted(client, owner):
    invitation = invite(owner, "cto@example.kr")
    _age(invitation, 29)
    client.force_login(UserFactory(email="cto@example.kr"))
    assert "Accept the invitation" in html(client.get(link(invitation)))
    client.post(link(invitation))
    assert Membership.objects.filter(user__email="cto@example.kr").exists()


def test_the_owner_sees_it_expired_and_sends_it_again_which_renews_it(client, owner):
    invitation = invite(owner, "cto@example.kr")
    _age(invitation, 40)
    client.force_login(owner)
    page = html(client.get("/portal/company/"))
    listed = page.partition("Invitations not yet accepted")[2].partition("Invite a colleague")[0]
    assert "expired" in listed and "Send it again" in listed
    assert 'name="email" value="cto@example.kr"' in listed

    response = client.post(INVITE, {"email": "cto@example.kr"})

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert not invitation.is_expired()
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=29)
    client.force_login(UserFactory(email="cto@example.kr"))
    assert "Accept the invitation" in html(client.get(link(invitation)))  # the same link


def test_the_invitation_email_says_until_when_it_works(owner):
    invitation = invite(owner, "cto@example.kr")
    message = OutboxMessage.objects.get(kind="member_invitation")
    local = timezone.localtime(invitation.expires_at, dt.timezone(dt.timedelta(hours=9)))
    body = render_message(message).body
    assert f"The link works until {local:%Y-%m-%d %H:%M} Korea time (KST)" in body
