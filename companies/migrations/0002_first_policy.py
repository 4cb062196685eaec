import datetime

from django.db import migrations


def create_first_policy(apps, schema_editor):
    # The article's four criteria, in force since the center opened.
    policy_model = apps.get_model("companies", "ScreeningPolicy")
    if policy_model.objects.exists():
        return
    policy_model.objects.create(
        version=1,
        effective_from=datetime.datetime(2020, 8, 10, tzinfo=datetime.UTC),
        min_years_since_founding=3,
        patents_required=1,
        patents_registered_only=False,
        financing_or_market_required=True,
        certification_kinds=["venture", "innobiz", "mainbiz", "rnd_center", "tips", "high_tech"],
        certification_must_be_valid=True,
        sectors_accepted=[],
        notes="Criteria of the center's founding (2020): patents, 3+ years, financing or "
        "market validation, a Korean high-tech or venture certification.",
    )


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_initial")]

    operations = [migrations.RunPython(create_first_policy, migrations.RunPython.noop)]
