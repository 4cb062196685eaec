"""One's own password changed in the portal, and the e-mail that says it changed."""

import pytest
from django.test import Client

from incubator.account_services import (
    account_password_reset_complete,
    account_password_set_by_staff,
)
from incubator.models import AuditRecord, OutboxMessage, User
from incubator.services import render_message

pytestmark = pytest.mark.django_db
OLD, NEW = "orangsimhan-2020!", "a-new-one-for-2027"


@pytest.fixture
def founder():
    return User.objects.create_user(
        email="founder@example.kr",
        password=OLD,
        full_name="남정화",
        language="ko",
        time_zone="Asia/Seoul",
        email_verified=True,
    )


def _signed_in(user) -> Client:
    client = Client()
    assert client.post("/portal/sign-in/", {"username": user.email, "password": OLD}).status_code
    return client


def test_a_founder_changes_the_password_stays_signed_in_and_is_told_by_e_mail(founder):
    here, elsewhere = _signed_in(founder), _signed_in(founder)
    assert "/portal/password-change/" in here.get("/portal/preferences/").content.decode()

    response = here.post(
        "/portal/password-change/",
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/portal/preferences/"
    assert "비밀번호가 변경되었습니다" in response.content.decode()
    founder.refresh_from_db()
    assert founder.check_password(NEW)
    # This browser stays signed in; another one signed in with the old password is out.
    assert here.get("/portal/preferences/").status_code == 200
    assert elsewhere.get("/portal/preferences/").status_code == 302
    assert AuditRecord.objects.filter(verb="user.password_change", actor=founder).count() == 1

    message = OutboxMessage.objects.get(kind="password_changed")
    mail = render_message(message)
    assert message.recipient == founder.email and "비밀번호" in mail.subject
    # When, in the person's zone with the center's beside it, and where to take it back.
    assert "KST" in mail.body and "CST" in mail.body
    assert "/portal/password-reset/" in mail.body
    assert NEW not in str(message.payload) and NEW not in mail.body


def test_a_wrong_current_password_changes_nothing_and_sends_nothing(founder):
    client = _signed_in(founder)
    response = client.post(
        "/portal/password-change/",
        {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200 and response.context["form"].errors["old_password"]
    founder.refresh_from_db()
    assert founder.check_password(OLD)
    assert not OutboxMessage.objects.filter(kind="password_changed").exists()


def test_a_password_set_by_the_staff_or_reset_by_link_is_told_too(founder, django_user_model):
    manager = django_user_model.objects.create_superuser(email="m@center.example", password="x")
    account_password_set_by_staff(user=founder, actor=manager, password=NEW)
    account_password_set_by_staff(user=founder, actor=manager, password=None)
    account_password_reset_complete(user=founder)
    bodies = [
        render_message(message).body
        for message in OutboxMessage.objects.filter(kind="password_changed").order_by("pk")
    ]
    assert len(bodies) == 3
    # The staff's two say the center did it, each its own; the reset reads as one's own.
    assert "센터 직원이" in bodies[0] and "센터 직원이" in bodies[1] and bodies[0] != bodies[1]
    assert "센터 직원이" not in bodies[2] and "비밀번호가 변경되었습니다" in bodies[2]


def test_signing_out_says_so_on_the_page_it_lands_on(founder):
    client = _signed_in(founder)
    response = client.post("/portal/sign-out/", follow=True, HTTP_ACCEPT_LANGUAGE="ko")
    assert response.redirect_chain[-1][0] == "/"
    assert "로그아웃했습니다" in response.content.decode()
    assert client.get("/portal/preferences/").status_code == 302


def test_the_footer_names_the_readers_zone_without_claiming_every_time_is_in_it(founder):
    # It said "times are shown in CST" on pages whose Seoul events come first in KST.
    client = _signed_in(founder)
    footer = client.get("/portal/preferences/").content.decode()
    assert "모든 시간에는 시간대가 함께 표시됩니다. 내 시간대: 한국 시간(KST)." in footer
    assert "기준으로 표시됩니다" not in footer
