"""Data of the security tests: the programs' fixtures and one judge's score sheet."""

import datetime as dt

import pytest
from django.utils import timezone

from programs.journey import services as journey_services
from tests.events.factories import judge_sheet
from tests.programs.conftest import (  # noqa: F401 (fixtures)
    defaults,
    english,
    member,
    officer,
    staff_in,
)
from tests.programs.factories import CohortFactory


def signed_in(client, user):
    client.force_login(user)
    client.cookies["lang"] = "en"
    return client


@pytest.fixture
def sheet():
    """An assignment of a judge to one entry of a round with two criteria (out of 10 and 5)."""
    return judge_sheet()


@pytest.fixture
def enrolled_on(member, officer):  # noqa: F811 (the fixtures imported above)
    """Enroll the member's company 200 days ago, so that a quarter or two are due."""
    started_on = timezone.localdate() - dt.timedelta(days=200)
    journey_services.enrollment_create(
        company=member.membership.company,
        cohort=CohortFactory(),
        actor=officer,
        reason="Accepted.",
        started_on=started_on,
    )
    return started_on
