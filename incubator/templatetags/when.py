"""Dates and times as a person reads them: never wrapped, a time always with its zone.

{{ report.due_on|day }}        <time datetime="2026-12-31">2026-12-31</time>
{{ message.sent_at|moment }}   <time datetime="2026-12-02T01:29:00+00:00">2026-12-02 10:29
                               한국 시간</time> (in the zone of the page, its name in the
                               page's language)
{{ intake.closes_at|deadline }} in the center's zone, then the reader's when it differs
"""

import datetime as dt
import re

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from incubator import times
from incubator.zones import moment_text, zone_words

register = template.Library()


@register.filter
def day(value):
    if not isinstance(value, dt.date):
        return value if value not in (None, "") else "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), f"{value:%Y-%m-%d}")


@register.filter
def moment(value):
    if not isinstance(value, dt.datetime):
        return value if value not in (None, "") else "—"
    return format_html(
        '<time datetime="{}">{}</time>', value.astimezone(dt.UTC).isoformat(), moment_text(value)
    )


def unbroken(parts: list[list[str]]):
    """Each piece of a span on one line ("2026-12-10 10:00–17:00", "Korea time (KST)"): a
    phone or a narrow card wraps between the pieces, never inside a date or a zone's name.
    The " · " between two zones ends the first zone's line."""
    pieces = []
    for part in parts:
        if pieces:
            pieces[-1] += " ·"
        pieces.extend(part)
    return format_html_join(" ", '<span class="nowrap">{}</span>', ((p,) for p in pieces))


@register.filter
def deadline(value):
    """A closing time the center set (an intake's, a fund call's): in the center's zone, where
    it is the end of a day, then in the reader's own when that differs."""
    if not isinstance(value, dt.datetime):
        return value if value not in (None, "") else "—"
    return unbroken(
        times.when_pieces(
            value,
            None,
            event_zone=settings.TIME_ZONE,
            viewer_zone=timezone.get_current_timezone_name(),
        )
    )


@register.filter
def quarter(value):
    """A quarter (anything with .year and .quarter: a report, stages.Quarter) in words."""
    return times.quarter(value.year, value.quarter)


@register.filter
def zone_name(zone):
    """{{ event.time_zone|zone_name }}: "China time (CST)", never "Asia/Shanghai"."""
    return zone_words(zone) if zone else "—"


@register.simple_tag
def current_zone_words():
    return zone_words(timezone.get_current_timezone_name())


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?")


@register.filter(needs_autoescape=True)
def dates_unbroken(text, autoescape=True):
    """Keep each date inside a text written by the code or a person on one line.

    {{ criterion.reason|dates_unbroken }}: "…, 2028-12-02까지 유효합니다." wraps around the
    date, not inside it.
    """
    text = conditional_escape(text) if autoescape else str(text)
    return mark_safe(_DATE.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', text))
