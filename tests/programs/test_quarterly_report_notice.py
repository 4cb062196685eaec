"""A filed quarterly report tells the center's staff, each in their language."""

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from incubator import services as outbox
from incubator import times
from incubator.models import OutboxMessage
from programs import stages
from programs.journey import services as journey_services

pytestmark = pytest.mark.django_db


def test_the_officers_and_managers_hear_of_a_filed_quarterly_report(
    old_enrollment, member, officer, manager, django_capture_on_commit_callbacks
):
    company = old_enrollment.company
    last = stages.quarter_of(timezone.localdate()).previous()
    with django_capture_on_commit_callbacks(execute=False):
        journey_services.quarterly_report_submit(
            company=company,
            actor=member,
            year=last.year,
            quarter=last.quarter,
            revenue=Decimal("250000"),
            revenue_currency="CNY",
            employees_china=4,
            employees_korea=9,
            funding_raised=Decimal("0"),
            funding_currency="KRW",
            customers_china=3,
        )

    messages = {
        m.recipient: m for m in OutboxMessage.objects.filter(kind="quarterly_report_submitted")
    }
    assert set(messages) == {officer.email, manager.email}
    chinese = outbox.render_message(messages[officer.email])
    assert chinese.to == [officer.email]
    assert f"{last.year}年第{last.quarter}季度" in chinese.subject
    assert "/admin/programs/quarterlyreport/" in chinese.body
    assert messages[manager.email].language == manager.language
    with translation.override(manager.language):
        in_their_words = times.quarter(last.year, last.quarter)
    assert in_their_words in outbox.render_message(messages[manager.email]).subject
