"""The names of time zones in people's words ("한국 시간", "北京时间"), not their ids."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

# The portal's two zones; any other is shown by its abbreviation (e.g. "CET").
ZONE_WORDS = {
    "Asia/Seoul": lambda: _("Korea time (KST)"),
    "Asia/Shanghai": lambda: _("China time (CST)"),
}


def zone_words(zone: str, at: dt.datetime | None = None) -> str:
    """Return the zone's name in the active language."""
    words = ZONE_WORDS.get(zone)
    if words is not None:
        return words()
    return at.tzname() if at is not None and at.tzname() else zone


def moment_text(value: dt.datetime, *, seconds: bool = False) -> str:
    """Return `value` in the active zone, named: "2026-12-02 10:29 한국 시간(KST)"."""
    local = timezone.localtime(value)
    shown = f"{local:%Y-%m-%d %H:%M:%S}" if seconds else f"{local:%Y-%m-%d %H:%M}"
    return f"{shown} {zone_words(timezone.get_current_timezone_name(), local)}"
