"""Two officers grant from the same call at the same moment: the budget never goes below zero."""

import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from incubator import roles
from programs.fund import services as fund_services
from programs.models import FundApplication, FundCall
from tests.companies.factories import CompanyFactory
from tests.conftest import need
from tests.programs.conftest import enroll, staff_in
from tests.programs.factories import CohortFactory, FundCallFactory

POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Elsewhere the test skips before touching the database: a transactional test empties
# the tables the migrations filled, which later tests of the same worker may need.
pytestmark = [pytest.mark.services] + (
    [pytest.mark.django_db(transaction=True)] if POSTGRESQL else []
)


def test_two_grants_that_together_exceed_the_budget_one_succeeds():
    need(POSTGRESQL, "PostgreSQL")
    manager, officer = staff_in(roles.CENTER_MANAGER), staff_in(roles.PROGRAM_OFFICER)
    call = FundCallFactory(budget=Decimal("1000000"), remaining=Decimal("1000000"))
    cohort = CohortFactory()
    applications = []
    for _ in range(2):
        enrollment = enroll(CompanyFactory(), cohort, officer)
        applications.append(
            FundApplication.objects.create(
                call=call,
                company=enrollment.company,
                enrollment=enrollment,
                amount_requested=Decimal("600000"),
                purpose="Production line.",
            )
        )
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[int, str] = {}

    def grant(application_id: int) -> None:
        # Each thread has its own database connection, closed at the end.
        translation.activate("en")  # the active language is per thread
        try:
            application = FundApplication.objects.get(pk=application_id)
            barrier.wait()
            fund_services.fund_decide(
                application=application,
                decision=FundApplication.Status.GRANTED,
                amount_granted=Decimal("600000"),
                actor=manager,
                reason="A strong case.",
            )
        except ValidationError as error:
            outcomes[application_id] = "refused: " + " ".join(error.messages)
        except Exception as error:  # an error of another kind fails the test below
            outcomes[application_id] = f"error: {error!r}"
        else:
            outcomes[application_id] = "granted"
        finally:
            connection.close()

    threads = [threading.Thread(target=grant, args=(a.pk,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    results = sorted(outcomes.values())
    assert results[0] == "granted", results
    assert results[1].startswith("refused: ") and "remain" in results[1], results
    assert FundCall.objects.get().remaining == Decimal("400000")
    statuses = sorted(FundApplication.objects.values_list("status", flat=True))
    assert statuses == ["granted", "submitted"]
