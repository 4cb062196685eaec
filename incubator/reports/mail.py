"""The KPI report by e-mail: the workbook attached and a summary in the body, made at delivery.

The outbox row holds {"period": {"from": ..., "to": ...}, "kind": "week"}; the report is
computed when the message is rendered, in the recipient's language.
"""

from django.template.loader import render_to_string
from django.utils import translation

from incubator.attachments import Attachment, Rendered
from incubator.reports.kpi import Report, kpi_report
from incubator.reports.period import Period
from incubator.reports.workbook import CONTENT_TYPE, report_filename, report_workbook

KIND = "kpi_report"


def summary_html(report: Report) -> str:
    """Return the short HTML summary (each section's first table), in the active language."""
    return render_to_string("reports/summary.html", {"report": report})


def report_message_extras(payload: dict) -> Rendered:
    period = Period.parse(payload["period"]["from"], payload["period"]["to"])
    report = kpi_report(period)
    workbook = report_workbook(report, translation.get_language())
    return Rendered(
        context={"summary": summary_html(report), "period": str(period)},
        attachments=[Attachment(report_filename(report), workbook, CONTENT_TYPE)],
    )
