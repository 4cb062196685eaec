import pytest
from django_celery_beat.models import PeriodicTask

from incubator.celery import app

pytestmark = pytest.mark.django_db


def test_the_periodic_jobs_are_scheduled_by_migration_and_exist_as_tasks():
    scheduled = dict(PeriodicTask.objects.filter(enabled=True).values_list("task", "name"))
    app.loader.import_default_modules()
    for task in (
        "incubator.tasks.outbox_sweep_task",
        "events.tasks.events_complete_ended_task",
        "incubator.tasks.reminders_sweep_task",
    ):
        assert task in scheduled, f"{task} has no schedule"
        assert task in app.tasks, f"{scheduled[task]} names a task the worker does not know"
