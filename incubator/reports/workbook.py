"""The KPI report as an XLSX workbook: a cover sheet, then a sheet per section with charts."""

import datetime as dt
import io
import re

import xlsxwriter
from django.utils import translation
from django.utils.translation import gettext as _

from incubator.reports.figures import Table
from incubator.reports.figures import label_text as _label
from incubator.reports.kpi import Report
from incubator.reports.period import center_zone

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_filename(report: Report) -> str:
    return f"kpi-report-{report.period.key}.xlsx"


def report_workbook(report: Report, language: str) -> bytes:
    """Return the workbook of `report` with its headers in `language`."""
    out = io.BytesIO()
    with translation.override(language):
        book = xlsxwriter.Workbook(out, {"in_memory": True})
        styles = {
            "title": book.add_format({"bold": True, "font_size": 14}),
            "head": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
            "label": book.add_format({"border": 1}),
            "int": book.add_format({"border": 1, "num_format": "#,##0"}),
            "decimal": book.add_format({"border": 1, "num_format": "#,##0.0#"}),
        }
        _cover(book, report, styles)
        used = {_("Report")}
        for section in report.sections:
            sheet = book.add_worksheet(_sheet_name(_label(section.title), used))
            sheet.set_column(0, 0, 48)
            sheet.set_column(1, 6, 16)
            sheet.write(0, 0, _label(section.title), styles["title"])
            row = 2
            for table in section.tables:
                row = _table(book, sheet, table, row, styles) + 2
        book.close()
    return out.getvalue()


def _cover(book, report: Report, styles) -> None:
    sheet = book.add_worksheet(_("Report"))
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 60)
    sheet.write(0, 0, _("China–Korea International Innovation & Startup Center"), styles["title"])
    sheet.write(1, 0, _("KPI report"), styles["title"])
    now = dt.datetime.now(center_zone()).replace(tzinfo=None, microsecond=0)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    lines = [
        (_("From"), report.period.start),
        (_("To"), report.period.end),
        (_("Days"), report.period.days),
        (_("Made at (Harbin time)"), now),
    ]
    for n, (label, value) in enumerate(lines, start=3):
        sheet.write(n, 0, _label(label), styles["head"])
        if isinstance(value, dt.datetime):
            sheet.write_datetime(n, 1, value, book.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
        elif isinstance(value, dt.date):
            sheet.write_datetime(n, 1, dt.datetime.combine(value, dt.time()), date_format)
        else:
            sheet.write_number(n, 1, value)
    sheet.write(8, 0, _("Sheets"), styles["head"])
    for n, section in enumerate(report.sections, start=9):
        sheet.write(n, 0, _label(section.title))


def _sheet_name(title: str, used: set[str]) -> str:
    name = SHEET_NAME_FORBIDDEN.sub(" ", title)[:31].strip() or "Sheet"
    base, n = name, 2
    while name in used:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _table(book, sheet, table: Table, top: int, styles) -> int:
    """Write `table` from row `top`, with its chart beside it; return its last row."""
    sheet.write(top, 0, _label(table.title), styles["head"])
    for col, column in enumerate(table.columns, start=1):
        sheet.write(top, col, _label(column.label), styles["head"])
    for n, row in enumerate(table.rows, start=top + 1):
        sheet.write(n, 0, _label(row.label), styles["label"])
        for col, value in enumerate(row.values, start=1):
            if value is None:
                sheet.write_blank(n, col, None, styles["label"])
            elif isinstance(value, int):
                sheet.write_number(n, col, value, styles["int"])
            else:
                sheet.write_number(n, col, float(value), styles["decimal"])
    last = top + len(table.rows)
    if table.chart and table.rows:
        _chart(book, sheet, table, top, last)
        # Leave the chart room below the table.
        last = max(last, top + 16)
    return last


def _chart(book, sheet, table: Table, top: int, last: int) -> None:
    chart = book.add_chart({"type": table.chart})
    name = sheet.get_name()
    columns = range(1, 2) if table.chart == "pie" else range(1, len(table.columns) + 1)
    for col in columns:
        chart.add_series(
            {
                "name": [name, top, col],
                "categories": [name, top + 1, 0, last, 0],
                "values": [name, top + 1, col, last, col],
            }
        )
    chart.set_title({"name": _label(table.title)})
    if table.chart != "pie" and len(table.columns) == 1:
        chart.set_legend({"none": True})
    sheet.insert_chart(top, len(table.columns) + 2, chart, {"x_scale": 1.1, "y_scale": 1.0})
