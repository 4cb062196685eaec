"""Reads of calendar feeds: the feed behind a token, and what a feed lists.

A feed is three queries whatever its size: the feed (with its owner), the registrations
(with their events), the meetings (with their slots, both people and their events).
"""

import dataclasses
from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from events import ics
from events.feeds.models import CalendarFeed, token_hash
from events.matching.models import Meeting
from events.matching.selectors import agenda_item, meeting_calendar_item, meetings_of_registrations
from events.models import Event, Registration
from events.policies import can_see_online_link
from events.selectors import PUBLIC_STATUSES, calendar_registrations, of_organisation

TOKEN_MAX_LENGTH = 100

# (event id) -> absolute URL of the event's page, and of a matching session's agenda.
UrlOf = Callable[[int], str]


def feed_by_token(token: str) -> CalendarFeed | None:
    """Return the active feed whose address carries `token`, with its owner; else None."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        CalendarFeed.objects.select_related("user", "organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )


def feed_of(*, user=None, organisation=None) -> CalendarFeed | None:
    """Return the feed of a user or an organisation (active or stopped), or None."""
    owner = {"user": user} if user is not None else {"organisation": organisation}
    return CalendarFeed.objects.filter(**owner).first()


def organisation_registrations(organisation_id: int) -> QuerySet[Registration]:
    """Return the standing registrations of an organisation's people, for events they may see."""
    return (
        Registration.objects.filter(
            of_organisation(organisation_id),
            status=Registration.Status.REGISTERED,
            event__status__in=(*PUBLIC_STATUSES, Event.Status.CANCELLED),
        )
        .select_related("event")
        .prefetch_related("event__online_sessions")
        .order_by("event__starts_at", "pk")
    )


def _side(meeting: Meeting, ours) -> int:
    """Return which of the meeting's two registrations is the feed's own."""
    return (
        meeting.registration_a_id
        if meeting.registration_a_id in ours
        else meeting.registration_b_id
    )


def _meeting_item(meeting: Meeting, *, side: int, agenda_url: UrlOf, **fields) -> dict:
    """Return a meeting as seen by registration `side`; cancelled when the event is, or when
    either person no longer takes part, and changed when any of those changed."""
    a, b = meeting.registration_a, meeting.registration_b
    standing = Registration.Status.REGISTERED
    gone = meeting.event.status == Event.Status.CANCELLED or {a.status, b.status} != {standing}
    moments = [meeting.updated_at, meeting.event.updated_at, a.cancelled_at, b.cancelled_at]
    return meeting_calendar_item(
        agenda_item(meeting, side=side),
        event=meeting.event,
        url=agenda_url(meeting.event_id),
        status="CANCELLED" if gone else "CONFIRMED",
        last_modified=max(moment for moment in moments if moment is not None),
        **fields,
    )


def user_feed_items(user, *, event_url: UrlOf, agenda_url: UrlOf) -> list:
    """Return a person's calendar: the events they are registered for, their meetings."""
    registrations = calendar_registrations(user)
    items = [
        item
        for r in registrations
        for item in ics.event_items(
            r.event,
            url=event_url(r.event_id),
            online_link=can_see_online_link(user, r.event, r),
        )
    ]
    ours = {r.pk for r in registrations}
    for meeting in meetings_of_registrations(registrations):
        items.append(_meeting_item(meeting, side=_side(meeting, ours), agenda_url=agenda_url))
    return items


def organisation_feed_items(organisation_id: int, *, event_url: UrlOf, agenda_url: UrlOf) -> list:
    """Return an organisation's calendar: each registration of its people (one entry per
    person, named), and each of their meetings."""
    registrations = organisation_registrations(organisation_id)
    items = []
    for registration in registrations:
        own = ics.uid_for("registration", registration.pk)
        # One entry per person: two of its people at one event are two entries.
        items += [
            dataclasses.replace(
                item,
                uid=own if item.uid == ics.uid_for("event", registration.event_id) else item.uid,
                summary=f"{item.summary} · {registration.name}",
            )
            for item in ics.event_items(
                registration.event,
                url=event_url(registration.event_id),
                # The organisation's own person's registration: no user acts here.
                online_link=can_see_online_link(None, registration.event, registration),
                uid_prefix=f"registration-{registration.pk}-",
            )
        ]
    ours = {r.pk: r for r in registrations}
    for meeting in meetings_of_registrations(registrations):
        side = _side(meeting, ours)
        item = agenda_item(meeting, side=side)
        summary = _("Meeting: %(ours)s – %(name)s") % {
            "ours": ours[side].name,
            "name": item.counterpart.name,
        }
        items.append(_meeting_item(meeting, side=side, agenda_url=agenda_url, summary=summary))
    return items


def feed_name(feed: CalendarFeed) -> str:
    """Return the calendar's name (X-WR-CALNAME) in the active language."""
    if feed.organisation_id is not None:
        return _("%(organisation)s at the center") % {"organisation": feed.organisation.name}
    return _("My events at the center")
