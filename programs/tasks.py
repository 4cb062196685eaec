from celery import shared_task

from programs import services


@shared_task(name="programs.tasks.quarterly_report_reminders_task")
def quarterly_report_reminders_task() -> int:
    """Ask enrolled companies for the report of the quarter that ended; once per quarter."""
    return services.quarterly_report_reminders()
