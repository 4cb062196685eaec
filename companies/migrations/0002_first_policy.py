from django.db import migrations

from companies.defaults import ensure_first_policy


def create_first_policy(apps, schema_editor):
    ensure_first_policy(apps.get_model("companies", "ScreeningPolicy"))


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_initial")]

    operations = [migrations.RunPython(create_first_policy, migrations.RunPython.noop)]
