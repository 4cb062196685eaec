"""The weekly and monthly KPI e-mails: to each manager, in their language, with the workbook."""

import datetime as dt
import io

import openpyxl
import pytest
from django_celery_beat.models import PeriodicTask

from incubator import services as outbox
from incubator.models import OutboxMessage
from incubator.reports import services
from incubator.reports.mail import KIND
from tests.reports.conftest import staff_in

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2024, 4, 8)


def test_each_manager_gets_last_weeks_report_in_their_language(
    manager, viewer, mailoutbox, django_capture_on_commit_callbacks
):
    chinese = staff_in("center_manager", language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.kpi_report_mail_managers(kind="week", today=MONDAY) == 2
    messages = {m.to[0]: m for m in mailoutbox}
    assert set(messages) == {manager.email, chinese.email}  # not the viewer
    korean = messages[manager.email]
    assert "2024-04-01 – 2024-04-07" in korean.subject
    assert "로드쇼" in korean.alternatives[0][0]  # the summary in the body, in Korean
    assert "로드쇼" in korean.body  # and in the plain-text part, for clients without HTML
    assert "<" not in korean.body
    ((name, content, mimetype),) = korean.attachments
    assert name == "kpi-report-2024-04-01_2024-04-07.xlsx"
    assert mimetype.endswith("spreadsheetml.sheet")
    assert "행사" in openpyxl.load_workbook(io.BytesIO(content)).sheetnames
    assert (
        "活动"
        in openpyxl.load_workbook(io.BytesIO(messages[chinese.email].attachments[0][1])).sheetnames
    )
    row = OutboxMessage.objects.get(recipient=manager.email, kind=KIND)
    # The payload names the period; the file is made when the e-mail is rendered.
    assert row.payload == {
        "name": manager.get_full_name(),
        "kind": "week",
        "period": {"from": "2024-04-01", "to": "2024-04-07"},
    }
    assert row.dedupe_key == f"kpi-report:week:2024-04-01_2024-04-07:{manager.pk}"


def test_a_second_run_of_the_same_period_sends_nothing(manager):
    assert services.kpi_report_mail_managers(kind="month", today=MONDAY) == 1
    assert services.kpi_report_mail_managers(kind="month", today=MONDAY + dt.timedelta(1)) == 0
    assert OutboxMessage.objects.filter(kind=KIND).count() == 1
    message = OutboxMessage.objects.get(kind=KIND)
    assert message.payload["period"] == {"from": "2024-03-01", "to": "2024-03-31"}
    assert outbox.render_message(message).attachments


def test_the_weekly_and_monthly_runs_are_scheduled():
    jobs = {
        task.kwargs: task.crontab
        for task in PeriodicTask.objects.filter(task="incubator.reports.tasks.kpi_report_mail_task")
    }
    assert jobs['{"kind": "week"}'].day_of_week == "1"
    assert jobs['{"kind": "month"}'].day_of_month == "1"
    assert jobs['{"kind": "month"}'].hour == "8"


def test_the_summary_leaves_out_empty_sections_and_groups_the_numbers():
    from django.utils import translation

    from incubator.reports.figures import Column, Row, SectionResult, Table
    from incubator.reports.kpi import Report
    from incubator.reports.mail import summary_html, summary_text
    from tests.reports.world import PERIOD

    fund = Table(
        "by_currency",
        "Support fund",
        (Column("granted", "granted"),),
        (Row("CNY", "CNY", (150000,)),),
    )
    portfolio = Table("stages", "Portfolio", (Column("count", "count"),), ())
    report = Report(
        period=PERIOD,
        sections=(
            SectionResult("portfolio", "Portfolio", (portfolio,)),
            SectionResult("fund", "Support fund", (fund,)),
        ),
    )
    with translation.override("en"):
        text, html = summary_text(report), summary_html(report)

    assert "Portfolio" not in text
    assert "Portfolio" not in html
    assert "150,000" in text
    assert "150,000" in html
    assert "150000" not in text + html
