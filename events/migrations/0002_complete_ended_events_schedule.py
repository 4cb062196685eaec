from django.db import migrations

from incubator.schedules import ensure_interval_task

COMPLETE_ENDED = (
    "Events: mark ended events completed",
    "events.tasks.events_complete_ended_task",
    60,
)


def create_schedule(apps, schema_editor):
    ensure_interval_task(*COMPLETE_ENDED, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
