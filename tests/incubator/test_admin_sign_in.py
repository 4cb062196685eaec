"""The admin's sign-in says where the portal's people sign in, to everyone and whatever was
typed: a founder's right password and a stranger's wrong one read the same page, so the page
tells nobody which addresses have an account."""

import re

import pytest

from tests.companies.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db

HINT = "Startups, partners and judges sign in to the portal."


def sign_in(client, email, password):
    client.cookies["lang"] = "en"
    response = client.post("/admin/login/", {"username": email, "password": password})
    assert response.status_code == 200
    # The page without its CSRF token (new at each request) nor the address typed.
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return page.replace(email, "ADDRESS")


def test_the_admins_sign_in_points_the_portals_people_to_the_portal(client):
    client.cookies["lang"] = "en"
    page = client.get("/admin/login/").content.decode()
    assert HINT in page and 'href="/portal/sign-in/"' in page
    assert page.index('id="login-form"') < page.index('id="portal-sign-in-hint"')


def test_a_founders_right_password_and_a_wrong_one_read_the_same_page(client):
    founder = MembershipFactory().user
    right = sign_in(client, founder.email, PASSWORD)
    wrong = sign_in(client, founder.email, "not-the-password")
    unknown = sign_in(client, "nobody@example.kr", PASSWORD)
    for page in (right, wrong, unknown):
        assert HINT in page and 'href="/portal/sign-in/"' in page
    # The same page, whether the account exists and the password was right or not.
    assert right == wrong == unknown
    assert "_auth_user_id" not in client.session
