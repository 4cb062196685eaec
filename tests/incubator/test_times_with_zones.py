"""No time is shown without its zone: the admin's and Django's formats name it too."""

import re

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from incubator import roles
from incubator.audit import audit_record
from tests.events.test_setup_services import staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "zone", "abbreviation"),
    [("ko", "Asia/Seoul", "KST"), ("zh-hans", "Asia/Shanghai", "CST"), ("en", "Asia/Seoul", "KST")],
)
def test_the_admins_times_carry_the_readers_zone(client, language, zone, abbreviation):
    manager = staff(roles.CENTER_MANAGER)
    manager.time_zone = zone
    manager.save()
    audit_record(actor=manager, verb="lead.create")
    client.force_login(manager)
    client.cookies["lang"] = language
    page = client.get("/admin/incubator/auditrecord/").content.decode()
    assert re.search(rf"\d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}} {abbreviation}", page)


def test_a_time_formatted_by_django_without_a_format_names_its_zone():
    with translation.override("ko"), timezone.override("Asia/Seoul"):
        text = Template("{{ when }}").render(Context({"when": timezone.now()}))
    assert text.endswith(" KST")
