from celery import shared_task

from incubator import reminders, services


@shared_task(name="incubator.tasks.outbox_deliver_task")
def outbox_deliver_task(message_id: int) -> bool:
    return services.outbox_deliver(message_id=message_id)


@shared_task(name="incubator.tasks.outbox_sweep_task")
def outbox_sweep_task() -> int:
    return services.outbox_sweep()


@shared_task(name="incubator.tasks.ping_task", ignore_result=False)
def ping_task(value: str) -> str:
    """Answer through the broker: used by the health tests and `manage.py ping_worker`."""
    return f"pong: {value}"


@shared_task(name="incubator.tasks.outbox_deliver_many_task", queue="default")
def outbox_deliver_many_task(message_ids: list[int]) -> int:
    """Deliver a batch of messages a reminders sweep wrote; each is sent at most once."""
    return sum(services.outbox_deliver(message_id=pk) for pk in message_ids)


@shared_task(name="incubator.tasks.reminders_sweep_task", queue="default")
def reminders_sweep_task() -> int:
    """Write the reminders that are due (run every few minutes by beat)."""
    return reminders.reminders_sweep().written
