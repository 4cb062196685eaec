"""The KPI workbook opens with openpyxl: its sheets, numbers as numbers, its charts."""

import io
import re

import openpyxl
import pytest
from django.utils import translation

from incubator.reports.kpi import kpi_report
from incubator.reports.workbook import report_workbook
from tests.reports.world import PERIOD, build

pytestmark = pytest.mark.django_db


def _rows(sheet) -> dict:
    """Return {label: [values]} of a sheet's rows."""
    return {row[0]: list(row[1:]) for row in sheet.iter_rows(values_only=True) if row[0]}


def test_the_workbook_has_a_cover_and_a_sheet_per_section_with_charts():
    build()
    report = kpi_report(PERIOD)
    book = openpyxl.load_workbook(io.BytesIO(report_workbook(report, "en")))
    assert book.sheetnames == [
        "Report",
        "Leads",
        "Applications",
        "Companies and stages",
        "Portfolio",
        "Service requests",
        "Support fund",
        "Events",
        "Registrations and attendance",
        "Meetings",
        "Technology exchange",
    ]
    cover = _rows(book["Report"])
    assert str(cover["From"][0].date()) == "2024-03-01"
    assert str(cover["To"][0].date()) == "2024-03-31"
    events = _rows(book["Events"])
    held = report.table("events", "held_by_kind")
    assert events["Roadshow"][0] == held.value("roadshow")
    assert isinstance(events["Roadshow"][0], int)
    fund = _rows(book["Support fund"])
    assert fund["CNY"][1] == float(report.value("fund", "by_currency", "CNY", "granted"))
    assert isinstance(fund["CNY"][1], float | int)
    # A chart per charted table: leads (pie), events by kind (column), fund (column)...
    assert len(book["Leads"]._charts) == 1
    assert len(book["Events"]._charts) == 1
    assert len(book["Support fund"]._charts) == 1
    assert len(book["Companies and stages"]._charts) == 3


def test_the_headers_are_in_the_readers_language():
    report = kpi_report(PERIOD)
    korean = openpyxl.load_workbook(io.BytesIO(report_workbook(report, "ko")))
    chinese = openpyxl.load_workbook(io.BytesIO(report_workbook(report, "zh-hans")))
    assert "행사" in korean.sheetnames
    assert "活动" in chinese.sheetnames
    assert "로드쇼" in _rows(korean["행사"])


def _table_rows(sheet, title: str) -> list:
    """Return the rows below the header `title` up to the next empty row."""
    rows, inside = [], False
    for row in sheet.iter_rows(values_only=True):
        if inside and not row[0]:
            break
        if inside:
            rows.append(row)
        inside = inside or row[0] == title
    return rows


def test_the_stage_moves_are_in_the_workbooks_language_not_the_one_of_the_run():
    build()
    # The run computes its figures in whatever language is active (here Korean).
    with translation.override("ko"):
        report = kpi_report(PERIOD)
    hangul = re.compile("[\uac00-\ud7a3]")
    for language, sheet, title, move in [
        ("zh-hans", "企业和阶段", "阶段变动", "孵化 → 加速"),
        ("en", "Companies and stages", "Moves between stages", "Incubation → acceleration"),
    ]:
        book = openpyxl.load_workbook(io.BytesIO(report_workbook(report, language)))
        labels = [row[0] for row in _table_rows(book[sheet], title)]
        assert labels, language
        assert not [label for label in labels if hangul.search(label)], labels
        assert move in labels


def test_english_labels_start_with_a_capital_letter():
    build()
    report = kpi_report(PERIOD)
    book = openpyxl.load_workbook(io.BytesIO(report_workbook(report, "en")))
    labels = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str) and cell[:1].isalpha()
    ]
    assert labels
    assert [label for label in labels if label[0].islower()] == []
