from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    # Permissions normally appear only after the whole migrate; create them now
    # so the groups get theirs on the first run too.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from incubator.roles import sync_role_permissions

    sync_role_permissions(apps=apps, using=schema_editor.connection.alias)


def create_outbox_sweep(apps, schema_editor):
    from incubator.schedules import OUTBOX_SWEEP, ensure_periodic_job

    ensure_periodic_job(OUTBOX_SWEEP, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("incubator", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(create_outbox_sweep, migrations.RunPython.noop),
    ]
