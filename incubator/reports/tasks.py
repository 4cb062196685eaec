"""The KPI report's Celery tasks: thin, idempotent; the computing one on the heavy queue."""

from celery import shared_task

from incubator.reports import services


@shared_task(name="incubator.reports.tasks.report_run_task", queue="heavy")
def report_run_task(run_id: int) -> str | None:
    run = services.report_run_execute(run_id=run_id)
    return run.status if run else None


@shared_task(name="incubator.reports.tasks.kpi_report_mail_task")
def kpi_report_mail_task(kind: str) -> int:
    return services.kpi_report_mail_managers(kind=kind)
