import re

import pytest

from incubator.models import AuditRecord, OutboxMessage, User
from incubator.services import render_message

pytestmark = pytest.mark.django_db(transaction=True)

SIGN_UP = {
    "email": "Founder@Example.KR",
    "full_name": "남정화",
    "language": "ko",
    "time_zone": "Asia/Seoul",
    "password1": "orangsimhan-2020!",
    "password2": "orangsimhan-2020!",
}


def test_sign_up_sends_a_link_that_confirms_the_address_and_signs_in(client, mailoutbox, settings):
    settings.SITE_URL = "http://testserver"
    response = client.post("/portal/sign-up/", SIGN_UP)
    assert response.status_code == 200
    user = User.objects.get(email="founder@example.kr")
    assert not user.email_verified
    response = client.post(
        "/portal/sign-in/", {"username": "founder@example.kr", "password": SIGN_UP["password1"]}
    )
    assert not response.wsgi_request.user.is_authenticated  # not before the address is confirmed
    assert 'class="form-errors"' in response.content.decode()

    message = OutboxMessage.objects.get(kind="verify_email")
    assert message.status == OutboxMessage.Status.SENT and len(mailoutbox) == 1
    link = re.search(r"http://testserver(/portal/verify/\S+/)", mailoutbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.wsgi_request.user.is_authenticated
    user.refresh_from_db()
    assert user.email_verified
    # Each step on the record, with nothing of the password or the link.
    records = AuditRecord.objects.filter(object_id=str(user.pk)).order_by("pk")
    assert [(r.actor, r.verb, r.changes) for r in records] == [
        (user, "user.signup", {"language": "ko", "time_zone": "Asia/Seoul"}),
        (user, "user.verify_email", {}),
    ]


@pytest.mark.parametrize("elsewhere", ["https://evil.example/portal/", "//evil.example/"])
def test_a_next_to_another_site_is_ignored_through_sign_up_and_confirmation(
    client, mailoutbox, settings, elsewhere
):
    settings.SITE_URL = "http://testserver"
    query = f"/portal/sign-up/?next={elsewhere}"
    # The form keeps no such destination (the language switcher's own "next" aside).
    assert 'type="hidden" name="next"' not in client.get(query).content.decode()
    client.post(query, {**SIGN_UP, "next": elsewhere})
    # Nor does a cookie of someone else's making send the new account there.
    client.cookies["sign_up_next"] = elsewhere
    link = re.search(r"http://testserver(/portal/verify/\S+/)", mailoutbox[0].body).group(1)

    response = client.get(link)

    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert response.wsgi_request.user.is_authenticated


def test_sign_up_errors_stand_beside_the_field_and_keep_the_answers(client):
    response = client.post("/portal/sign-up/", {**SIGN_UP, "password2": "different"})
    html = response.content.decode()
    assert 'id="id_password2_error"' in html
    assert 'value="남정화"' in html
    assert not User.objects.exists()


def page_without(response, email):
    """Return the page as a visitor compares it: without the address they typed."""
    html = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_sign_up_with_a_known_address_answers_as_for_a_new_one_and_tells_the_owner(
    client, mailoutbox, settings
):
    settings.SITE_URL = "https://portal.example"
    owner = User.objects.create_user(
        email="founder@example.kr",
        password="the-owners-own-2019",
        full_name="Owner",
        language="zh-hans",
        email_verified=True,
    )
    new = client.post("/portal/sign-up/", {**SIGN_UP, "email": "someone.new@example.kr"})
    known = client.post("/portal/sign-up/", {**SIGN_UP, "email": "FOUNDER@example.kr"})

    assert known.status_code == new.status_code == 200
    assert "accounts/sign_up_done.html" in [t.name for t in known.templates]
    assert page_without(known, "founder@example.kr") == page_without(new, "someone.new@example.kr")
    # Nothing of the account changed, and no second one exists.
    assert User.objects.filter(email__iexact="founder@example.kr").count() == 1
    owner.refresh_from_db()
    assert owner.check_password("the-owners-own-2019")
    assert (owner.full_name, owner.language) == ("Owner", "zh-hans")

    told = OutboxMessage.objects.get(kind="sign_up_attempted")
    assert told.recipient == "founder@example.kr" and told.language == "zh-hans"
    assert not OutboxMessage.objects.filter(kind="verify_email", recipient=owner.email)
    mail = next(m for m in mailoutbox if m.to == ["founder@example.kr"])
    assert "https://portal.example/portal/sign-in/" in mail.body
    assert "https://portal.example/portal/password-reset/" in mail.body
    assert "/portal/verify/" not in mail.body and "/portal/password-reset/M" not in mail.body

    # Trying again within the hour sends nothing more.
    client.post("/portal/sign-up/", {**SIGN_UP, "email": "founder@example.kr"})
    assert OutboxMessage.objects.filter(kind="sign_up_attempted").count() == 1
    assert User.objects.count() == 2


def test_the_owner_of_a_known_address_reads_the_warning_in_their_language(client):
    User.objects.create_user(email="founder@example.kr", language="ko", email_verified=True)
    client.post("/portal/sign-up/", {**SIGN_UP, "language": "en"})
    message = OutboxMessage.objects.get(kind="sign_up_attempted")
    assert message.language == "ko"
    email = render_message(message)
    assert email.to == ["founder@example.kr"]
    assert email.subject == "누군가 회원님의 이메일 주소로 계정을 만들려고 했습니다"


def test_a_forged_confirmation_link_is_refused(client):
    response = client.get("/portal/verify/MQ/forged-token/")
    assert response.status_code == 400


def test_an_owner_who_never_confirmed_gets_in_by_choosing_a_new_password(client, settings):
    # Signing up again no longer sends a confirmation link; the reset link of
    # the e-mail the owner gets proves the address just as well.
    settings.SITE_URL = "http://testserver"
    client.post("/portal/sign-up/", SIGN_UP)
    client.post("/portal/sign-up/", SIGN_UP)
    user = User.objects.get(email="founder@example.kr")
    assert not user.email_verified
    client.post("/portal/password-reset/", {"email": user.email})
    body = render_message(OutboxMessage.objects.get(kind="password_reset")).body
    link = re.search(r"http://testserver(/portal/password-reset/\S+/)", body).group(1)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-one-for-2026", "new_password2": "a-new-one-for-2026"},
    )
    user.refresh_from_db()
    assert user.email_verified
    response = client.post(
        "/portal/sign-in/", {"username": user.email, "password": "a-new-one-for-2026"}
    )
    assert response.status_code == 302


