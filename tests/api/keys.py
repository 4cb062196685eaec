"""Keys and clients of the partner API for the tests: made through the service, as a manager."""

from rest_framework.test import APIClient

from companies.apikeys.models import Scope
from companies.apikeys.services import api_key_create
from incubator import roles
from tests.companies.factories import staff_in

EVERY_SCOPE = tuple(Scope.values)


def a_manager():
    return staff_in(roles.CENTER_MANAGER)


def key_for(organisation, scopes=EVERY_SCOPE, **fields) -> tuple:
    """Return (key row, the key itself) of a new key of `organisation`."""
    return api_key_create(
        actor=a_manager(), organisation=organisation, name="tests", scopes=scopes, **fields
    )


def client_with(key: str | None, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client
