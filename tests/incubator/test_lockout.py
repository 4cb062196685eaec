"""Guessing passwords locks the account and the address, on both sign-in pages.

django-axes stays on in every test here: the lockout is what they are about.
"""

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import Group
from django.db.models import F
from django.utils import timezone

from incubator import roles
from incubator.models import AuditRecord, OutboxMessage
from incubator.services import render_message
from tests.companies.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PORTAL, ADMIN = "/portal/sign-in/", "/admin/login/"
LOCKED = {
    "ko": "로그인에 여러 번 실패하여 이 계정이 30분 동안 잠겼습니다.",
    "zh-hans": "登录失败次数过多，此账户已被锁定 30 分钟。",
    "en": "Too many sign-ins failed, so this account is locked for 30 minutes.",
}


def sign_in(client, email, password=PASSWORD, page=PORTAL, address="198.51.100.7", **headers):
    return client.post(
        page, {"username": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def guess(client, email, times=10, **kwargs):
    for _ in range(times):
        sign_in(client, email, "not-the-password", **kwargs)


def person(page):
    # The admin lets only staff in; the portal anyone with a confirmed address.
    return StaffFactory() if page == ADMIN else UserFactory()


@pytest.mark.parametrize("page", [PORTAL, ADMIN])
@pytest.mark.parametrize("language", ["ko", "zh-hans", "en"])
def test_ten_wrong_passwords_lock_the_account_with_a_message_in_the_visitor_language(
    client, page, language
):
    user = person(page)
    client.cookies["lang"] = language
    answers = [sign_in(client, user.email, "not-the-password", page).status_code for _ in range(10)]
    # Four wrong answers show the form again; the fifth locks.
    assert answers == [200] * 4 + [429] * 6

    response = sign_in(client, user.email, page=page)
    assert response.status_code == 429
    assert not signed_in(client)
    html = response.content.decode()
    assert f'<html lang="{language}">' in html  # the portal's layout
    assert LOCKED[language] in html
    assert 'href="/portal/password-reset/"' in html
    assert response["Retry-After"] == "1800"


def test_a_different_account_from_another_address_is_unaffected(client):
    locked, other = UserFactory(), UserFactory()
    guess(client, locked.email, address="198.51.100.7")
    assert sign_in(client, other.email, address="203.0.113.20").status_code == 302
    assert signed_in(client)


def test_the_account_locks_whatever_the_address(client):
    user = UserFactory()
    for n in range(5):
        sign_in(client, user.email, "not-the-password", address=f"198.51.100.{n + 1}")
    assert sign_in(client, user.email, address="203.0.113.20").status_code == 429


def test_the_address_locks_whatever_the_account(client):
    user = UserFactory()
    for n in range(5):
        sign_in(client, f"nobody{n}@example.kr", "not-the-password", address="198.51.100.7")
    assert sign_in(client, user.email, address="198.51.100.7").status_code == 429
    assert sign_in(client, user.email, address="203.0.113.20").status_code == 302


def test_capitals_in_the_address_count_against_the_same_account(client):
    user = UserFactory(email="founder@example.kr")
    for n, spelling in enumerate(
        ["Founder@example.kr", "FOUNDER@EXAMPLE.KR", "founder@Example.KR"]
    ):
        sign_in(client, spelling, "not-the-password", address=f"198.51.100.{n + 1}")
    sign_in(client, user.email, "not-the-password", address="198.51.100.9")
    sign_in(client, user.email, "not-the-password", address="198.51.100.10")
    assert sign_in(client, user.email, address="203.0.113.20").status_code == 429


@pytest.mark.parametrize("page", [PORTAL, ADMIN])
def test_guesses_in_any_case_lock_the_account_against_the_right_password_in_any_case(client, page):
    user = StaffFactory(email="minjun.kim@haneul-bio.example")
    # The right password signs in whatever the case typed (a phone capitalises the first
    # letter); wrong ones count against the one account, in lower case, whatever the case.
    assert sign_in(client, "Minjun.kim@haneul-bio.example", page=page).status_code == 302
    client.logout()
    spellings = ["Minjun.kim@haneul-bio.example", "MINJUN.KIM@HANEUL-BIO.EXAMPLE", user.email]
    for n, spelling in enumerate(spellings + spellings[:2]):
        sign_in(client, spelling, "not-the-password", page, address=f"198.51.100.{n + 1}")
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {user.email}
    for spelling in spellings:
        assert sign_in(client, spelling, page=page, address="203.0.113.20").status_code == 429
    assert not signed_in(client)


def test_signing_in_to_an_own_account_between_guesses_does_not_reset_the_count(client):
    victim, guesser = UserFactory(), UserFactory()
    for _ in range(4):
        guess(client, victim.email, times=1)
        assert sign_in(client, guesser.email).status_code == 302
        client.logout()
    guess(client, victim.email, times=1)
    assert sign_in(client, victim.email, address="203.0.113.20").status_code == 429


def test_the_manager_lifts_the_lock_in_the_admin(client):
    user = UserFactory()
    guess(client, user.email)
    assert sign_in(client, user.email).status_code == 429

    roles.sync_role_permissions()
    manager = StaffFactory()
    manager.groups.add(Group.objects.get(name=roles.CENTER_MANAGER))
    client.force_login(manager)
    changelist = client.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200 and user.email in changelist.content.decode()
    assert client.get("/admin/axes/accessfailurelog/").status_code == 200
    held = list(AccessAttempt.objects.values("username", "ip_address", "failures_since_start"))
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    lifted = AuditRecord.objects.filter(verb="sign_in_lockout.delete")
    assert {record.actor for record in lifted} == {manager}
    assert sorted(record.changes["failures"] for record in lifted) == sorted(
        attempt["failures_since_start"] for attempt in held
    )
    assert {record.changes["username"] for record in lifted} == {user.email}
    # The record of the five guesses that locked it stays, and no role deletes or edits it;
    # the tries refused while it was locked (the right password among them) are no failures.
    assert AccessFailureLog.objects.filter(username=user.email).count() == 5
    failure = AccessFailureLog.objects.filter(username=user.email).first()
    for url in (
        f"/admin/axes/accessfailurelog/{failure.pk}/delete/",
        f"/admin/axes/accessfailurelog/{failure.pk}/change/",
    ):
        assert client.post(url, {"post": "yes"}).status_code == 403, url
    assert AccessFailureLog.objects.filter(username=user.email).count() == 5
    client.logout()

    assert sign_in(client, user.email).status_code == 302
    assert signed_in(client)


def test_the_lock_ends_after_the_cool_off(client):
    user = UserFactory()
    guess(client, user.email)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=29))
    assert sign_in(client, user.email).status_code == 429

    # That refused try did not push the end back: the 30 minutes run from the fifth failure.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=2))
    assert sign_in(client, user.email).status_code == 302
    assert signed_in(client)


