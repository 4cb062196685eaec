"""The quarterly reports' own daily job goes: the reminders sweep (incubator 0007) asks for
the reports now (programs/journey/reminders.py), with the other reminder kinds."""

from django.db import migrations

OLD_TASK = "programs.tasks.quarterly_report_reminders_task"


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=OLD_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_field_labels_and_unique_messages"),
        ("incubator", "0007_reminders_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(remove_schedule, migrations.RunPython.noop)]
