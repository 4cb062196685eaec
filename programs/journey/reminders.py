"""Reminders of the journey (incubator/reminders.py), to the members of the company, at
09:00 in the center's zone: a milestone due in 7 days, a milestone overdue (the morning after
its date), and the quarterly report of the quarter that ended (on the quarter's first day,
then again every 7 days until it is filed)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.reminders import (
    DAILY_GRACE,
    center_days,
    center_morning,
    is_company_member,
    to_members,
)
from incubator.reminders import ReminderKind
from programs import stages
from programs.journey import selectors
from programs.journey.models import Milestone

MILESTONE_LEAD = dt.timedelta(days=7)
REPORT_AGAIN_EVERY = 7  # days


def _open_milestones(due_days):
    return Milestone.objects.filter(
        done_at__isnull=True,
        due_on__in=due_days,
        enrollment__stage__in=stages.WORKING_STAGES,
    ).select_related("company", "enrollment")


def _milestone_payload(milestone: Milestone, user) -> dict:
    return {
        "company": milestone.company.name,
        "milestone": milestone.title,
        "due_on": milestone.due_on.isoformat(),
        "path": reverse("programs:journey"),
    }


def milestones_due_soon(*, since: dt.datetime, now: dt.datetime):
    milestones = _open_milestones([d + MILESTONE_LEAD for d in center_days(since, now)])
    return to_members(
        milestones,
        company_id=lambda m: m.company_id,
        due_at=lambda m: center_morning(m.due_on - MILESTONE_LEAD),
        build=_milestone_payload,
    )


def milestones_overdue(*, since: dt.datetime, now: dt.datetime):
    milestones = [
        m
        for m in _open_milestones([d - dt.timedelta(days=1) for d in center_days(since, now)])
        # A milestone of a later stage is not late yet, whatever its date.
        if stages.reached(m.stage, m.enrollment.stage)
    ]
    return to_members(
        milestones,
        company_id=lambda m: m.company_id,
        due_at=lambda m: center_morning(m.due_on + dt.timedelta(days=1)),
        build=_milestone_payload,
    )


def quarterly_reports_due(*, since: dt.datetime, now: dt.datetime):
    for day in center_days(since, now):
        last = stages.quarter_of(day).previous()
        late_by = (day - last.next().first_day).days
        if late_by % REPORT_AGAIN_EVERY:
            continue
        due = [enrollment for enrollment, _quarter in selectors.reports_due(today=day)]
        yield from to_members(
            due,
            company_id=lambda e: e.company_id,
            due_at=lambda e, day=day: center_morning(day),
            build=lambda e, user, last=last, late_by=late_by: {
                "company": e.company.name,
                "year": last.year,
                "quarter": last.quarter,
                "overdue_days": late_by,
                "path": reverse("programs:report-create"),
            },
            obj_id=lambda e: e.company_id,
        )


MILESTONE_DUE = ReminderKind(
    "milestone_due",
    _("A milestone of my company is due in 7 days"),
    milestones_due_soon,
    DAILY_GRACE,
    optional=False,
    audience=is_company_member,
)
MILESTONE_OVERDUE = ReminderKind(
    "milestone_overdue",
    _("A milestone of my company is overdue"),
    milestones_overdue,
    DAILY_GRACE,
    optional=False,
    audience=is_company_member,
)
QUARTERLY_REPORT_DUE = ReminderKind(
    "quarterly_report_due",
    _("The quarterly report of my company is due"),
    quarterly_reports_due,
    DAILY_GRACE,
    optional=False,
    audience=is_company_member,
    template="quarterly_report_due",
)

KINDS = (MILESTONE_DUE, MILESTONE_OVERDUE, QUARTERLY_REPORT_DUE)
