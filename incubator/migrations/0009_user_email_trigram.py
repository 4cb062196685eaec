"""pg_trgm, and a trigram index of the accounts' e-mail addresses (on PostgreSQL only).

The admin searches addresses with `icontains`, `UPPER(email) LIKE UPPER('%…%')`, which no
B-tree serves; the registrations' search reaches accounts through this index (issue 13).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from incubator.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("incubator", "0008_labels_of_reminders_and_feeds"),
    ]

    operations = [
        # Does nothing on another database than PostgreSQL.
        TrigramExtension(),
        trigram_index("user_email_trgm", "incubator_user", "UPPER(email)"),
    ]
