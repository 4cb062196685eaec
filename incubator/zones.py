"""The names of time zones in people's words ("한국 시간", "北京时间"), not their ids."""

import datetime as dt

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
