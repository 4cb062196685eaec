# A company records a certificate (kind and number) once: a double tap saved it twice, and
# it was listed and reviewed twice. The copies saved before the constraint go first, the
# oldest row stays (the later ones are the repeated taps).

from django.db import migrations, models


def delete_repeated_certifications(apps, schema_editor):
    Certification = apps.get_model("companies", "Certification")
    seen = set()
    repeated = []
    for pk, company_id, kind, number in Certification.objects.order_by("pk").values_list(
        "pk", "company_id", "kind", "number"
    ):
        key = (company_id, kind, number)
        if key in seen:
            repeated.append(pk)
        seen.add(key)
    Certification.objects.filter(pk__in=repeated).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0009_inquiry_and_interest_lengths"),
    ]

    operations = [
        migrations.RunPython(delete_repeated_certifications, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="certification",
            constraint=models.UniqueConstraint(
                fields=("company", "kind", "number"),
                name="certification_unique_per_company",
                violation_error_message="This certificate number is already recorded for the company.",
            ),
        ),
    ]
