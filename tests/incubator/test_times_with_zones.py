"""No time is shown without its zone: the admin's and Django's formats name it too."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

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


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "2026-01-02"), ("ko", "2026-1-2"), ("zh-hans", "2026年1月2日")],
)
def test_a_short_date_reads_the_same_in_korea_china_and_elsewhere(language, written):
    # Not 01/02/2026, which is a February day outside the United States.
    with translation.override(language):
        assert date_format(dt.date(2026, 1, 2), "SHORT_DATE_FORMAT") == written
