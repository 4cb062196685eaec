"""Staff lists name a language ("Simplified Chinese"), not its code ("zh-hans")."""

import pytest
from django.urls import reverse

from incubator import roles
from incubator.models import OutboxMessage
from incubator.reports import services
from incubator.reports.period import Period
from tests.companies.factories import staff_in

pytestmark = pytest.mark.django_db


def test_the_outbox_list_and_its_filter_name_the_language(staff_client):
    OutboxMessage.objects.create(
        recipient="li@example.cn", kind="verify_email", dedupe_key="zh", language="zh-hans"
    )
    client = staff_client(staff_in(roles.CENTER_MANAGER, language="en"))

    page = client.get(reverse("admin:incubator_outboxmessage_changelist")).content.decode()

    assert "Simplified Chinese" in page
    assert "zh-hans</td>" not in page
    assert ">zh-hans<" not in page


def test_the_report_run_list_and_its_filter_name_the_language(staff_client):
    viewer = staff_in(roles.VIEWER, language="en")
    services.report_run_start(
        actor=viewer, period=Period.parse("2024-01-01", "2024-12-31"), language="zh-hans"
    )
    client = staff_client(viewer)

    page = client.get(reverse("admin:reports_reportrun_changelist")).content.decode()

    assert "Simplified Chinese" in page
    assert ">zh-hans<" not in page
