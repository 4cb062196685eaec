from celery import shared_task

from programs.journey import services as journey_services


@shared_task(name="programs.tasks.quarterly_report_reminders_task")
def quarterly_report_reminders_task() -> int:
    """Ask enrolled companies for the report of the quarter that ended; once per quarter."""
    return journey_services.quarterly_report_reminders()
