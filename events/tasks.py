"""Celery tasks of events: thin wrappers around `events.services`, idempotent."""

from celery import shared_task

# The worker discovers `events.tasks`; the 1:1 meetings keep their tasks in their sub-package.
from events import services
from events.matching import tasks as matching_tasks  # noqa: F401


@shared_task(name="events.tasks.events_complete_ended_task", queue="default")
def events_complete_ended_task() -> int:
    """Mark the published events that have ended as completed (run daily by beat)."""
    return services.events_complete_ended()
