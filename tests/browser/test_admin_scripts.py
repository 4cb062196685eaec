"""The admin's own scripts run under the portal's CSP: the browser refuses nothing."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule

from incubator import roles
from tests.companies.factories import StaffFactory
from tests.events.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_periodic_task_form_says_the_crontab_chosen_in_words(
    live_server, new_context, signed_in
):
    manager = StaffFactory(language="ko")
    manager.groups.add(Group.objects.get(name=roles.CENTER_MANAGER))
    weekly = CrontabSchedule.objects.create(
        minute="0", hour="9", day_of_week="1", timezone="Asia/Shanghai"
    )
    context = new_context()
    context.add_cookies([{"name": "lang", "value": "ko", "url": live_server.url}])
    page = signed_in(context, manager)
    refused = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)

    page.goto(f"{live_server.url}/admin/django_celery_beat/periodictask/add/")
    page.select_option("#id_crontab", str(weekly.pk))

    words = page.inner_text(".field-crontab_translation .readonly")
    assert "09:00" in words and "월요일" in words, words
    assert refused == []


def test_an_event_form_in_the_event_zone_gives_no_note_on_the_browser_zone(
    live_server, new_context, signed_in
):
    # The browser is in Seoul (new_context), the manager and the event in Shanghai.
    manager = StaffFactory(language="en", time_zone="Asia/Shanghai")
    manager.groups.add(Group.objects.get(name=roles.CENTER_MANAGER))
    event = EventFactory(time_zone="Asia/Shanghai")
    page = signed_in(new_context(), manager)
    refused = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)

    # Django's note, on a form in the manager's own zone: "1 hour ahead of server time".
    page.goto(f"{live_server.url}/admin/django_celery_beat/periodictask/add/")
    assert page.locator(".timezonewarning").count() > 0

    page.goto(live_server.url + reverse("admin:events_event_change", args=[event.pk]))
    page.wait_for_function("document.readyState === 'complete'")
    assert page.locator("#id_starts_at_1 ~ .datetimeshortcuts").count() == 1
    assert page.locator(".timezonewarning").count() == 0
    # "Now" is still the event's time, not the browser's.
    page.fill("#id_starts_at_1", "")
    page.locator("#id_starts_at_1 ~ .datetimeshortcuts a").first.click()
    typed = dt.time.fromisoformat(page.input_value("#id_starts_at_1"))
    now = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai"))
    off = (now.hour * 60 + now.minute - typed.hour * 60 - typed.minute) % (24 * 60)
    assert min(off, 24 * 60 - off) <= 2, (typed, now)
    assert refused == []
