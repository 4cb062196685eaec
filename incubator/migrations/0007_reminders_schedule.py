"""The reminders sweep's periodic job (incubator/schedules.py REMINDERS_SWEEP).

Copied here, so that the migration keeps working if the live job changes later.
"""

from django.db import migrations

REMINDERS_SWEEP = {
    "name": "Reminders sweep: write the reminders that are due",
    "task": "incubator.tasks.reminders_sweep_task",
    "every_minutes": 5,
}


def create_schedule(apps, schema_editor):
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    if task_model.objects.filter(name=REMINDERS_SWEEP["name"]).exists():
        return
    interval, _ = apps.get_model("django_celery_beat", "IntervalSchedule").objects.get_or_create(
        every=REMINDERS_SWEEP["every_minutes"], period="minutes"
    )
    task_model.objects.create(
        name=REMINDERS_SWEEP["name"], task=REMINDERS_SWEEP["task"], interval=interval
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incubator", "0006_reminder_opt_outs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
