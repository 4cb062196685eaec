"""Reminders of companies (incubator/reminders.py), and the helper that addresses a
reminder to each member of a company (programs' kinds use it too).

A certification that expires in 30 days is told to the company's members, at 09:00 in the
center's zone, with a word that the screening result may change without it.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.models import Certification, Membership
from incubator.multilingual import localized
from incubator.reminders import ReminderKind, days_between, local_moment, occurrence_for

MORNING_HOUR = 9  # reminders about dates go out at 09:00 in the center's zone
DAILY_GRACE = dt.timedelta(hours=20)


def center_morning(day: dt.date) -> dt.datetime:
    return local_moment(day, MORNING_HOUR, settings.TIME_ZONE)


def center_days(since: dt.datetime, now: dt.datetime) -> list[dt.date]:
    """Return the days in the center's zone whose morning may fall in [since, now]."""
    return days_between(since, now, settings.TIME_ZONE)


def is_company_member(user) -> bool:
    """The audience of the kinds `to_members` addresses."""
    # The auth backend loads the membership with the user: no query.
    return hasattr(user, "membership")


def members_of(company_ids: Iterable[int]) -> dict[int, list]:
    """Return each company's active members, in one query."""
    members = defaultdict(list)
    memberships = (
        Membership.objects.filter(company_id__in=set(company_ids), user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    for membership in memberships:
        members[membership.company_id].append(membership.user)
    return members


def to_members(
    objects: Iterable,
    *,
    company_id: Callable,
    due_at: Callable,
    build: Callable,
    obj_id: Callable = lambda obj: obj.pk,
):
    """Yield one occurrence per object and member of its company; `build(obj, user)` makes
    the payload (in the user's language)."""
    objects = list(objects)
    members = members_of(company_id(obj) for obj in objects)
    for obj in objects:
        for user in members[company_id(obj)]:
            yield occurrence_for(
                user,
                obj_id=obj_id(obj),
                due_at=due_at(obj),
                build=lambda user, obj=obj: {"name": user.get_full_name(), **build(obj, user)},
            )


CERTIFICATION_LEAD = dt.timedelta(days=30)


def expiring_certifications(*, since: dt.datetime, now: dt.datetime):
    days = [day + CERTIFICATION_LEAD for day in center_days(since, now)]
    certifications = Certification.objects.filter(expires_on__in=days).select_related("company")
    return to_members(
        certifications,
        company_id=lambda c: c.company_id,
        due_at=lambda c: center_morning(c.expires_on - CERTIFICATION_LEAD),
        build=lambda c, user: {
            "company": localized(c.company, "name", user.language),
            "certification": str(c.get_kind_display()),
            "expires_on": c.expires_on.isoformat(),
            # A member cannot add a certificate once the application is in: the center adds
            # it, from the file sent with a request ("other": programs' ServiceKind, named by
            # its value since companies do not import programs).
            "path": reverse("programs:request-create") + "?kind=other",
        },
    )


CERTIFICATION_EXPIRING = ReminderKind(
    "certification_expiring",
    _("A certification of my company expires in 30 days"),
    expiring_certifications,
    DAILY_GRACE,
    audience=is_company_member,
)

KINDS = (CERTIFICATION_EXPIRING,)
