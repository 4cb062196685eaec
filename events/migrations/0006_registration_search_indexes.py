"""The admin's registration search, one index per way it matches (issue 13).

The first letters of the name: a pattern index on `search_name` (on every database); the
guest's address: a trigram index of `UPPER(guest_email)`, which `icontains` compares (on
PostgreSQL only, as the accounts' one in incubator 0009, which installs pg_trgm).
"""

from django.db import migrations, models

from incubator.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_labels_of_reminders_and_feeds"),
        ("incubator", "0009_user_email_trigram"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(
                fields=["search_name"],
                name="registration_name_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        trigram_index(
            "registration_guest_email_trgm", "events_registration", "UPPER(guest_email)"
        ),
    ]
