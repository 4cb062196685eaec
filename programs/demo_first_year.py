"""The center's first year (2020-08-10 to 2021-08-31), as the article reports it.

The eight digital-economy companies (AI, science-and-technology finance, intelligent
manufacturing) were introduced in that year: each enrolled in the first-year cohort, and
three of them were registering a Harbin company when the year ended (their requests were
put on hold in October 2021; today's stories in programs/demo.py are their second attempt).
The first-year enrollments ended on 2021-09-01, when the companies went on in the
digital-economy cohort of today. Written in bulk, with the dates of then; idempotent on
the cohort's label.
"""

import datetime as dt
import zoneinfo

from companies.demo import DIGITAL, brn
from companies.models import Company
from programs import stages
from programs.models import Cohort, Enrollment, ServiceKind, ServiceRequest, StageTransition

HARBIN = zoneinfo.ZoneInfo("Asia/Shanghai")
COHORT_EN = "First year: digital-economy introduction (2020–2021)"
COHORT_KO = "첫해: 디지털 경제 기업 도입 (2020–2021)"
COHORT_ZH = "第一年：数字经济企业引进（2020–2021）"
STARTS = [
    dt.date(2020, 9, 15),
    dt.date(2020, 10, 20),
    dt.date(2020, 11, 24),
    dt.date(2021, 1, 12),
    dt.date(2021, 3, 2),
    dt.date(2021, 4, 6),
    dt.date(2021, 5, 11),
    dt.date(2021, 6, 8),
]
ENDED = dt.datetime(2021, 9, 1, 10, 0, tzinfo=HARBIN)
# The three registering at the year's end, and when they asked the center.
REGISTERING = {
    "DeepVision AI": dt.datetime(2021, 6, 21, 9, 30, tzinfo=HARBIN),
    "CodeBrain": dt.datetime(2021, 7, 13, 14, 0, tzinfo=HARBIN),
    "Motion Factory": dt.datetime(2021, 8, 17, 10, 0, tzinfo=HARBIN),
}
ON_HOLD = dt.datetime(2021, 10, 20, 16, 0, tzinfo=HARBIN)


def _at_nine(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=HARBIN)


def load(program, manager, officer) -> None:
    if Cohort.objects.filter(program=program, label_en=COHORT_EN).exists():
        return
    offset = 1 + 16  # companies.demo numbers the digital-economy companies after the delegation
    companies = {
        c.brn: c for c in Company.objects.filter(brn__in=[brn(offset + n) for n in range(8)])
    }
    found = [(row, companies.get(brn(offset + n))) for n, row in enumerate(DIGITAL)]
    if any(company is None for _row, company in found):
        return
    cohort = Cohort.objects.create(
        program=program,
        label_en=COHORT_EN,
        label_ko=COHORT_KO,
        label_zh=COHORT_ZH,
        starts_on=dt.date(2020, 8, 10),
        ends_on=dt.date(2021, 8, 31),
    )
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(
            company=company,
            cohort=cohort,
            stage=stages.GRADUATED,
            started_on=started,
            stage_changed_at=ENDED,
            ended_on=ENDED.date(),
            created_by=manager,
        )
        for (_row, company), started in zip(found, STARTS, strict=True)
    )
    transitions = []
    for enrollment, started in zip(enrollments, STARTS, strict=True):
        transitions += [
            StageTransition(
                enrollment=enrollment,
                to_stage=stages.INCUBATION,
                reason="Digital-economy core technology introduced to Heilongjiang.",
                actor=manager,
                created_at=_at_nine(started),
            ),
            StageTransition(
                enrollment=enrollment,
                from_stage=stages.INCUBATION,
                to_stage=stages.GRADUATED,
                reason="First year completed: continues in the digital-economy cohort.",
                actor=manager,
                created_at=ENDED,
            ),
        ]
    StageTransition.objects.bulk_create(transitions)
    by_name = {row[2]: enrollment for (row, _c), enrollment in zip(found, enrollments, strict=True)}
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            company=by_name[name].company,
            enrollment=by_name[name],
            kind=ServiceKind.COMPANY_REGISTRATION,
            subject="Register the Harbin company (first attempt)",
            status=ServiceRequest.Status.CLOSED,
            waiting_on=ServiceRequest.WaitingOn.NOBODY,
            owner=officer,
            opened_by=manager,
            opened_at=opened,
            due_on=(opened + dt.timedelta(days=60)).date(),
            closed_at=ON_HOLD,
        )
        for name, opened in REGISTERING.items()
    )
