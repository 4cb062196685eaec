import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from incubator import roles
from programs import services
from programs.journey import services as journey_services
from programs.models import MilestoneTemplate
from tests.companies.factories import CompanyFactory, MembershipFactory, staff_in
from tests.programs.factories import CohortFactory

VALID_USCC = "91110108551385082Q"
OTHER_VALID_USCC = "914403001922038216"
WRONG_CHECK_USCC = "91110108551385082A"


@pytest.fixture(autouse=True)
def defaults(request):
    """Roles, milestone templates and service targets (a transactional test may have flushed them).

    Only for tests that use the database; the pure modules' tests need none.
    """
    if request.node.get_closest_marker("django_db") is None:
        return
    if not Group.objects.filter(
        name=roles.CENTER_MANAGER, permissions__codename="override_stage_guard"
    ).exists():
        roles.sync_role_permissions()
    if not MilestoneTemplate.objects.exists():
        services.defaults_ensure()


@pytest.fixture(autouse=True)
def english():
    """Services speak the active language; assertions read the English source."""
    with translation.override("en"):
        yield


@pytest.fixture
def officer():
    return staff_in(roles.PROGRAM_OFFICER, language="zh-hans", full_name="李明 Li Ming")


@pytest.fixture
def manager():
    return staff_in(roles.CENTER_MANAGER, full_name="김학봉 Kim Hak-bong")


@pytest.fixture
def viewer():
    return staff_in(roles.VIEWER)


@pytest.fixture
def coordinator():
    return staff_in(roles.EVENT_COORDINATOR)


@pytest.fixture
def member():
    """The owner of a company, speaking Korean."""
    return MembershipFactory(user__language="ko", company=CompanyFactory()).user


@pytest.fixture
def company(member):
    return member.membership.company


@pytest.fixture
def cohort():
    return CohortFactory()


@pytest.fixture
def enrollment(company, cohort, officer):
    return journey_services.enrollment_create(
        company=company, cohort=cohort, actor=officer, reason="Accepted in the 2026 call."
    )


def enroll_since(company, actor, starts_on):
    """Enrol `company` in a new cohort from the day it started: it has quarters to report."""
    cohort = CohortFactory(starts_on=starts_on)
    return journey_services.enrollment_create(
        company=company, cohort=cohort, actor=actor, reason="Resident.", started_on=starts_on
    )


@pytest.fixture
def old_enrollment(company, officer):
    """The company's enrollment since a cohort that started 400 days ago."""
    return enroll_since(company, officer, timezone.localdate() - dt.timedelta(days=400))


def enroll(company, cohort, actor, reason="Accepted."):
    return journey_services.enrollment_create(
        company=company, cohort=cohort, actor=actor, reason=reason
    )
