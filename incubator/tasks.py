from celery import shared_task

from incubator import services


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
