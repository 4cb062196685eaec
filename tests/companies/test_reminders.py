"""A certification that expires in 30 days is told to the company's members at 09:00 in the
center's zone (01:00 UTC), saying that the screening result may change."""

import datetime as dt

import pytest
import time_machine

from incubator import reminders
from incubator.models import OutboxMessage
from incubator.services import render_message
from tests.companies.factories import CertificationFactory, CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def sweep(moment: dt.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return reminders.reminders_sweep(codes=["certification_expiring"]).written


def test_a_certification_expiring_in_30_days_is_told_once_to_each_member():
    owner = MembershipFactory(user__language="ko").user
    company = owner.membership.company
    colleague = MembershipFactory(company=company, user__language="zh-hans").user
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), tick=False):
        CertificationFactory(company=company, kind="innobiz", expires_on=dt.date(2027, 1, 19))
        CertificationFactory(company=company, expires_on=dt.date(2027, 1, 20))

    assert sweep(dt.datetime(2026, 12, 20, 0, 59, tzinfo=dt.UTC)) == 0
    assert sweep(dt.datetime(2026, 12, 20, 1, 0, tzinfo=dt.UTC)) == 2
    assert sweep(dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)) == 0
    messages = {
        m.recipient: m for m in OutboxMessage.objects.filter(kind="reminder_certification_expiring")
    }
    assert set(messages) == {owner.email, colleague.email}
    korean = render_message(messages[owner.email])
    assert "2027-01-19" in korean.subject
    assert "안녕하세요" in korean.body
    chinese = render_message(messages[colleague.email])
    assert "您好" in chinese.body
    # The next day, the other certificate's turn.
    assert sweep(dt.datetime(2026, 12, 21, 1, 0, tzinfo=dt.UTC)) == 2


def test_the_reminder_names_the_company_in_the_members_language_and_leads_to_a_request():
    company = CompanyFactory(name_ko="테스트기술", name_zh="测试技术", name_en="Test Technology")
    chinese = MembershipFactory(company=company, user__language="zh-hans").user
    english = MembershipFactory(company=company, user__language="en").user
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), tick=False):
        CertificationFactory(company=company, expires_on=dt.date(2027, 1, 19))
    assert sweep(dt.datetime(2026, 12, 20, 1, 0, tzinfo=dt.UTC)) == 2
    messages = {
        m.recipient: m for m in OutboxMessage.objects.filter(kind="reminder_certification_expiring")
    }
    assert messages[chinese.email].payload["company"] == "测试技术"
    assert messages[english.email].payload["company"] == "Test Technology"
    email = render_message(messages[english.email])
    assert "Test Technology" in email.subject
    # The link opens a request to the center, to which the renewed certificate is attached:
    # the company profile has no certificates, and a submitted application's are locked.
    assert "/portal/requests/new/?kind=other" in email.body
    assert "send the new certificate to the center with a request" in email.body
    assert "company profile" not in email.body
