"""Celery tasks of events: thin wrappers around `events.services`, idempotent."""

from celery import shared_task

# The worker discovers `events.tasks`; the 1:1 meetings keep their tasks in their own module.
from events import (
    meeting_tasks,  # noqa: F401
    services,
)


@shared_task(name="events.tasks.events_complete_ended_task")
def events_complete_ended_task() -> int:
    """Mark the published events that have ended as completed (run daily by beat)."""
    return services.events_complete_ended()


@shared_task(name="events.tasks.event_fill_places_task")
def event_fill_places_task(event_id: int) -> int:
    """Give an event's free places to its waitlist; return how many were promoted."""
    from events.models import Event

    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    return len(services.event_fill_places(event=event))
