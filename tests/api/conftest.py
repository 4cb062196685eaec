"""Fixtures of the partner API tests: partner organisations A and B, a person of A, and
`api_client(scopes)`, a DRF client carrying a key made by the center manager
(tests/api/keys.py).

Calls are answered in English unless a test sends its own Accept-Language (the portal's
default language is Korean); bodies are sent as JSON, as partners send them.
"""

import pytest
from rest_framework.test import APIClient

from tests.api.keys import client_with, key_for
from tests.events.factories import PartnerOrganisationFactory, PartnerPersonFactory


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
def api_client(organisation):
    """Return `make(scopes, organisation=A, **key fields)`: an APIClient sending
    `Authorization: Api-Key <key>` of a key made through the manager's service.

    The client carries `.key` (the key itself), `.key_row` and `.organisation`.
    """

    def make(scopes, organisation=organisation, **fields) -> APIClient:
        scopes = [scopes] if isinstance(scopes, str) else list(scopes)
        key_row, key = key_for(organisation, scopes=scopes, **fields)
        client = client_with(key)
        client.default_format = "json"
        client.key, client.key_row, client.organisation = key, key_row, organisation
        return client

    return make
