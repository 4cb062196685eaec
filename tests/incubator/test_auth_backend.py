"""The user of each request comes with what the header and the policies ask of it."""

import pytest
from django.urls import reverse

from companies import selectors
from incubator.auth_backend import UserBackend
from tests.companies.factories import PASSWORD, MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_founder_comes_with_the_membership_and_the_company_in_one_query(
    django_assert_num_queries,
):
    membership = MembershipFactory()
    with django_assert_num_queries(1):
        user = UserBackend().get_user(membership.user.pk)
        assert selectors.company_for_user(user) == membership.company
        assert not hasattr(user, "partner_person")


def test_an_inactive_or_unknown_account_is_nobody():
    assert UserBackend().get_user(UserFactory(is_active=False).pk) is None
    assert UserBackend().get_user(10**9) is None


def test_a_founder_signed_in_by_the_backend_sees_the_company_page(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.get(reverse("programs:dashboard"))
    assert response.status_code == 200
    assert membership.company.name_en in response.content.decode()


@pytest.mark.parametrize("page", ["/portal/sign-in/", "/admin/login/"])
@pytest.mark.parametrize(
    "typed", ["Minjun.kim@haneul-bio.example", "MINJUN.KIM@HANEUL-BIO.EXAMPLE"]
)
def test_the_address_signs_in_whatever_the_case_it_is_typed_in(client, page, typed):
    # The admin lets only staff in; the portal anyone with a confirmed address.
    factory = StaffFactory if page == "/admin/login/" else UserFactory
    user = factory(email="minjun.kim@haneul-bio.example")
    response = client.post(page, {"username": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_is_refused_whatever_the_case_of_the_address(client):
    UserFactory(email="minjun.kim@haneul-bio.example")
    response = client.post(
        "/portal/sign-in/", {"username": "Minjun.kim@haneul-bio.example", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_two_accounts_differing_only_by_case_sign_in_as_typed_or_not_at_all():
    lower = UserFactory(email="minjun.kim@haneul-bio.example")
    capital = UserFactory(email="Minjun.Kim@haneul-bio.example")
    backend = UserBackend()
    assert backend.authenticate(None, username=lower.email, password=PASSWORD) == lower
    assert backend.authenticate(None, username=capital.email, password=PASSWORD) == capital
    assert (
        backend.authenticate(None, username="MINJUN.KIM@haneul-bio.example", password=PASSWORD)
        is None
    )
