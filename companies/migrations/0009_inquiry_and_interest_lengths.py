# An inquiry's message and an interest's note at most 2,000 characters, as a meeting
# request's message: each is e-mailed to the company and the center.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0008_api_key_labels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="technologyinquiry",
            name="message",
            field=models.TextField(max_length=2000, verbose_name="message"),
        ),
        migrations.AlterField(
            model_name="partnerinterest",
            name="note",
            field=models.TextField(blank=True, max_length=2000, verbose_name="note"),
        ),
    ]
