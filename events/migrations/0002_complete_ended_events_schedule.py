"""The periodic job that marks ended events completed (events/apps.py COMPLETE_ENDED).

Copied here, so that the migration keeps working if the live job changes later.
"""

from django.db import migrations

COMPLETE_ENDED = {
    "name": "Events: mark ended events completed",
    "task": "events.tasks.events_complete_ended_task",
    "every_minutes": 60,
}


def create_schedule(apps, schema_editor):
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    if task_model.objects.filter(name=COMPLETE_ENDED["name"]).exists():
        return
    interval, _ = apps.get_model("django_celery_beat", "IntervalSchedule").objects.get_or_create(
        every=COMPLETE_ENDED["every_minutes"], period="minutes"
    )
    task_model.objects.create(
        name=COMPLETE_ENDED["name"], task=COMPLETE_ENDED["task"], interval=interval
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
