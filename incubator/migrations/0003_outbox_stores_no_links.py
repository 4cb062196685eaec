"""Take the links out of the messages written before links were made at render time.

A verification or reset message stored its link, token included, and a reset
its token in the dedupe key too: keep whom each is for and drop the rest.
"""

import re

from django.db import migrations
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

USER_LINK = re.compile(r"/portal/(?:verify|password-reset)/([^/]+)/")


def user_id_in(url: str) -> int | None:
    found = USER_LINK.search(url)
    try:
        return int(force_str(urlsafe_base64_decode(found.group(1))))
    except (AttributeError, ValueError, UnicodeDecodeError):
        return None


def forwards(apps, schema_editor):
    OutboxMessage = apps.get_model("incubator", "OutboxMessage")
    for message in OutboxMessage.objects.filter(kind__in=["verify_email", "password_reset"]):
        payload = dict(message.payload)
        url = payload.pop("url", None)
        if url is None:
            continue
        user_id = user_id_in(url)
        if user_id is not None:
            payload["user_id"] = user_id
        elif message.status == "pending":
            # Without its person the message can no longer be rendered.
            message.status = "failed"
        message.payload = payload
        if message.kind == "password_reset":
            message.dedupe_key = f"password-reset:{user_id}:before-{message.pk}"
        message.last_error = message.last_error.replace(url, "[link]")
        message.save(update_fields=["payload", "dedupe_key", "status", "last_error"])


class Migration(migrations.Migration):
    dependencies = [("incubator", "0002_roles_and_schedules")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
