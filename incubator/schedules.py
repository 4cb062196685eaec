"""Periodic tasks the portal needs, kept in django-celery-beat's tables."""

from django.apps import apps as global_apps

OUTBOX_SWEEP = ("Outbox sweep: deliver pending messages", "incubator.tasks.outbox_sweep_task", 1)


def ensure_interval_task(name: str, task: str, minutes: int, apps=global_apps) -> None:
    """Create the periodic task `name` when missing; an edited one is left as staff set it."""
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    if task_model.objects.filter(name=name).exists():
        return
    interval, _ = interval_model.objects.get_or_create(every=minutes, period="minutes")
    task_model.objects.create(name=name, task=task, interval=interval)
