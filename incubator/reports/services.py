"""The KPI report's use cases: a staff member's run, and the managers' periodic e-mail."""

import logging

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incubator import roles
from incubator.audit import audit_record
from incubator.models import OutboxMessage, User
from incubator.reports import policies
from incubator.reports.kpi import kpi_report
from incubator.reports.mail import KIND
from incubator.reports.models import ReportRun
from incubator.reports.period import Period
from incubator.reports.registry import sections
from incubator.reports.workbook import report_filename, report_workbook
from incubator.services import outbox_enqueue, task_enqueue_on_commit

logger = logging.getLogger(__name__)

RUN_TASK = "incubator.reports.tasks.report_run_task"


def report_run_start(*, actor, period: Period, language: str) -> ReportRun:
    """Queue a run of the KPI report of `period`; the heavy queue computes it after commit."""
    if not policies.can_run_report(actor):
        raise PermissionDenied(_("Only the center's staff may run reports."))
    with transaction.atomic():
        run = ReportRun.objects.create(
            period_start=period.start,
            period_end=period.end,
            language=language,
            requested_by=actor,
        )
        audit_record(
            actor=actor,
            verb="report_run.start",
            obj=run,
            changes={"from": period.start, "to": period.end, "language": language},
        )
        task_enqueue_on_commit(RUN_TASK, run.pk)
    return run


def report_run_delete(*, run: ReportRun, actor) -> None:
    """Delete a report run and its workbook file (once the delete commits)."""
    if not roles.can_delete_row(actor, run):
        raise PermissionDenied
    stored = run.file
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="report_run.delete",
            obj=run,
            changes={"from": run.period_start, "to": run.period_end, "status": run.status},
        )
        run.delete()
        if stored:
            storage, name = stored.storage, stored.name
            transaction.on_commit(lambda: storage.delete(name))


def _progress(run_id: int):
    titles = [section.title for section in sections()]

    def report(done: int, total: int) -> None:
        # 100 comes with the file: a full bar means the download is there.
        ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.RUNNING).update(
            progress=min(95, done * 95 // max(total, 1)),
            step=str(titles[done - 1])[:100] if done <= len(titles) else "",
        )

    return report


def report_run_execute(*, run_id: int) -> ReportRun | None:
    """Compute a queued run and store its workbook; a finished run is left alone."""
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or not run.begin():
            return run
    try:
        report = kpi_report(Period(run.period_start, run.period_end), progress=_progress(run.pk))
        workbook = report_workbook(report, run.language)
    except Exception as error:  # noqa: BLE001 - any failure is shown on the run's page
        logger.exception("Report run %s failed", run_id)
        ReportRun.objects.filter(pk=run.pk, status__in=ReportRun.ACTIVE).update(
            status=ReportRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:4000],
        )
        run.refresh_from_db()
        return run
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != ReportRun.Status.RUNNING:
            return run
        run.file.save(report_filename(report), ContentFile(workbook), save=False)
        run.move_to(ReportRun.Status.DONE)
        run.progress = 100
        run.step = ""
        run.finished_at = timezone.now()
        run.save(update_fields=["file", "status", "progress", "step", "finished_at"])
    return run


def report_recipients():
    """Return the active center managers with an e-mail address."""
    group = Group.objects.filter(name=roles.CENTER_MANAGER).first()
    if group is None:
        return User.objects.none()
    return group.user_set.filter(is_active=True).exclude(email="").order_by("pk")


def kpi_report_mail_managers(*, kind: str, today=None) -> int:
    """Queue last week's or month's report to every manager; return how many were queued.

    One message per (period, manager): a second run of the same beat tick, or a task
    delivered twice, writes nothing more. The workbook is made when the e-mail is sent.
    """
    period = Period.preset(kind, today)
    recipients = {f"kpi-report:{kind}:{period.key}:{user.pk}": user for user in report_recipients()}
    with transaction.atomic():
        known = set(
            OutboxMessage.objects.filter(dedupe_key__in=list(recipients)).values_list(
                "dedupe_key", flat=True
            )
        )
        for dedupe_key, user in recipients.items():
            outbox_enqueue(
                recipient=user.email,
                kind=KIND,
                dedupe_key=dedupe_key,
                payload={
                    "name": user.get_full_name(),
                    "kind": kind,
                    "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
                },
                language=user.language,
            )
    return len(recipients) - len(known)
