"""The KPI report by e-mail: the workbook attached and a summary in the body, made at delivery.

The outbox row holds {"period": {"from": ..., "to": ...}, "kind": "week"}; the report is
computed when the message is rendered, in the recipient's language.
"""

from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import number_format

from incubator.attachments import Attachment, Rendered
from incubator.reports.kpi import Report, kpi_report
from incubator.reports.period import Period
from incubator.reports.workbook import CONTENT_TYPE, report_filename, report_workbook

KIND = "kpi_report"


def summary_html(report: Report) -> str:
    """Return the short HTML summary (each section's first table), in the active language."""
    return render_to_string("reports/summary.html", {"report": _summary(report)})


def summary_text(report: Report) -> str:
    """Return the same summary as plain text, for mail clients that show no HTML.

    "Label: value" where a table has one column; "Label: column value · column value" where
    it has several.
    """
    lines = []
    for section in _summary(report).sections:
        table = section.tables[0]
        lines += ["", str(section.title)]
        for row in table.rows:
            values = ["–" if value is None else value for value in row.values]
            if len(table.columns) > 1:
                values = [f"{c.label} {v}" for c, v in zip(table.columns, values, strict=True)]
            lines.append(f"- {row.label}: {' · '.join(values)}")
    return "\n".join(lines).strip()


def _summary(report: Report) -> SimpleNamespace:
    """Return each section's first table with its numbers written for the reader.

    A section whose table has no rows has nothing to say and is left out, heading and all.
    """
    sections = []
    for section in report.sections:
        if not section.tables or not section.tables[0].rows:
            continue
        table = section.tables[0]
        rows = [
            SimpleNamespace(label=row.label, values=[_number(value) for value in row.values])
            for row in table.rows
        ]
        table = SimpleNamespace(title=table.title, columns=table.columns, rows=rows)
        sections.append(SimpleNamespace(title=section.title, tables=[table]))
    return SimpleNamespace(sections=sections)


def _number(value):
    if value is None:
        return None
    return number_format(value, use_l10n=True, force_grouping=True)


def report_message_extras(payload: dict) -> Rendered:
    period = Period.parse(payload["period"]["from"], payload["period"]["to"])
    report = kpi_report(period)
    workbook = report_workbook(report, translation.get_language())
    return Rendered(
        context={
            "summary": summary_html(report),
            "summary_text": summary_text(report),
            "period": str(period),
        },
        attachments=[Attachment(report_filename(report), workbook, CONTENT_TYPE)],
    )
