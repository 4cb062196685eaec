"""Data of the security tests: the programs' fixtures and one judge's score sheet."""

import datetime as dt

import pytest
from django.utils import timezone

from events.judging import services as judging
from events.models import CompetitionEntry, CompetitionRound, Event, JudgingCriterion
from incubator import roles
from programs.journey import services as journey_services
from tests.companies.factories import MembershipFactory, UserFactory
from tests.events.factories import EventFactory
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
    event = EventFactory(kind=Event.Kind.COMPETITION, meeting_tables=0, interpreters_per_slot=0)
    round_ = CompetitionRound.objects.create(event=event, name_en="Final")
    criteria = [
        JudgingCriterion.objects.create(round=round_, name_en="Technology", order=1),
        JudgingCriterion.objects.create(round=round_, name_en="Market fit", max_score=5, order=2),
    ]
    entry = CompetitionEntry.objects.create(
        round=round_, company=MembershipFactory().company, title="Alpha robot"
    )
    # Judges are assigned by an event coordinator (the policy of judge_assign).
    coordinator = staff_in(roles.EVENT_COORDINATOR)
    assignment = judging.judge_assign(entry=entry, judge=UserFactory(), actor=coordinator)
    return assignment, criteria


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
