"""Kinds of messages are read by their names, never by their codes ("verify_email")."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from companies.webhooks.models import EventType
from incubator import message_kinds, roles
from incubator.models import OutboxMessage
from tests.events.test_setup_services import staff

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "emails"


def test_every_kind_of_message_has_a_name():
    kinds = {path.name.removesuffix(".subject.txt") for path in TEMPLATES.glob("*.subject.txt")}
    kinds |= set(EventType.values)
    with translation.override("ko"):
        unnamed = sorted(kind for kind in kinds if message_kinds.label_of(kind) == kind)
    assert unnamed == []


@pytest.mark.django_db
def test_the_outbox_names_each_kind_in_the_staffs_language(client):
    message = OutboxMessage.objects.create(
        recipient="someone@example.kr", kind="verify_email", dedupe_key="verify:1"
    )
    client.force_login(staff(roles.CENTER_MANAGER))
    client.cookies["lang"] = "ko"
    pages = [
        client.get("/admin/incubator/outboxmessage/").content.decode(),
        client.get("/admin/incubator/outboxmessage/?kind=verify_email").content.decode(),
        client.get(f"/admin/incubator/outboxmessage/{message.pk}/change/").content.decode(),
    ]
    for page in pages:
        assert "주소 확인" in page
        assert "verify_email" not in re.sub(r"<[^>]*>", "", page)  # the text, not the links
    assert '<td class="field-kind_label">주소 확인</td>' in pages[1]
