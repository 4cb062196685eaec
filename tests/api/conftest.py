"""Fixtures of the partner API tests: partner organisations A and B, a person of A, and
`api_client(scopes)`, a DRF client carrying a key made by the center manager.

Calls are answered in English unless a test sends its own Accept-Language (the portal's
default language is Korean).
"""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from companies.apikeys.services import api_key_create
from incubator import roles
from tests.companies.factories import StaffFactory
from tests.events.factories import PartnerOrganisationFactory, PartnerPersonFactory


@pytest.fixture
def key_manager(db):
    """A center manager: the one who makes partners' keys."""
    if not Group.objects.filter(name=roles.CENTER_MANAGER, permissions__isnull=False).exists():
        roles.sync_role_permissions()  # a transactional test may have emptied the groups
    user = StaffFactory(full_name="김학봉 Kim Hak-bong")
    user.groups.add(Group.objects.get(name=roles.CENTER_MANAGER))
    return user


@pytest.fixture
def organisation(db):
    """Partner A: the organisation of the key `api_client` makes by default."""
    return PartnerOrganisationFactory(name_en="Heilongjiang Capital A")


@pytest.fixture
def other_organisation(db):
    """Partner B, whose objects partner A's key must never reach."""
    return PartnerOrganisationFactory(name_en="Harbin Ventures B")


@pytest.fixture
def person(organisation):
    """A person of partner A with a portal account, speaking Chinese and English."""
    return PartnerPersonFactory(organisation=organisation)


@pytest.fixture
def api_client(key_manager, organisation):
    """Return `make(scopes, organisation=A, **key fields)`: an APIClient sending
    `Authorization: Api-Key <key>` of a key made through the manager's service.

    The client carries `.key` (the key itself), `.key_row` and `.organisation`.
    """

    def make(scopes, organisation=organisation, name="CRM sync", **fields) -> APIClient:
        key_row, key = api_key_create(
            actor=key_manager,
            organisation=organisation,
            name=name,
            scopes=[scopes] if isinstance(scopes, str) else list(scopes),
            **fields,
        )
        client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}", HTTP_ACCEPT_LANGUAGE="en")
        client.default_format = "json"  # as partners send their bodies
        client.key, client.key_row, client.organisation = key, key_row, organisation
        return client

    return make
