"""What the apps put on the staff dashboard, registered from their AppConfig.ready.

A contribution is one admin list (a model) and a function that returns its figures for the
dashboard's period, in a fixed number of queries; each figure carries the query string of
the list's filter that shows its rows. A reader who may not view the model sees none of it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from incubator.reports.period import Period, center_zone

FUNNEL = "funnel"
ACTIVITY = "activity"
SECTORS = "sectors"
OVERDUE = "overdue"
PANELS = (FUNNEL, ACTIVITY, SECTORS, OVERDUE)


@dataclass(frozen=True)
class Figure:
    key: str
    label: object
    value: int
    # The admin list's query string that shows the figure's rows; None: the whole list.
    query: dict | None = None


@dataclass(frozen=True)
class Contribution:
    panel: str
    key: str
    order: int
    model: type
    compute: Callable[[Period], list[Figure]]
    # The name of the series (the activity panel draws one series per contribution).
    label: object = ""


@dataclass(frozen=True)
class Shortcut:
    """A link from the dashboard to a staff page of `model`'s admin (`permission` on it)."""

    key: str
    label: object
    order: int
    model: type
    url_name: str
    query: dict | None = None
    permission: str = "view"


_CONTRIBUTIONS: dict[tuple[str, str], Contribution] = {}
_SHORTCUTS: dict[str, Shortcut] = {}


def register_contributions(found: list[Contribution]) -> None:
    for contribution in found:
        if contribution.panel not in PANELS:
            raise ValueError(f"unknown dashboard panel {contribution.panel!r}")
        _CONTRIBUTIONS[contribution.panel, contribution.key] = contribution


def register_shortcuts(found: list[Shortcut]) -> None:
    for shortcut in found:
        _SHORTCUTS[shortcut.key] = shortcut


def contributions(panel: str) -> list[Contribution]:
    found = [c for (p, _key), c in _CONTRIBUTIONS.items() if p == panel]
    return sorted(found, key=lambda c: (c.order, c.key))


def shortcuts() -> list[Shortcut]:
    return sorted(_SHORTCUTS.values(), key=lambda s: (s.order, s.key))


# --- Query strings of the admin lists ---------------------------------------------------------


def moments(field: str, starts_at: dt.datetime, ends_at: dt.datetime) -> dict:
    """Return the query string of a datetime `field` from `starts_at` to before `ends_at`."""
    return {f"{field}__gte": starts_at.isoformat(), f"{field}__lt": ends_at.isoformat()}


def within(field: str, period: Period) -> dict:
    """Return the query string of a datetime `field` within the period (as `Period.lookup`)."""
    return moments(field, period.starts_at, period.ends_at)


def months(period: Period) -> list[tuple[dt.date, dt.datetime, dt.datetime]]:
    """Return (first day, first moment, first moment after) of each month of the period.

    The first and the last month are cut at the period's edges, so that the months add up
    to the period's own figures.
    """
    found = []
    first = period.start.replace(day=1)
    while first <= period.end:
        following = (first + dt.timedelta(days=31)).replace(day=1)
        starts_at = max(_midnight(first), period.starts_at)
        ends_at = min(_midnight(following), period.ends_at)
        found.append((first, starts_at, ends_at))
        first = following
    return found


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=center_zone())
