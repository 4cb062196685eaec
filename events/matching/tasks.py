"""The scheduler's Celery task: thin, idempotent, on the heavy queue."""

from celery import shared_task

from events.matching import runs


@shared_task(name="events.matching.tasks.schedule_meetings_task", queue="heavy")
def schedule_meetings_task(run_id: int) -> str | None:
    """Compute and write the schedule of a queued run; a finished run is left alone."""
    run = runs.schedule_run_execute(run_id=run_id)
    return run.status if run is not None else None