def test_a_locked_person_retrying_does_not_lock_the_office_address(client):
    """Behind one address (the center's NAT, a proxy), a locked colleague who keeps trying
    the right password must not lock everyone else out."""
    judge, colleague = UserFactory(), UserFactory()
    guess(client, judge.email, times=5, address="198.51.100.3")  # someone guessed: locked
    office = "203.0.113.4"
    for _ in range(5):
        assert sign_in(client, judge.email, address=office).status_code == 429
    assert not AccessAttempt.objects.filter(ip_address=office).exists()
    assert sign_in(client, colleague.email, address=office).status_code == 302
    client.logout()

    # Nor does a locked address's try count against the account it names.
    guess(client, "nobody@example.kr", times=5, address="192.0.2.9")
    for _ in range(5):
        assert sign_in(client, colleague.email, "typo", address="192.0.2.9").status_code == 429
    assert sign_in(client, colleague.email, address=office).status_code == 302


def test_cleaning_up_expired_attempts_keeps_the_live_ones_and_says_how_many(client):
    live, old = UserFactory(), UserFactory()
    guess(client, live.email, times=2)
    guess(client, old.email, times=2)
    roles.sync_role_permissions()
    manager = StaffFactory()
    manager.groups.add(Group.objects.get(name=roles.CENTER_MANAGER))
    client.force_login(manager)  # (django-axes cleans up at each sign-in)
    AccessAttempt.objects.filter(username=old.email).update(
        attempt_time=timezone.now() - dt.timedelta(minutes=31)
    )
    client.cookies["lang"] = "en"
    page = client.post(
        "/admin/axes/accessattempt/",
        {
            "action": "cleanup_expired_attempts",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
        follow=True,
    ).content.decode()
    assert "1 expired attempt cleaned up." in page
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [live.email]
    record = AuditRecord.objects.get(verb="sign_in_lockout.clean_expired")
    assert (record.actor, record.changes) == (manager, {"count": 1})


@pytest.mark.parametrize("role", [roles.PROGRAM_OFFICER, roles.EVENT_COORDINATOR, roles.VIEWER])
def test_only_the_manager_sees_the_lockouts(client, role):
    roles.sync_role_permissions()
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name=role))
    client.force_login(staff)
    for url in (
        "/admin/axes/accessattempt/",
        "/admin/axes/accessfailurelog/",
        "/admin/axes/accesslog/",
    ):
        assert client.get(url).status_code == 403, url
    assert "/admin/axes/" not in client.get("/admin/").content.decode()


def test_a_password_reset_lifts_the_lock_of_the_account(client, settings):
    settings.SITE_URL = "https://portal.example"
    user = UserFactory()
    guess(client, user.email)
    client.post("/portal/password-reset/", {"email": user.email})
    body = render_message(OutboxMessage.objects.get(kind="password_reset")).body
    path = re.search(r"https://portal\.example(/portal/password-reset/\S+/)", body).group(1)
    form = client.get(path, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-one-for-2026", "new_password2": "a-new-one-for-2026"},
    )
    assert sign_in(client, user.email, "a-new-one-for-2026").status_code == 302
    record = AuditRecord.objects.get(verb="user.password_reset")
    assert (record.actor, record.object_id, record.changes) == (user, str(user.pk), {})


def test_behind_a_proxy_the_visitor_address_counts_not_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"address": "10.0.0.2"}
    user = UserFactory()
    for n in range(5):
        sign_in(client, f"nobody{n}@example.kr", "x", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert (
        sign_in(client, user.email, HTTP_X_FORWARDED_FOR="203.0.113.20", **proxy).status_code == 302
    )
    client.logout()
    # What the visitor writes in front of the proxy's entry changes nothing.
    forged = "192.0.2.1, 198.51.100.7"
    assert sign_in(client, user.email, HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 429
