"""Reminders of concierge service requests (incubator/reminders.py): a request still open
the morning after its target date is told to its owner and to the center managers; and each
staff member's weekly digest of what is theirs and overdue (requests and leads)."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.models import Lead
from companies.reminders import DAILY_GRACE, center_days, center_morning
from incubator.models import User
from incubator.reminders import (
    ReminderKind,
    days_between,
    is_staff,
    local_moment,
    occurrence_for,
)
from incubator.roles import CENTER_MANAGER
from programs.concierge.models import ServiceRequest

DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR = 8


def center_managers() -> list[User]:
    return list(User.objects.filter(groups__name=CENTER_MANAGER, is_active=True).order_by("pk"))


def _request_line(request: ServiceRequest) -> dict:
    return {
        "subject": f"#{request.pk} {request.subject}",
        "company": request.company.name,
        "due_on": request.due_on.isoformat(),
        "path": reverse("admin:programs_servicerequest_change", args=[request.pk]),
    }


def requests_overdue(*, since: dt.datetime, now: dt.datetime):
    requests = ServiceRequest.objects.filter(
        status__in=ServiceRequest.ACTIVE,
        due_on__in=[d - dt.timedelta(days=1) for d in center_days(since, now)],
    ).select_related("company", "owner")
    managers = center_managers()
    for request in requests:
        people = {user.pk: user for user in managers}
        if request.owner is not None and request.owner.is_active:
            people[request.owner_id] = request.owner
        for user in people.values():
            yield occurrence_for(
                user,
                obj_id=request.pk,
                due_at=center_morning(request.due_on + dt.timedelta(days=1)),
                build=lambda user, request=request: {
                    "name": user.get_full_name(),
                    "owner": str(request.owner or _("nobody")),
                    **_request_line(request),
                },
            )


def _digest_moments(user: User, since: dt.datetime, now: dt.datetime):
    for day in days_between(since, now, user.time_zone):
        if day.weekday() == DIGEST_WEEKDAY:
            yield local_moment(day, DIGEST_HOUR, user.time_zone)


def staff_digests(*, since: dt.datetime, now: dt.datetime):
    staff = [
        (user, moment)
        for user in User.objects.filter(is_staff=True, is_active=True).order_by("pk")
        for moment in _digest_moments(user, since, now)
    ]
    if not staff:
        return
    # "Overdue" is before the digest's day in its reader's zone: a Seoul officer's Monday
    # 08:00 is Sunday in UTC, and Sunday's items are overdue to them. One query for all,
    # up to the latest such day; each digest keeps the items before its own.
    today = {user.pk: moment.date() for user, moment in staff}
    latest = max(today.values())
    owners = list(today)
    requests, leads = defaultdict(list), defaultdict(list)
    for request in (
        ServiceRequest.objects.filter(
            owner_id__in=owners, status__in=ServiceRequest.ACTIVE, due_on__lt=latest
        )
        .select_related("company")
        .order_by("due_on", "pk")
    ):
        if request.due_on < today[request.owner_id]:
            requests[request.owner_id].append(request)
    for lead in (
        Lead.objects.filter(owner_id__in=owners, next_step_on__lt=latest)
        .exclude(status__in=(Lead.Status.CONVERTED, Lead.Status.DROPPED))
        .order_by("next_step_on")
    ):
        if lead.next_step_on < today[lead.owner_id]:
            leads[lead.owner_id].append(lead)
    for user, moment in staff:
        if not requests[user.pk] and not leads[user.pk]:
            continue  # nothing overdue: no digest

        def build(user, mine=requests[user.pk], theirs=leads[user.pk]):
            return {
                "name": user.get_full_name(),
                "requests": [_request_line(request) for request in mine],
                "leads": [
                    {
                        "company": lead.company_name,
                        "next_step": lead.next_step,
                        "due_on": lead.next_step_on.isoformat(),
                        "path": reverse("admin:companies_lead_change", args=[lead.pk]),
                    }
                    for lead in theirs
                ],
                "zone": settings.TIME_ZONE,
            }

        yield occurrence_for(user, obj_id=user.pk, due_at=moment, build=build)


SERVICE_REQUEST_OVERDUE = ReminderKind(
    "service_request_overdue",
    _("Staff: a service request is past its target date"),
    requests_overdue,
    DAILY_GRACE,
    optional=False,
    audience=is_staff,
)
STAFF_DIGEST = ReminderKind(
    "staff_digest",
    _("Staff: my weekly digest of what is mine and overdue"),
    staff_digests,
    DAILY_GRACE,
    audience=is_staff,
)

KINDS = (SERVICE_REQUEST_OVERDUE, STAFF_DIGEST)
