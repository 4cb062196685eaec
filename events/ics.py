"""iCalendar files: one event, or a person's agenda (events, meetings...).

`calendar_for(items)` is the one builder: each item gives uid, summary, start, end, tz
(the zone the times are written in, e.g. "Asia/Shanghai"), and optionally location,
description, url, status ("CANCELLED") and last_modified (the row's change time: it gives
LAST-MODIFIED and a SEQUENCE that grows with it, so a subscribed calendar takes updates).
Times are written with TZID in the item's zone and the calendar carries the matching
VTIMEZONE components, so a phone in Seoul and one in Harbin both show the right hour.
"""

import dataclasses
import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

PRODID = "-//China-Korea Innovation & Startup Center//Portal//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class CalendarItem:
    uid: str
    summary: str
    start: dt.datetime
    end: dt.datetime
    tz: str
    location: str = ""
    description: str = ""
    url: str = ""
    status: str = ""  # "", "CONFIRMED", "TENTATIVE" or "CANCELLED"
    last_modified: dt.datetime | None = None


# SEQUENCE counts seconds from here: it grows with every change and fits 32 bits until 2092.
SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def sequence_of(moment: dt.datetime) -> int:
    """Return the SEQUENCE of an item last changed at `moment`."""
    return max(int((moment - SEQUENCE_EPOCH).total_seconds()), 0)


def uid_for(kind: str, pk) -> str:
    """Return a stable UID, e.g. "event-42@portal.example.cn" (the site's host name)."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{kind}-{pk}@{host}"


def _item(item) -> CalendarItem:
    if isinstance(item, CalendarItem):
        return item
    if isinstance(item, Mapping):
        return CalendarItem(**item)
    fields = CalendarItem.__dataclass_fields__
    return CalendarItem(**{name: getattr(item, name) for name in fields if hasattr(item, name)})


def calendar_for(items: Iterable, *, name: str = "", refresh: dt.timedelta | None = None) -> bytes:
    """Return a VCALENDAR (bytes) with one VEVENT per item.

    `refresh`: for a subscribed feed, how often calendar apps should fetch it again
    (REFRESH-INTERVAL, and X-PUBLISHED-TTL that Outlook and Apple read).
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", icalendar.vDuration(refresh))
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for raw in items:
        item = _item(raw)
        zone = zoneinfo.ZoneInfo(item.tz)
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start.astimezone(zone))
        event.add("dtend", item.end.astimezone(zone))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        if item.status:
            event.add("status", item.status)
        if item.last_modified is not None:
            event.add("last-modified", item.last_modified.astimezone(dt.UTC).replace(microsecond=0))
            event.add("sequence", sequence_of(item.last_modified))
        calendar.add_component(event)
    # Before the events that name them, as icalendar's add_missing_timezones puts them.
    calendar.subcomponents[0:0] = [
        icalendar.Timezone.from_ical(_vtimezone(tzid))
        for tzid in sorted(calendar.get_missing_tzids())
    ]
    return calendar.to_ical()


def _online_place(event, online_link: bool) -> str:
    if not event.online_url:
        return ""
    return event.online_url if online_link else gettext("Online")


@functools.cache
def _vtimezone(tzid: str) -> bytes:
    """The VTIMEZONE of a zone, made once: making it walks the zone's transitions from 1970
    (about 30 ms for Asia/Seoul on every feed), reading it back takes about one."""
    return icalendar.Timezone.from_tzid(tzid).to_ical()


def event_items(
    event, *, url: str = "", online_link: bool = False, uid_prefix: str = ""
) -> list[CalendarItem]:
    """Return the calendar items of an event: an online programme's sessions, each with its
    own time and link (a programme of two weeks is not two weeks busy), else the event.

    `uid_prefix` keeps two people's copies of one session apart in one calendar. Reads
    `event.online_sessions.all()`: prefetch it for many events.
    """
    item = event_item(event, url=url, online_link=online_link)
    return [
        dataclasses.replace(
            item,
            uid=uid_for(f"{uid_prefix}session", session.pk),
            summary=f"{item.summary} · {session.title}",
            start=session.starts_at,
            end=session.ends_at,
            location=session.link if online_link else gettext("Online"),
        )
        for session in event.online_sessions.all()
    ] or [item]


def event_item(event, *, url: str = "", online_link: bool = False) -> CalendarItem:
    """Return the calendar item of an event, its summary in the active language.

    `online_link`: whether the file's reader may see the event's meeting link
    (`events.policies.can_see_online_link`); without it an online event's place is "Online".
    """
    status = {"cancelled": "CANCELLED", "published": "CONFIRMED", "completed": "CONFIRMED"}
    return CalendarItem(
        uid=uid_for("event", event.pk),
        summary=event.title,
        start=event.starts_at,
        end=event.ends_at,
        tz=event.time_zone,
        location=event.venue or _online_place(event, online_link),
        description=event.description,
        url=url,
        status=status.get(event.status, "TENTATIVE"),
        last_modified=event.updated_at,
    )
