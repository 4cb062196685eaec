"""Companies per stage count companies, not enrollments."""

import datetime as dt
import zoneinfo

import pytest

from incubator.reports.period import Period
from programs.models import Enrollment, StageTransition
from programs.reports import stages_at_end
from tests.companies.factories import CompanyFactory
from tests.programs.factories import CohortFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


def _enrollment(company, cohort, path):
    """Enroll `company` in `cohort` along [(stage, day)], the first being its start."""
    enrollment = Enrollment.objects.create(
        company=company, cohort=cohort, stage=path[-1][0], started_on=path[0][1]
    )
    previous = ""
    for stage, day in path:
        StageTransition.objects.create(
            enrollment=enrollment,
            from_stage=previous,
            to_stage=stage,
            reason="test",
            created_at=dt.datetime.combine(day, dt.time(12), tzinfo=SHANGHAI),
        )
        previous = stage
    return enrollment


def test_a_company_that_graduated_and_enrolled_again_counts_once():
    company = CompanyFactory()
    first = CohortFactory(starts_on=dt.date(2021, 1, 1), ends_on=dt.date(2021, 12, 31))
    second = CohortFactory(starts_on=dt.date(2023, 1, 1), ends_on=dt.date(2024, 12, 31))
    _enrollment(
        company, first, [("incubation", dt.date(2021, 2, 1)), ("graduated", dt.date(2021, 12, 1))]
    )
    _enrollment(company, second, [("incubation", dt.date(2023, 3, 1))])

    assert stages_at_end(Period.parse("2023-01-01", "2023-12-31")) == {"incubation": 1}
    # Before it enrolled again, the same company is a graduate.
    assert stages_at_end(Period.parse("2022-01-01", "2022-12-31")) == {"graduated": 1}
    assert stages_at_end(Period.parse("2021-01-01", "2021-06-30")) == {"incubation": 1}
