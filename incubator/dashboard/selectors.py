"""The staff dashboard of one reader: the panels of the lists they may open, and links."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.admin.exceptions import NotRegistered
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from incubator.dashboard import charts
from incubator.dashboard.registry import (
    ACTIVITY,
    FUNNEL,
    OVERDUE,
    SECTORS,
    Contribution,
    Figure,
    contributions,
    months,
    shortcuts,
)
from incubator.reports.period import Period, center_zone


@dataclass
class Cell:
    """A figure as the page shows it: its number and the admin list behind it."""

    key: str
    label: object
    value: int
    url: str


@dataclass
class Panel:
    key: str
    title: str
    rows: list[Cell] = field(default_factory=list)
    chart: str = ""
    # The activity panel: one column per series, one row per month.
    series: list[str] = field(default_factory=list)
    grid: list[tuple[str, list[Cell]]] = field(default_factory=list)
    empty: bool = False
    note: str = ""
    # The overdue panel marks its non-zero numbers.
    alert: bool = False


def dashboard_period(today: dt.date | None = None) -> Period:
    """Return the last twelve months: from the first day of the month 11 months ago to today."""
    today = today or dt.datetime.now(center_zone()).date()
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return Period(dt.date(year, (month - 1) % 12 + 1, 1), today)


def _with_query(url: str, query: dict | None) -> str:
    return f"{url}?{urlencode(query)}" if query else url


def changelist_url(model, query: dict | None) -> str:
    opts = model._meta
    return _with_query(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), query)


def _may(request, site, model, permission: str = "view") -> bool:
    try:
        model_admin = site.get_model_admin(model)
    except NotRegistered:
        return False
    if permission == "add":
        return model_admin.has_add_permission(request)
    return model_admin.has_view_permission(request)


def _visible(panel: str, request, site) -> list[Contribution]:
    return [c for c in contributions(panel) if _may(request, site, c.model)]


def _cells(contribution: Contribution, figures: list[Figure]) -> list[Cell]:
    return [
        Cell(f.key, f.label, f.value, changelist_url(contribution.model, f.query)) for f in figures
    ]


def _rows_panel(key: str, title: str, request, site, period: Period, *, chart: bool) -> Panel:
    panel = Panel(key, title)
    for contribution in _visible(key, request, site):
        panel.rows += _cells(contribution, contribution.compute(period))
    if chart and panel.rows:
        panel.chart = charts.bar_chart(
            f"dash-{key}", title, [(row.label, row.value) for row in panel.rows]
        )
    return panel


def _activity_panel(request, site, period: Period) -> Panel:
    title = _("Events and meetings per month")
    panel = Panel(ACTIVITY, title)
    found = _visible(ACTIVITY, request, site)
    if not found:
        return panel
    firsts = [first for first, _start, _end in months(period)]
    columns = []
    for contribution in found:
        cells = {cell.key: cell for cell in _cells(contribution, contribution.compute(period))}
        columns.append([cells[first.isoformat()] for first in firsts])
        panel.series.append(str(contribution.label))
    panel.empty = not any(cell.value for column in columns for cell in column)
    panel.grid = [
        (formats.date_format(first, "YEAR_MONTH_FORMAT"), [column[n] for column in columns])
        for n, first in enumerate(firsts)
    ]
    panel.chart = charts.column_chart(
        "dash-activity",
        title,
        [f"{first:%y.%m}" for first in firsts],
        [
            (name, [cell.value for cell in column])
            for name, column in zip(panel.series, columns, strict=True)
        ],
    )
    return panel


def staff_dashboard(*, request, site, today: dt.date | None = None) -> dict:
    """Return the reader's dashboard: panels of the admin lists they may open, and links.

    A fixed number of queries whatever the data: each contribution counts in one or a
    few aggregates.
    """
    period = dashboard_period(today)
    funnel = _rows_panel(FUNNEL, _("Pipeline"), request, site, period, chart=True)
    funnel.note = _(
        "New leads, applications and acceptances of the period; companies per stage today."
    )
    overdue = _rows_panel(OVERDUE, _("Overdue"), request, site, period, chart=False)
    overdue.alert = True
    panels = [
        funnel,
        overdue,
        _rows_panel(SECTORS, _("Companies by sector"), request, site, period, chart=True),
        _activity_panel(request, site, period),
    ]
    links = [
        {
            "label": s.label,
            "url": reverse(s.url_name) + (f"?{urlencode(s.query)}" if s.query else ""),
        }
        for s in shortcuts()
        if _may(request, site, s.model, s.permission)
    ]
    return {
        "period": period,
        "panels": {panel.key: panel for panel in panels if panel.rows or panel.grid},
        "links": links,
    }
