import logging

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from django_celery_beat.models import PeriodicTask

from incubator import roles
from incubator.demo import DEMO_PASSWORD
from incubator.models import OutboxMessage, User

pytestmark = pytest.mark.django_db

# What the first load of the demo logged: `make run` prints it to a newcomer.
DEMO_LOG: list[logging.LogRecord] = []


class _Kept(logging.Handler):
    def emit(self, record):
        DEMO_LOG.append(record)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """`manage.py demo`, loaded once for the tests that ask for it (about 1.5 s a load).

    Loaded in a transaction rolled back at the end of the module; each test runs in a
    savepoint inside it (its django_db), so what one test changes is gone for the next.
    The tests that must see the migrations' work alone run before any asks for it.
    """
    # In English, as the suite's per-test fixture has services speak outside requests.
    kept = _Kept(level=logging.INFO)
    logging.getLogger().addHandler(kept)
    try:
        with django_db_blocker.unblock(), translation.override("en"), transaction.atomic():
            call_command("demo", verbosity=0)
            logging.getLogger().removeHandler(kept)
            yield
            transaction.set_rollback(True)
    finally:
        logging.getLogger().removeHandler(kept)


def perms(role):
    group = Group.objects.get(name=role)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_the_migration_creates_every_role_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


def test_each_role_may_do_what_the_roles_table_says():
    manager, officer = perms(roles.CENTER_MANAGER), perms(roles.PROGRAM_OFFICER)
    coordinator, viewer = perms(roles.EVENT_COORDINATOR), perms(roles.VIEWER)
    assert "programs.add_screeningpolicy" in manager
    assert "programs.add_screeningpolicy" not in officer
    assert "programs.change_application" in officer
    assert "programs.change_application" not in coordinator
    assert "incubator.change_user" not in officer
    # The viewer changes nothing; like every staff member, it may run the KPI report.
    assert all(p.split(".")[1].startswith("view_") for p in viewer - {"reports.add_reportrun"})
    assert "reports.add_reportrun" in viewer & officer & coordinator
    assert "programs.view_application" in viewer
    # Periodic tasks and partner API keys: the center manager's alone (README, SECURITY.md).
    for other in (officer, coordinator, viewer):
        assert not {p for p in other if p.startswith("django_celery_beat.")}
        assert not {p for p in other if p.endswith("_partnerapikey")}
    assert "django_celery_beat.change_periodictask" in manager
    assert "companies.view_partnerapikey" in manager


def test_the_event_coordinator_keeps_what_events_need_and_not_the_programs():
    coordinator = perms(roles.EVENT_COORDINATOR)
    for needed in (
        "companies.view_company",
        "companies.view_partnerorganisation",
        "companies.view_partnerperson",
        "events.change_event",
        "events.change_registration",
        "events.change_competitionround",
        "incubator.view_user",
    ):
        assert needed in coordinator, needed
    # The fund, applications and screening, service requests (and their threads), the
    # journey, and leads are the program officers'.
    assert not {p for p in coordinator if p.startswith("programs.")}
    assert "companies.view_lead" not in coordinator


def test_the_viewer_reads_what_a_county_needs_and_no_ones_address_or_score():
    viewer = perms(roles.VIEWER)
    for needed in (
        "companies.view_company",
        "events.view_event",
        "events.view_meeting",
        "programs.view_enrollment",
        "reports.add_reportrun",
    ):
        assert needed in viewer, needed
    for hidden in ("incubator.view_user", "events.view_score", "companies.view_partnerapikey"):
        assert hidden not in viewer, hidden


def test_the_roles_get_their_permissions_after_migrate_with_a_model_less_app_last():
    # bench.settings installs the data generator (no models) last: post_migrate is sent
    # only for apps with models, so the sync must wait for the last of those.
    from django.apps import apps

    from incubator.apps import sync_roles_after_migrate

    Group.objects.get(name=roles.PROGRAM_OFFICER).permissions.clear()
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "bench.datagen"]):
        last = [config for config in apps.get_app_configs() if config.models_module][-1]
        sync_roles_after_migrate(sender=last)
    assert "programs.view_application" in perms(roles.PROGRAM_OFFICER)


def test_demo_loads_twice_and_the_manager_signs_in_to_the_admin(demo, client):
    call_command("demo", verbosity=0)  # the second load: the fixture made the first
    assert User.objects.filter(email="manager@center.example").count() == 1
    # client.login() authenticates without a request, which django-axes refuses.
    with override_settings(AXES_ENABLED=False):
        assert client.login(email="manager@center.example", password=DEMO_PASSWORD)
    client.cookies["lang"] = "ko"
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "한중 혁신창업센터" in response.content.decode()  # the center's header, in Korean


