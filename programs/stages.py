"""The stage machine of an enrollment and the quarters of the portfolio reports.

"Incubator → accelerator → industry export": an enrollment moves forward one
stage at a time until it graduates, or ends as withdrawn from any open stage.
Leaving a stage forward needs the stage's required milestones done, unless a
center manager overrides with a reason.

Pure: plain strings and dates in, plain values out; no models, no database.
The admin, the portal, the services and an API all ask these functions.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

INCUBATION = "incubation"
ACCELERATION = "acceleration"
INDUSTRIALIZATION = "industrialization"
GRADUATED = "graduated"
WITHDRAWN = "withdrawn"

STAGES = (INCUBATION, ACCELERATION, INDUSTRIALIZATION, GRADUATED, WITHDRAWN)
# The stages a company works through, in order; milestones belong to these.
WORKING_STAGES = (INCUBATION, ACCELERATION, INDUSTRIALIZATION)
ENDED = frozenset({GRADUATED, WITHDRAWN})
# The stages at which a company that consented is shown to partners: enrolled and working,
# or graduated; never an applicant, never one that withdrew.
OPEN_TO_PARTNERS = (*WORKING_STAGES, GRADUATED)

# stage -> the stages an enrollment may move to from there.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    INCUBATION: (ACCELERATION, WITHDRAWN),
    ACCELERATION: (INDUSTRIALIZATION, WITHDRAWN),
    INDUSTRIALIZATION: (GRADUATED, WITHDRAWN),
    GRADUATED: (),
    WITHDRAWN: (),
}
# The milestone that registering a local entity completes.
LOCAL_ENTITY_MILESTONE = "local_entity_registered"


class DefaultMilestone(NamedTuple):
    code: str
    stage: str
    title_en: str
    title_ko: str
    title_zh: str
    due_days: int
    required: bool


# The defaults of domain.md ("take root, start production"); staff edit the
# templates in the admin, and each enrollment gets a copy.
DEFAULT_MILESTONES = (
    DefaultMilestone(
        LOCAL_ENTITY_MILESTONE,
        INCUBATION,
        "Local entity registered",
        "현지 법인 등록",
        "本地公司注册",
        120,
        True,
    ),
    DefaultMilestone(
        "office_moved_in",
        INCUBATION,
        "Office moved in at the center",
        "센터 사무실 입주",
        "入驻中心办公室",
        60,
        False,
    ),
    DefaultMilestone(
        "first_financing_matched",
        ACCELERATION,
        "First financing matched",
        "첫 투자 유치 연결",
        "首笔融资对接",
        240,
        True,
    ),
    DefaultMilestone(
        "first_local_customer",
        ACCELERATION,
        "First local customer",
        "첫 현지 고객",
        "首个本地客户",
        300,
        False,
    ),
    DefaultMilestone(
        "production_started",
        INDUSTRIALIZATION,
        "Production started",
        "생산 개시",
        "投产",
        480,
        True,
    ),
)


def is_allowed(current: str, target: str) -> bool:
    """Return whether the table allows moving from `current` to `target`."""
    return target in TRANSITIONS.get(current, ())


def is_forward(current: str, target: str) -> bool:
    """Return whether the move leaves a working stage for the next one."""
    return is_allowed(current, target) and target != WITHDRAWN


def refusal(current: str, target: str, *, open_required: int, override: bool) -> str | None:
    """Return why the move is refused, as a code, or None when it may happen.

    Codes: "not_allowed" (not in the table), "milestones_open" (the stage's
    required milestones are not all done and nobody overrides).
    """
    if not is_allowed(current, target):
        return "not_allowed"
    if is_forward(current, target) and open_required and not override:
        return "milestones_open"
    return None


def reached(stage: str, current: str) -> bool:
    """Return whether an open enrollment in `current` has reached `stage` (or is past it).

    A milestone counts as overdue only then: one of a later stage is not due yet
    whatever its date, and an ended enrollment has nothing due.
    """
    if current not in WORKING_STAGES or stage not in WORKING_STAGES:
        return False
    return WORKING_STAGES.index(stage) <= WORKING_STAGES.index(current)


# --- Quarters ---------------------------------------------------------------------


class Quarter(NamedTuple):
    year: int
    quarter: int

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> dt.date:
        following = self.next()
        return following.first_day - dt.timedelta(days=1)

    def next(self) -> Quarter:
        if self.quarter == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.quarter + 1)

    def previous(self) -> Quarter:
        if self.quarter == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.quarter - 1)


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def quarters_due(*, started_on: dt.date, today: dt.date) -> list[Quarter]:
    """Return the quarters a company enrolled on `started_on` reports by `today`.

    A quarter is due once it has ended, from the quarter the company started in.
    """
    due = []
    quarter, last = quarter_of(started_on), quarter_of(today).previous()
    while quarter <= last:
        due.append(quarter)
        quarter = quarter.next()
    return due


def report_due(*, started_on: dt.date, today: dt.date, reported) -> Quarter | None:
    """Return the latest ended quarter not yet reported, or None.

    `reported` holds (year, quarter) pairs. Only the last ended quarter is
    asked for: an older gap is for staff to chase, not for the portal to nag.
    """
    due = quarters_due(started_on=started_on, today=today)
    if not due:
        return None
    latest = due[-1]
    return None if tuple(latest) in {tuple(q) for q in reported} else latest


def is_reportable(quarter: Quarter, *, started_on: dt.date, today: dt.date) -> bool:
    """Return whether a report for `quarter` may be filed: ended, and not before enrolling."""
    return quarter_of(started_on) <= quarter <= quarter_of(today).previous()
