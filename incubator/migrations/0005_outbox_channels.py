from django.db import migrations, models


class Migration(migrations.Migration):
    """The outbox gets a second channel, webhooks, whose recipient names an endpoint."""

    dependencies = [
        ("incubator", "0004_audit_trail"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="channel",
            field=models.CharField(
                choices=[("email", "e-mail"), ("webhook", "webhook")],
                default="email",
                max_length=10,
                verbose_name="channel",
            ),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="recipient",
            field=models.CharField(max_length=254, verbose_name="recipient"),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(fields=["recipient", "created_at"], name="outbox_recipient_idx"),
        ),
        migrations.AddConstraint(
            model_name="outboxmessage",
            constraint=models.CheckConstraint(
                condition=models.Q(("channel", "email"), ("recipient__contains", "@"))
                | models.Q(("channel", "webhook"), ("recipient__startswith", "webhook:")),
                name="outbox_recipient_fits_channel",
            ),
        ),
    ]
