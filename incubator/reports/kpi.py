"""The KPI report of a period: every registered section, in order."""

from collections.abc import Callable
from dataclasses import dataclass

from incubator.reports.figures import Number, SectionResult, Table, label_text
from incubator.reports.period import Period
from incubator.reports.registry import sections


@dataclass
class Report:
    period: Period
    sections: list[SectionResult]

    def section(self, key: str) -> SectionResult:
        return next(section for section in self.sections if section.key == key)

    def table(self, section: str, table: str) -> Table:
        return self.section(section).table(table)

    def value(self, section: str, table: str, row: str, column: str | None = None) -> Number:
        return self.table(section, table).value(row, column)


def kpi_report(period: Period, *, progress: Callable[[int, int], None] | None = None) -> Report:
    """Return the report of `period`; `progress(done, total)` is called after each section."""
    found = sections()
    results = []
    for done, section in enumerate(found, start=1):
        results.append(SectionResult(section.key, section.title, list(section.compute(period))))
        if progress:
            progress(done, len(found))
    return Report(period, results)


def plain(value: Number):
    """Return a JSON number for a figure (a Decimal as a float)."""
    if value is None or isinstance(value, int | float):
        return value
    return float(value)


def report_as_dict(report: Report) -> dict:
    """Return the report as JSON-ready data, labels in the active language."""
    return {
        "period": {"from": report.period.start.isoformat(), "to": report.period.end.isoformat()},
        "sections": [
            {
                "key": section.key,
                "title": label_text(section.title),
                "tables": [
                    {
                        "key": table.key,
                        "title": label_text(table.title),
                        "columns": [
                            {"key": c.key, "label": label_text(c.label)} for c in table.columns
                        ],
                        "rows": [
                            {
                                "key": row.key,
                                "label": label_text(row.label),
                                "values": {
                                    c.key: plain(v)
                                    for c, v in zip(table.columns, row.values, strict=True)
                                },
                            }
                            for row in table.rows
                        ],
                    }
                    for table in section.tables
                ],
            }
            for section in report.sections
        ],
    }
