"""The same POST sent several times at once (a client retrying a call that timed out): one
is answered as the one that made the row, the others as its repeats.

Only on PostgreSQL (SQLite serialises writers, so there is nothing to race). In a file of its
own: a file of transactional tests only is run after the others.
"""

import threading

import pytest
from django.conf import settings
from django.utils import timezone

from companies.exchange.models import PartnerInterest
from companies.webhooks.models import WebhookEndpoint
from programs.models import Enrollment
from tests.api.keys import client_with, key_for
from tests.companies.factories import CompanyFactory
from tests.conftest import need
from tests.events.factories import PartnerPersonFactory
from tests.programs.factories import CohortFactory

POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]
pytestmark = [pytest.mark.services] + (
    [pytest.mark.django_db(transaction=True)] if POSTGRESQL else []
)
CALLS = 6


def _at_once(key: str, url: str, body: dict) -> list:
    """POST `body` to `url` from CALLS threads released together; return the answers."""
    barrier = threading.Barrier(CALLS, timeout=10)
    answers = []

    def call():
        from django.db import connection

        try:
            client = client_with(key)
            barrier.wait()
            answers.append(client.post(url, body, format="json"))
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(CALLS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(answers) == CALLS
    return answers


def test_interests_marked_at_once_make_one_row_answered_201_once_and_200_after():
    need(POSTGRESQL, "PostgreSQL")
    person = PartnerPersonFactory()
    company = CompanyFactory(consent_to_partners=True)
    Enrollment.objects.create(
        company=company, cohort=CohortFactory(), stage="incubation", started_on=timezone.localdate()
    )
    key = key_for(person.organisation)[1]

    answers = _at_once(
        key, "/api/v1/interests/", {"company": company.pk, "person": person.pk, "note": "Hi"}
    )

    # Before, each caller read "not marked yet" outside the lock: 201 for up to all six.
    assert sorted(answer.status_code for answer in answers) == [200] * (CALLS - 1) + [201]
    assert PartnerInterest.objects.count() == 1
    assert {answer.json()["id"] for answer in answers} == {PartnerInterest.objects.get().pk}


def test_an_endpoint_registered_at_once_is_made_once_and_the_repeats_are_409():
    need(POSTGRESQL, "PostgreSQL")
    person = PartnerPersonFactory()
    key = key_for(person.organisation, scopes=["webhooks:manage"])[1]
    body = {"url": "https://127.0.0.1:8443/race", "event_types": ["meeting.moved"]}

    answers = _at_once(key, "/api/v1/webhooks/", body)

    assert sorted(answer.status_code for answer in answers) == [201] + [409] * (CALLS - 1)
    assert WebhookEndpoint.objects.count() == 1
    endpoint = WebhookEndpoint.objects.get()
    refused = next(answer.json() for answer in answers if answer.status_code == 409)
    assert refused["reason"] == "url_taken"
    assert f"endpoint {endpoint.pk}" in refused["message"]
