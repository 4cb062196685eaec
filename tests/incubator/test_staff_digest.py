"""The staff weekly digest counts what is overdue by its reader's day, and links each item."""

import datetime as dt

import pytest
import time_machine

from companies.models import Lead
from incubator import reminders, roles
from incubator.models import OutboxMessage
from incubator.services import render_message
from programs.concierge.models import ServiceRequest
from tests.companies.factories import CompanyFactory, staff_in

pytestmark = pytest.mark.django_db


def test_a_seoul_officers_monday_digest_has_sundays_items_each_with_its_link(settings):
    settings.SITE_URL = "https://center.example"
    officer = staff_in(roles.PROGRAM_OFFICER, time_zone="Asia/Seoul", language="en")
    sunday = dt.date(2026, 12, 20)
    request = ServiceRequest.objects.create(
        company=CompanyFactory(), kind="ip", subject="Trademark", owner=officer, due_on=sunday
    )
    lead = Lead.objects.create(
        company_name="Lead Co",
        source="roadshow",
        owner=officer,
        next_step="Call back",
        next_step_on=sunday,
    )
    # Monday 21 December, 08:00 in Seoul is Sunday 23:00 UTC.
    with time_machine.travel(dt.datetime(2026, 12, 20, 23, 0, tzinfo=dt.UTC), tick=False):
        assert reminders.reminders_sweep(codes=["staff_digest"]).written == 1
    digest = OutboxMessage.objects.get(kind="reminder_staff_digest", recipient=officer.email)
    assert [r["subject"] for r in digest.payload["requests"]] == [f"#{request.pk} Trademark"]
    assert [item["company"] for item in digest.payload["leads"]] == ["Lead Co"]
    email = render_message(digest)
    request_url = f"https://center.example/admin/programs/servicerequest/{request.pk}/change/"
    lead_url = f"https://center.example/admin/companies/lead/{lead.pk}/change/"
    assert request_url in email.body
    assert lead_url in email.body
    html = email.alternatives[0][0]
    assert f'<a href="{request_url}">' in html
    assert f'<a href="{lead_url}">' in html
