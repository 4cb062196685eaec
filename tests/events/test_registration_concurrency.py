"""Two people taking the last place at once: the event row lock gives one the place and the
other the first waitlist position.

Only on PostgreSQL (SQLite serialises writers, so there is nothing to race). In a file of its
own: a transactional test empties the tables the migrations filled (role groups, the
screening policy), and a file of transactional tests only is run after the others.
"""

import threading

import pytest
from django.conf import settings

from events import services
from events.models import Registration
from tests.companies.factories import MembershipFactory, UserFactory
from tests.conftest import need
from tests.events.factories import EventFactory


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_place_at_once_get_one_place_and_one_waitlist_spot():
    # Row locks are a PostgreSQL matter (SQLite serialises writers): skipped on a developer's
    # SQLite, a failure under REQUIRE_SERVICES=1.
    need("postgresql" in settings.DATABASES["default"]["ENGINE"], "PostgreSQL")
    event = EventFactory(capacity=1)
    people = [MembershipFactory(user=UserFactory()).user for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def register(user):
        from django.db import connection

        try:
            barrier.wait()
            services.registration_create(event=event, user=user)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    registrations = Registration.objects.order_by("waitlist_position")
    assert sorted(r.status for r in registrations) == ["registered", "waitlisted"]
    assert [r.waitlist_position for r in registrations if r.status == "waitlisted"] == [1]
