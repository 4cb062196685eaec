"""The admin's own scripts run under the portal's CSP: the browser refuses nothing."""

import pytest
from django.contrib.auth.models import Group
from django_celery_beat.models import CrontabSchedule

from incubator import roles
from tests.companies.factories import StaffFactory

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
