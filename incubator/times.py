"""Times as people read them: in the zone of what happens (an event, an intake's deadline)
and in their own.

"2026-12-10 10:00–17:00 Korea time (KST) · your time: 09:00–16:00 China time (CST)". Plain
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
    return " ".join(span_pieces(start, end, zone, with_date=with_date))


def span_pieces(
    start: dt.datetime, end: dt.datetime | None, zone: str, *, with_date: bool = True
) -> list[str]:
    """Return `span` in the pieces a line may break between, never inside one.

    ["2026-12-10 10:00–17:00", "Korea time (KST)"]; over several days
    ["2026-12-10 10:00 –", "2026-12-11 17:00", "Korea time (KST)"].
    """
    tz = _zone(zone)
    local_start = start.astimezone(tz)
    pieces = [f"{local_start:%Y-%m-%d %H:%M}" if with_date else f"{local_start:%H:%M}"]
    if end is not None:
        local_end = end.astimezone(tz)
        if local_end.date() != local_start.date():
            pieces = [f"{pieces[0]} –", f"{local_end:%Y-%m-%d %H:%M}"]
        else:
            pieces[0] += f"–{local_end:%H:%M}"
    return [*pieces, zone_words(zone, local_start)]


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
    parts = when_pieces(start, end, event_zone=event_zone, viewer_zone=viewer_zone)
    return " · ".join(" ".join(pieces) for pieces in parts)


def when_pieces(
    start: dt.datetime,
    end: dt.datetime | None,
    *,
    event_zone: str,
    viewer_zone: str | None = None,
) -> list[list[str]]:
    """Return `when`'s parts, one per zone, each in `span_pieces`' unbreakable pieces."""
    first = span_pieces(start, end, event_zone)
    other = viewer_zone or OTHER_ZONE.get(event_zone)
    if not other or other == event_zone:
        return [first]
    same_day = start.astimezone(_zone(other)).date() == start.astimezone(_zone(event_zone)).date()
    # A span over several days names both dates in the second zone too.
    several_days = end is not None and end.astimezone(_zone(other)).date() != (
        start.astimezone(_zone(other)).date()
    )
    second = span_pieces(start, end, other, with_date=several_days or not same_day)
    if viewer_zone:
        # "your time: %(time)s", "내 시간대 %(time)s": the words stick to the span's ends.
        before, _time, after = _("your time: %(time)s").partition("%(time)s")
        second[0], second[-1] = before + second[0], second[-1] + after
    return [first, second]


def quarter(year: int, number: int) -> str:
    """Return a quarter as its reader writes it: "2026 Q3", "2026년 3분기", "2026年第3季度"."""
    return _("%(year)s Q%(quarter)s") % {"year": year, "quarter": number}