def test_saving_another_language_speaks_it_from_the_next_page_on(client):
    user = User.objects.create_user(
        email="founder@example.kr",
        password=SIGN_UP["password1"],
        full_name="남정화",
        language="ko",
        email_verified=True,
    )
    client.post("/portal/sign-in/", {"username": user.email, "password": SIGN_UP["password1"]})
    assert client.cookies["lang"].value == "ko"

    saved = client.post(
        "/portal/preferences/",
        {"full_name": "남정화", "language": "zh-hans", "time_zone": "Asia/Seoul"},
        follow=True,
    )
    html = saved.content.decode()
    assert '<html lang="zh-hans">' in html and "<h1>个人设置</h1>" in html
    assert "设置已保存。" in html and "설정이 저장되었습니다." not in html
    assert client.cookies["lang"].value == "zh-hans"
    user.refresh_from_db()
    assert user.language == "zh-hans"
    assert '<html lang="zh-hans">' in client.get("/portal/", follow=True).content.decode()


def test_a_password_reset_finds_the_account_whatever_the_case_of_the_address(client):
    user = User.objects.create_user(
        email="minjun.kim@haneul-bio.example", password="orangsimhan-2020!", email_verified=True
    )
    client.post("/portal/password-reset/", {"email": "Minjun.Kim@Haneul-Bio.example"})
    message = OutboxMessage.objects.get(kind="password_reset")
    assert message.recipient == user.email


def test_the_name_cannot_be_cleared_in_the_preferences(client):
    # The members list, badges and e-mails name the person: empty, they showed the address.
    user = User.objects.create_user(
        email="founder@example.kr", password="orangsimhan-2020!", full_name="남정화"
    )
    client.force_login(user)
    response = client.post(
        "/portal/preferences/", {"full_name": " ", "language": "ko", "time_zone": "Asia/Seoul"}
    )
    assert response.status_code == 200 and response.context["form"].errors["full_name"]
    user.refresh_from_db()
    assert user.full_name == "남정화"


@pytest.mark.parametrize(
    "language, seoul, shanghai",
    [
        ("ko", "한국 시간(KST)", "중국 시간(CST)"),
        ("zh-hans", "韩国时间（KST）", "北京时间（CST）"),
        ("en", "Korea time (KST)", "China time (CST)"),
    ],
)
def test_the_time_zones_are_offered_by_their_names_in_the_pages_language(
    client, language, seoul, shanghai
):
    client.cookies["lang"] = language
    user = User.objects.create_user(
        email="founder@example.kr", password="orangsimhan-2020!", language=language
    )
    pages = [client.get("/portal/sign-up/").content.decode()]
    client.force_login(user)
    pages.append(client.get("/portal/preferences/").content.decode())
    for page in pages:
        assert '<option value="Asia/Seoul"' in page
        assert f">{seoul}</option>" in page and f">{shanghai}</option>" in page
        assert ">Asia/Seoul</option>" not in page


def test_a_used_confirmation_link_opened_signed_in_says_confirmed_already(
    client, mailoutbox, settings
):
    settings.SITE_URL = "http://testserver"
    client.post("/portal/sign-up/", SIGN_UP)
    link = re.search(r"http://testserver(/portal/verify/\S+/)", mailoutbox[0].body).group(1)
    assert client.get(link).status_code == 302  # confirmed, and signed in

    response = client.get(link)

    assert response.status_code == 200
    page = response.content.decode()
    assert "이메일 주소가 이미 인증되었습니다" in page  # in the account's language
    assert 'href="/portal/company/"' in page  # a founder's home
    assert "Sign in</a>" not in page.split("<main")[1]
    # Signed out, the same link still says it does not work.
    client.logout()
    assert client.get(link).status_code == 400
