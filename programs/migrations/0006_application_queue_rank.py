"""The review queue's stored sort key and the index of the queue's order (issue 13).

The queue sorted by a CASE on the status, which no index can serve: every application,
with its screening result, was read and sorted for each page.
"""

import incubator.db
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0005_application_withdrawn_and_answers_required'),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='queue_rank',
            field=models.GeneratedField(db_persist=True, expression=models.Case(models.When(status='submitted', then=models.Value(0)), default=models.Value(1)), output_field=models.PositiveSmallIntegerField(), verbose_name='place in the review queue'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=incubator.db.PortableIndex(models.F('queue_rank'), models.OrderBy(models.F('score'), descending=True, nulls_last=True), models.F('submitted_at'), models.OrderBy(models.F('id'), descending=True), name='application_queue_order_idx'),
        ),
    ]
