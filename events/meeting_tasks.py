"""The scheduler's Celery task: thin, idempotent, on the heavy queue (its name says so)."""

from celery import shared_task

from events import meetings


@shared_task(name="events.meeting_tasks.heavy_schedule_meetings_task")
def heavy_schedule_meetings_task(run_id: int) -> str | None:
    """Compute and write the schedule of a queued run; a finished run is left alone."""
    run = meetings.schedule_run_execute(run_id=run_id)
    return run.status if run is not None else None
