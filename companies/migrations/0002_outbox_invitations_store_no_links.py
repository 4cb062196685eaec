"""Take the links out of the invitations written before links were made at render time.

An invitation message stored its link with the invitation's token, which never
expires: keep which invitation it is and drop the link.
"""

import re
import uuid

from django.db import migrations

INVITATION_LINK = re.compile(r"/invitations/([0-9a-fA-F-]{32,36})/")


def forwards(apps, schema_editor):
    OutboxMessage = apps.get_model("incubator", "OutboxMessage")
    Invitation = apps.get_model("companies", "Invitation")
    for message in OutboxMessage.objects.filter(kind="member_invitation"):
        payload = dict(message.payload)
        url = payload.pop("url", None)
        if url is None:
            continue
        invitation = None
        found = INVITATION_LINK.search(url)
        try:
            token = uuid.UUID(found.group(1))
        except (AttributeError, ValueError):
            pass
        else:
            invitation = Invitation.objects.filter(token=token).first()
        if invitation is not None:
            payload["invitation_id"] = invitation.pk
        elif message.status == "pending":
            # Without its invitation the message can no longer be rendered.
            message.status = "failed"
        message.payload = payload
        message.last_error = message.last_error.replace(url, "[link]")
        message.save(update_fields=["payload", "status", "last_error"])


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0001_initial"),
        ("incubator", "0003_outbox_stores_no_links"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
