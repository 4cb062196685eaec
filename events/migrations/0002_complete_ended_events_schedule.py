from django.db import migrations

from events.apps import COMPLETE_ENDED
from incubator.schedules import ensure_periodic_job


def create_schedule(apps, schema_editor):
    ensure_periodic_job(COMPLETE_ENDED, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
