"""Schemathesis against the partner API in-process: no 5xx, every answer as the schema says.

Each operation gets generated requests (valid and invalid) with a key that holds every
scope, over a small world: a company shown to partners, a published event, a partner.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from incubator.wsgi import application
from tests.api.keys import key_for
from tests.events.factories import PartnerOrganisationFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema():
    # Generated here, not fetched: collection runs before the test database exists. (The
    # lazy schemathesis.pytest.from_fixture does not run on pytest 9.)
    from incubator.api.schema import PublicSchemaGenerator

    loaded = schemathesis.openapi.from_dict(PublicSchemaGenerator().get_schema(public=True))
    loaded.app = application
    return loaded


@pytest.fixture
def connection_kept():
    """Keep the test's database connection across the in-process calls.

    Django closes the connection when a request finishes; its test Client stops that,
    but schemathesis calls the WSGI application directly, and on PostgreSQL the test's
    transaction would be closed under it.
    """
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def key(db, connection_kept):
    return key_for(PartnerOrganisationFactory())[1]


schema = _schema()


@schema.parametrize()
@settings(
    max_examples=25,
    # The same examples on every run: CI fails for a reason one can replay, not by luck. A
    # developer explores further by dropping derandomize or raising max_examples locally.
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_every_operation_answers_as_its_schema_says(case, key, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"partner_key": "100000/minute"},
    }
    case.call_and_validate(headers={"Authorization": f"Api-Key {key}"}, checks=CHECKS)
