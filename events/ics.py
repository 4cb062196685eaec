"""iCalendar files: one event, or a person's agenda (events, meetings...).

`calendar_for(items)` is the one builder: each item gives uid, summary, start, end, tz
(the zone the times are written in, e.g. "Asia/Shanghai"), and optionally location,
description, url and status ("CANCELLED"). Times are written with TZID in the item's zone
and the calendar carries the matching VTIMEZONE components, so a phone in Seoul and one in
Harbin both show the right hour.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

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


def calendar_for(items: Iterable, *, name: str = "") -> bytes:
    """Return a VCALENDAR (bytes) with one VEVENT per item."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
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
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_item(event, *, url: str = "") -> CalendarItem:
    """Return the calendar item of an event, its summary in the active language."""
    status = {"cancelled": "CANCELLED", "published": "CONFIRMED", "completed": "CONFIRMED"}
    return CalendarItem(
        uid=uid_for("event", event.pk),
        summary=event.title,
        start=event.starts_at,
        end=event.ends_at,
        tz=event.time_zone,
        location=event.venue or event.online_url,
        description=event.description,
        url=url,
        status=status.get(event.status, "TENTATIVE"),
    )
