import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incubator.settings")

app = Celery("incubator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def route_by_task_queue(name, args, kwargs, options, task=None, **kw):
    """Send each task to the queue it declares (`@shared_task(queue="heavy")`).

    Services send tasks by name (send_task), which ignores a task's own options;
    this router reads them, so the queue is said once, on the task.
    """
    task = task or app.tasks.get(name)
    return {"queue": getattr(task, "queue", None) or "default"}