def test_every_text_the_demo_gives_in_one_language_it_gives_in_all_three(demo):
    # A text in English only reads as English on the Korean and Chinese pages.
    from django.apps import apps
    from django.db import models

    half = []
    for model in apps.get_models():
        columns = {
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        }
        for base in sorted(name[:-3] for name in columns if name.endswith("_en")):
            names = [f"{base}_ko", f"{base}_zh", f"{base}_en"]
            if not set(names) <= columns:
                continue
            for row in model.objects.values("pk", *names):
                texts = [row[name] for name in names]
                if any(texts) and not all(texts):
                    half.append((model.__name__, row["pk"], base))
    assert half == []


def test_the_viewer_reads_the_admin_but_changes_nothing(demo, client):
    client.force_login(User.objects.get(email="viewer@center.example"))
    assert client.get("/admin/programs/application/").status_code == 200
    assert client.get("/admin/incubator/user/add/").status_code == 403


def test_no_admin_action_runs_for_a_role_without_the_change_permission(demo, client):
    """Third-party actions too: django-celery-beat's enable, disable, toggle and run."""
    tasks = list(PeriodicTask.objects.order_by("pk"))
    enabled = {task.pk: task.enabled for task in tasks}
    viewer = User.objects.get(email="viewer@center.example")
    client.force_login(viewer)
    changelist = "/admin/django_celery_beat/periodictask/"
    # The periodic tasks are the center manager's alone: the viewer does not even read them.
    assert client.get(changelist).status_code == 403
    assert "django_celery_beat" not in client.get("/admin/").content.decode()
    for action in ("enable_tasks", "disable_tasks", "toggle_tasks", "run_tasks"):
        response = client.post(
            changelist, {"action": action, "_selected_action": [t.pk for t in tasks]}
        )
        assert response.status_code == 403  # refused, not Django's "no action selected"
    assert {t.pk: t.enabled for t in PeriodicTask.objects.all()} == enabled

    # The manager's actions still work.
    client.force_login(User.objects.get(email="manager@center.example"))
    response = client.post(
        changelist, {"action": "toggle_tasks", "_selected_action": [tasks[0].pk]}
    )
    assert response.status_code == 302
    assert PeriodicTask.objects.get(pk=tasks[0].pk).enabled != enabled[tasks[0].pk]


def test_the_outbox_is_the_center_managers_alone(demo, client):
    message = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).first() or (
        OutboxMessage.objects.create(recipient="a@example.kr", kind="verify_email", dedupe_key="x")
    )
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.PENDING)
    urls = [
        "/admin/incubator/outboxmessage/",
        f"/admin/incubator/outboxmessage/{message.pk}/change/",
    ]
    for email in ("viewer@center.example", "events@center.example", "officer@center.example"):
        client.force_login(User.objects.get(email=email))
        for url in urls:
            assert client.get(url).status_code == 403, (email, url)
        response = client.post(urls[0], {"action": "deliver_now", "_selected_action": [message.pk]})
        assert response.status_code == 403, email
        assert "outboxmessage" not in client.get("/admin/").content.decode(), email
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.PENDING
    client.force_login(User.objects.get(email="manager@center.example"))
    assert client.get(urls[0]).status_code == 200
    page = client.get(urls[1]).content.decode()
    assert 'name="payload"' not in page  # shown, masked, never an editable field


def test_the_outbox_page_masks_what_looks_like_a_secret():
    from incubator.audit import redacted

    assert redacted({"name": "Kim", "url": "https://x/reset/abc", "nested": [{"token": "t"}]}) == {
        "name": "Kim",
        "url": "••••",
        "nested": [{"token": "••••"}],
    }


def test_the_demo_leaves_each_demo_judge_an_entry_to_score_and_logs_nothing(demo):
    from events.judging.demo import JUDGES
    from events.judging.models import JudgeAssignment

    for email, *_rest in JUDGES:
        waiting = JudgeAssignment.objects.filter(
            judge__email=email, submitted_at__isnull=True, entry__round__released_at__isnull=True
        )
        assert waiting.exists(), email
    # One round, still open: the ranking waits for the last sheets.
    rounds = {a.entry.round_id for a in JudgeAssignment.objects.select_related("entry")}
    assert len(rounds) == 1
    assert [f"{r.name}: {r.getMessage()}" for r in DEMO_LOG if r.levelno >= logging.INFO] == []


@pytest.mark.parametrize(
    "email, home",
    [
        ("nam@orangsimhan.example", "/portal/journey/"),
        ("judge.kim@center.example", "/portal/judging/"),
        ("investor@heilongjiang-capital.example", "/portal/events/mine/"),
        ("officer@center.example", "/admin/"),
    ],
)
def test_the_demo_sign_ins_land_where_the_readme_says(demo, client, email, home):
    response = client.post("/portal/sign-in/", {"username": email, "password": DEMO_PASSWORD})
    assert response["Location"] == home
