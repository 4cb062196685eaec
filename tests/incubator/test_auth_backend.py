"""The user of each request comes with what the header and the policies ask of it."""

import pytest
from django.urls import reverse

from companies import selectors
from incubator.auth_backend import UserBackend
from tests.companies.factories import MembershipFactory, UserFactory

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
