"""Staff run the KPI report from the admin: start, follow the progress, download."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from incubator import roles
from incubator.models import AuditRecord
from incubator.reports import services
from incubator.reports.models import ReportRun
from incubator.reports.period import Period
from tests.companies.factories import UserFactory, staff_in

pytestmark = pytest.mark.django_db
ADD = reverse("admin:reports_reportrun_add")


def test_a_viewer_runs_a_report_and_downloads_the_workbook(
    client, viewer, django_capture_on_commit_callbacks
):
    client.force_login(viewer)
    form = client.get(ADD)
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ADD, {"preset": "", "start": "2024-03-01", "end": "2024-03-31", "language": "en"}
        )
    run = ReportRun.objects.get()
    assert response.url == reverse("admin:reports_reportrun_change", args=[run.pk])
    assert AuditRecord.objects.filter(verb="report_run.start", actor=viewer).count() == 1
    progress = client.get(reverse("admin:reports_reportrun_progress", args=[run.pk]))
    assert progress.json() == {
        "status": "done",
        "status_label": "done",
        "progress": 100,
        "step": "",
        "done": True,
    }
    page = client.get(response.url).content.decode()
    download = reverse("admin:reports_reportrun_download", args=[run.pk])
    assert download in page and "progress.js" not in page
    workbook = client.get(download)
    assert workbook.status_code == 200
    assert {"private", "no-store"} <= {v.strip() for v in workbook["Cache-Control"].split(",")}
    book = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content)))
    assert book.sheetnames[0] == "Report"


def test_a_queued_run_shows_a_progress_bar_that_polls(client, viewer):
    run = services.report_run_start(
        actor=viewer, period=Period.parse("2024-01-01", "2024-12-31"), language="ko"
    )
    client.force_login(viewer)
    page = client.get(reverse("admin:reports_reportrun_change", args=[run.pk])).content.decode()
    url = reverse("admin:reports_reportrun_progress", args=[run.pk])
    assert f'data-progress-url="{url}"' in page
    assert "js/progress.js" in page
    assert client.get(url).json()["done"] is False
    assert client.get(reverse("admin:reports_reportrun_download", args=[run.pk])).status_code == 404


def test_progress_is_saved_step_by_step(viewer, monkeypatch):
    run = services.report_run_start(
        actor=viewer, period=Period.parse("2024-01-01", "2024-12-31"), language="en"
    )
    seen = []
    real = services._progress

    def watching(run_id):
        report = real(run_id)

        def step(done, total):
            report(done, total)
            seen.append(ReportRun.objects.values_list("progress", "step").get(pk=run_id))

        return step

    monkeypatch.setattr(services, "_progress", watching)
    services.report_run_execute(run_id=run.pk)
    assert [p for p, _step in seen] == sorted(p for p, _step in seen)
    assert seen[0][1] == "Leads" and seen[-1][0] == 95
    run.refresh_from_db()
    assert (run.status, run.progress) == ("done", 100)
    # A second delivery of the task leaves the finished run alone.
    assert services.report_run_execute(run_id=run.pk).file.name == run.file.name


def test_a_bad_range_is_an_error_on_the_form(client, viewer):
    client.force_login(viewer)
    response = client.post(
        ADD, {"preset": "", "start": "2024-03-31", "end": "2024-03-01", "language": "en"}
    )
    assert response.status_code == 200
    assert "The end of the period is before its start." in response.content.decode()
    assert not ReportRun.objects.exists()


def test_the_first_year_preset(client, viewer, django_capture_on_commit_callbacks):
    client.force_login(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD, {"preset": "first_year", "language": "ko"})
    run = ReportRun.objects.get()
    assert (str(run.period_start), str(run.period_end)) == ("2020-08-10", "2021-08-31")


def test_people_outside_the_staff_get_no_report(client, viewer):
    run = services.report_run_start(
        actor=viewer, period=Period.parse("2024-01-01", "2024-01-31"), language="en"
    )
    services.report_run_execute(run_id=run.pk)
    founder = UserFactory()
    client.force_login(founder)
    for url in (
        ADD,
        reverse("admin:reports_reportrun_download", args=[run.pk]),
        reverse("admin:reports_reportrun_progress", args=[run.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url
    with pytest.raises(services.PermissionDenied):
        services.report_run_start(
            actor=founder, period=Period.parse("2024-01-01", "2024-01-31"), language="en"
        )


def test_a_deleted_run_takes_its_workbook_and_leaves_its_record(
    viewer, django_capture_on_commit_callbacks
):
    manager = staff_in(roles.CENTER_MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_run_start(
            actor=manager, period=Period.parse("2024-01-01", "2024-12-31"), language="en"
        )
    run.refresh_from_db()
    storage, name = run.file.storage, run.file.name
    assert storage.exists(name)
    with pytest.raises(PermissionDenied):
        services.report_run_delete(run=run, actor=viewer)

    with django_capture_on_commit_callbacks(execute=True):
        services.report_run_delete(run=run, actor=manager)

    assert not ReportRun.objects.filter(pk=run.pk).exists() and not storage.exists(name)
    record = AuditRecord.objects.get(verb="report_run.delete")
    assert record.actor == manager and record.changes["from"] == "2024-01-01"


def test_a_preset_with_dates_is_refused_rather_than_the_dates_ignored(client, viewer):
    client.force_login(viewer)
    response = client.post(
        ADD, {"preset": "month", "start": "2024-03-01", "end": "2024-03-31", "language": "en"}
    )
    assert response.status_code == 200
    assert "Choose a period or give dates, not both" in response.content.decode()
    assert not ReportRun.objects.exists()
