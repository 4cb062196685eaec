"""Reminders of admissions (incubator/reminders.py), to the members of the company:
an application left as a draft for 3 days, an intake that closes in 3 days while the
company's application to it is still a draft (not one the center returned to it), and a
request of the center for more information unanswered after 3 days."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.reminders import is_company_member, to_members
from incubator import times
from incubator.reminders import ReminderKind
from programs.admissions import selectors
from programs.admissions.models import Application

DRAFT_AGE = dt.timedelta(days=3)
CLOSING_LEAD = dt.timedelta(days=3)
ANSWER_WAIT = dt.timedelta(days=3)


def _drafts():
    return Application.objects.filter(status=Application.Status.DRAFT).select_related(
        "company", "intake__program"
    )


def _payload(application: Application, user) -> dict:
    return {
        "company": application.company.name,
        "intake": str(application.intake),
        # A founder in the center's zone sees Korea time beside it, not "your time" twice.
        "closes_at": times.when(
            application.intake.closes_at,
            None,
            event_zone=settings.TIME_ZONE,
            viewer_zone=user.time_zone if user.time_zone != settings.TIME_ZONE else None,
        ),
        "path": reverse("programs:application-resume", args=[application.pk]),
    }


def stale_drafts(*, since: dt.datetime, now: dt.datetime):
    drafts = _drafts().filter(
        created_at__gte=since - DRAFT_AGE,
        created_at__lte=now - DRAFT_AGE,
        intake__closes_at__gt=now,
    )
    return to_members(
        drafts,
        company_id=lambda a: a.company_id,
        due_at=lambda a: a.created_at + DRAFT_AGE,
        build=_payload,
    )


def intakes_closing(*, since: dt.datetime, now: dt.datetime):
    # A draft the center returned for more information is taken after the deadline.
    drafts = selectors.drafts_not_returned(_drafts()).filter(
        intake__closes_at__gte=since + CLOSING_LEAD, intake__closes_at__lte=now + CLOSING_LEAD
    )
    return to_members(
        drafts,
        company_id=lambda a: a.company_id,
        due_at=lambda a: a.intake.closes_at - CLOSING_LEAD,
        build=_payload,
        obj_id=lambda a: a.intake_id,
    )


def unanswered_requests(*, since: dt.datetime, now: dt.datetime):
    # Each return is its own request (its time names the occurrence): returned again, the
    # company is reminded of the new question.
    drafts = selectors.returned_drafts(_drafts()).filter(
        last_move_at__gte=since - ANSWER_WAIT, last_move_at__lte=now - ANSWER_WAIT
    )
    return to_members(
        drafts,
        company_id=lambda a: a.company_id,
        due_at=lambda a: a.last_move_at + ANSWER_WAIT,
        build=lambda a, user: {
            "company": a.company.name,
            "intake": str(a.intake),
            "path": reverse("programs:application-detail", args=[a.pk]),
        },
    )


APPLICATION_DRAFT = ReminderKind(
    "application_draft",
    _("An application of my company is still a draft after 3 days"),
    stale_drafts,
    dt.timedelta(hours=20),
    audience=is_company_member,
)
INTAKE_CLOSING = ReminderKind(
    "intake_closing",
    _("An intake closes in 3 days and my company's application is still a draft"),
    intakes_closing,
    dt.timedelta(hours=20),
    audience=is_company_member,
)

REQUEST_UNANSWERED = ReminderKind(
    "application_unanswered",
    _("The center asked my company for more information 3 days ago and has no answer yet"),
    unanswered_requests,
    dt.timedelta(hours=20),
    audience=is_company_member,
)

KINDS = (APPLICATION_DRAFT, INTAKE_CLOSING, REQUEST_UNANSWERED)
