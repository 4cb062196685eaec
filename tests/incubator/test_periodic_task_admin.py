"""The periodic tasks change through services on the manager's pages: each switch, edit,
delete and run leaves the record of who did it (django-celery-beat's own actions wrote
with queryset.update(), which left none)."""

import pytest
from django_celery_beat.models import PeriodicTask

from incubator import roles
from incubator.models import AuditRecord, OutboxMessage
from incubator.schedules import OUTBOX_SWEEP
from tests.companies.factories import staff_in
from tests.forms_shown import form_as_shown

pytestmark = pytest.mark.django_db

LIST = "/admin/django_celery_beat/periodictask/"


def act(client, action, *tasks):
    return client.post(LIST, {"action": action, "_selected_action": [t.pk for t in tasks]})


def test_switching_a_task_off_and_on_says_who_and_forgets_its_last_run(client):
    manager, sweep = (
        staff_in(roles.CENTER_MANAGER),
        PeriodicTask.objects.get(name=OUTBOX_SWEEP.name),
    )
    client.force_login(manager)
    assert sweep.enabled
    assert act(client, "disable_tasks", sweep).status_code == 302
    sweep.refresh_from_db()
    assert not sweep.enabled and sweep.last_run_at is None
    assert act(client, "toggle_tasks", sweep).status_code == 302
    assert PeriodicTask.objects.get(pk=sweep.pk).enabled
    records = AuditRecord.objects.filter(verb="periodic_task.update").order_by("pk")
    assert [(r.actor, r.object_id, r.changes["enabled"]) for r in records] == [
        (manager, str(sweep.pk), [True, False]),
        (manager, str(sweep.pk), [False, True]),
    ]
    # Enabling a task that is on changes nothing, and records nothing.
    act(client, "enable_tasks", sweep)
    assert records.count() == 2


def test_running_a_task_now_runs_it_and_records_who_asked(
    client, django_capture_on_commit_callbacks
):
    manager = staff_in(roles.CENTER_MANAGER)
    sweep = PeriodicTask.objects.get(name=OUTBOX_SWEEP.name)
    message = OutboxMessage.objects.create(
        recipient="founder@example.kr",
        kind="lead_invitation",
        dedupe_key="lead-invitation:1:2026-12-03",
        payload={"name": "Kim", "company": "Mirae", "url": "https://portal.example/sign-up/"},
    )
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            LIST, {"action": "run_tasks", "_selected_action": [sweep.pk]}, follow=True
        )
    assert response.status_code == 200
    record = AuditRecord.objects.get(verb="periodic_task.run")
    assert (record.actor, record.changes) == (manager, {"task": OUTBOX_SWEEP.task})
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT  # the sweep ran


def test_a_task_edited_on_its_page_records_what_moved(client):
    manager, sweep = (
        staff_in(roles.CENTER_MANAGER),
        PeriodicTask.objects.get(name=OUTBOX_SWEEP.name),
    )
    client.force_login(manager)
    url = f"{LIST}{sweep.pk}/change/"
    data = form_as_shown(client.get(url).content.decode(), "periodictask_form")
    response = client.post(url, {**data, "description": "Paused for the move", "_save": "Save"})
    assert response.status_code == 302
    record = AuditRecord.objects.get(verb="periodic_task.update")
    assert (record.actor, record.changes) == (manager, {"description": ["", "Paused for the move"]})

    client.post(f"{LIST}{sweep.pk}/delete/", {"post": "yes"})
    assert not PeriodicTask.objects.filter(pk=sweep.pk).exists()
    assert AuditRecord.objects.get(verb="periodic_task.delete").changes["task"] == OUTBOX_SWEEP.task


@pytest.mark.parametrize(
    ("language", "label", "shown"),
    [("zh-hans", "名称", "姓名"), ("ko", "이름", None)],
)
def test_a_tasks_name_is_labelled_as_a_tasks_and_read_in_the_staffs_words(
    client, language, label, shown
):
    from django.utils import translation

    from incubator.third_party import periodic_task_name

    sweep = PeriodicTask.objects.get(name=OUTBOX_SWEEP.name)
    client.force_login(staff_in(roles.CENTER_MANAGER))
    client.cookies["lang"] = language

    page = client.get(f"{LIST}{sweep.pk}/change/")

    form = page.context["adminform"].form
    assert form.fields["name"].label == label
    if shown:  # a person's name ("姓名") is not a task's
        assert shown not in form.fields["name"].label
    with translation.override(language):
        assert periodic_task_name(sweep.name) in str(form.fields["name"].help_text)
