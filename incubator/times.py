"""Times as people read them: in the zone of what happens (an event, an intake's deadline)
and in their own.

"2026-12-10 10:00–17:00 Korea time (KST) · 09:00–16:00 China time (CST) your time". Plain
values in, a string out; used by the pages, the e-mails, the reminders and the calendars.
"""

import datetime as dt
import zoneinfo

from django.utils.translation import gettext as _

from incubator.zones import zone_words

# The other zone shown to someone whose own zone is unknown (a visitor not signed in).
OTHER_ZONE = {"Asia/Seoul": "Asia/Shanghai", "Asia/Shanghai": "Asia/Seoul"}


def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def span(start: dt.datetime, end: dt.datetime | None, zone: str, *, with_date: bool = True) -> str:
    """Return "2026-12-10 10:00–17:00 Korea time (KST)" for a span in `zone`."""
    tz = _zone(zone)
    local_start = start.astimezone(tz)
    text = f"{local_start:%Y-%m-%d} " if with_date else ""
    text += f"{local_start:%H:%M}"
    if end is not None:
        local_end = end.astimezone(tz)
        if local_end.date() != local_start.date():
            text += f" – {local_end:%Y-%m-%d %H:%M}"
        else:
            text += f"–{local_end:%H:%M}"
    return f"{text} {zone_words(zone, local_start)}"


def when(
    start: dt.datetime,
    end: dt.datetime | None,
    *,
    event_zone: str,
    viewer_zone: str | None = None,
) -> str:
    """Return the span in the event's zone, then in the viewer's own zone if it differs.

    `viewer_zone` None means the viewer's zone is unknown: the other zone of the portal is
    shown instead, without "your time".
    """
    return " · ".join(when_parts(start, end, event_zone=event_zone, viewer_zone=viewer_zone))


def when_parts(
    start: dt.datetime,
    end: dt.datetime | None,
    *,
    event_zone: str,
    viewer_zone: str | None = None,
) -> list[str]:
    """Return `when`'s parts, one per zone (a page keeps each on one line)."""
    first = span(start, end, event_zone)
    other = viewer_zone or OTHER_ZONE.get(event_zone)
    if not other or other == event_zone:
        return [first]
    same_day = start.astimezone(_zone(other)).date() == start.astimezone(_zone(event_zone)).date()
    # A span over several days names both dates in the second zone too.
    several_days = end is not None and end.astimezone(_zone(other)).date() != (
        start.astimezone(_zone(other)).date()
    )
    second = span(start, end, other, with_date=several_days or not same_day)
    if viewer_zone:
        second = _("%(time)s your time") % {"time": second}
    return [first, second]
