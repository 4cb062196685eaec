"""The role groups and the outbox sweep, written out here.

Copied, not imported, so that this migration keeps working whatever the live
code becomes. The groups' permissions come from `incubator.roles` after every
migrate (incubator/apps.py), once every app's permissions exist.
"""

from django.db import migrations

ROLES = ("center_manager", "program_officer", "event_coordinator", "viewer")
OUTBOX_SWEEP = {
    "name": "Outbox sweep: deliver pending messages",
    "task": "incubator.tasks.outbox_sweep_task",
    "every_minutes": 1,
}


def create_roles(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for name in ROLES:
        group_model.objects.get_or_create(name=name)


def create_outbox_sweep(apps, schema_editor):
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    if task_model.objects.filter(name=OUTBOX_SWEEP["name"]).exists():
        return
    interval, _ = apps.get_model("django_celery_beat", "IntervalSchedule").objects.get_or_create(
        every=OUTBOX_SWEEP["every_minutes"], period="minutes"
    )
    task_model.objects.create(
        name=OUTBOX_SWEEP["name"], task=OUTBOX_SWEEP["task"], interval=interval
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incubator", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(create_outbox_sweep, migrations.RunPython.noop),
    ]
