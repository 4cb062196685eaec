"""A report's period: whole days from `start` to `end` (inclusive) in the center's zone."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_DAYS = 5 * 366 + 1
# Far enough on both sides for any report, near enough that no moment overflows.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


class PresetKind:
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CHOICES = (
        (WEEK, _("last week")),
        (MONTH, _("last month")),
        (QUARTER, _("last quarter")),
        (YEAR, _("last year")),
    )


def center_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self):
        if not (EARLIEST <= self.start <= LATEST and EARLIEST <= self.end <= LATEST):
            raise ValidationError(
                _("Give dates between 2000-01-01 and 2099-12-31."), code="out_of_range"
            )
        if self.end < self.start:
            raise ValidationError(_("The end of the period is before its start."), code="reversed")
        if (self.end - self.start).days + 1 > MAX_DAYS:
            raise ValidationError(_("A report covers at most five years."), code="too_long")

    def __str__(self):
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    @property
    def key(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def starts_at(self) -> dt.datetime:
        """The first moment of the period (midnight of `start` in the center's zone)."""
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=center_zone())

    @property
    def ends_at(self) -> dt.datetime:
        """The first moment after the period (midnight after `end`, exclusive)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, center_zone())

    def lookup(self, field: str) -> dict:
        """Return the filter of a datetime `field` within the period."""
        return {f"{field}__gte": self.starts_at, f"{field}__lt": self.ends_at}

    def date_lookup(self, field: str) -> dict:
        """Return the filter of a date `field` within the period."""
        return {f"{field}__gte": self.start, f"{field}__lte": self.end}

    def quarters(self) -> list[tuple[int, int]]:
        """Return the (year, quarter) whose last day falls within the period."""
        found = []
        year, quarter = self.start.year, (self.start.month - 1) // 3 + 1
        while True:
            last = quarter_end(year, quarter)
            if last > self.end:
                return found
            if last >= self.start:
                found.append((year, quarter))
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)

    @classmethod
    def parse(cls, start: str, end: str) -> "Period":
        try:
            first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        except (TypeError, ValueError):
            raise ValidationError(_("Give the dates as YYYY-MM-DD."), code="invalid_date") from None
        return cls(first, last)

    @classmethod
    def preset(cls, kind: str, today: dt.date | None = None) -> "Period":
        """Return the last whole week (Monday to Sunday), month, quarter or year before today."""
        today = today or dt.datetime.now(center_zone()).date()
        if kind == PresetKind.WEEK:
            monday = today - dt.timedelta(days=today.weekday() + 7)
            return cls(monday, monday + dt.timedelta(days=6))
        if kind == PresetKind.MONTH:
            last = today.replace(day=1) - dt.timedelta(days=1)
            return cls(last.replace(day=1), last)
        if kind == PresetKind.QUARTER:
            quarter = (today.month - 1) // 3 + 1
            year, quarter = (today.year - 1, 4) if quarter == 1 else (today.year, quarter - 1)
            return cls(dt.date(year, 3 * quarter - 2, 1), quarter_end(year, quarter))
        if kind == PresetKind.YEAR:
            return cls(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
        raise ValidationError(_("Unknown period."), code="invalid_preset")


def quarter_end(year: int, quarter: int) -> dt.date:
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
