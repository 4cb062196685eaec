import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from incubator import roles
from incubator.demo import DEMO_PASSWORD
from incubator.models import User

pytestmark = pytest.mark.django_db


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
    assert "companies.add_screeningpolicy" in manager
    assert "companies.add_screeningpolicy" not in officer
    assert "companies.change_application" in officer
    assert "companies.change_application" not in coordinator
    assert "incubator.change_user" not in officer
    assert all(p.split(".")[1].startswith("view_") for p in viewer)
    assert "companies.view_application" in viewer
    assert "django_celery_beat.view_periodictask" in viewer


def test_demo_loads_twice_and_the_manager_signs_in_to_the_admin(client):
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)
    assert User.objects.filter(email="manager@center.example").count() == 1
    assert client.login(email="manager@center.example", password=DEMO_PASSWORD)
    client.cookies["lang"] = "ko"
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "한중 혁신창업센터" in response.content.decode()  # the center's header, in Korean


def test_the_viewer_reads_the_admin_but_changes_nothing(client):
    call_command("demo", verbosity=0)
    client.login(email="viewer@center.example", password=DEMO_PASSWORD)
    assert client.get("/admin/incubator/outboxmessage/").status_code == 200
    assert client.get("/admin/incubator/user/add/").status_code == 403
