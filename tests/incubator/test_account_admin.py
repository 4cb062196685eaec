"""Accounts and their roles change through the account services, which leave the record
of who gave whom which access (never a password), and the user admin makes no write of its
own (the walk of tests/events/test_admin_writes.py)."""

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django_celery_beat.models import PeriodicTask

from incubator import account_services, roles, services
from incubator.models import AuditRecord, OutboxMessage, User
from incubator.reports.models import ReportRun
from tests.companies.factories import PASSWORD, UserFactory, staff_in
from tests.events.test_admin_writes import writes_without_services

pytestmark = pytest.mark.django_db

# The core's pages (accounts, the outbox, the audit trail, the report runs) and the
# third-party apps' the core shows (the sign-in lockouts, the periodic tasks).
CORE = ("incubator", "reports", "axes", "django_celery_beat")


def test_the_core_admins_write_only_through_services():
    admins = [a for m, a in admin.site._registry.items() if m._meta.app_label in CORE]
    models = {a.model for a in admins}
    assert {User, OutboxMessage, AuditRecord, ReportRun, AccessAttempt, PeriodicTask} <= models
    for role in roles.ROLES:
        user = staff_in(role)
        assert [w for a in admins for w in writes_without_services(a, user)] == []


def test_a_deleted_outbox_message_is_audited_without_its_payload(client):
    manager = staff_in(roles.CENTER_MANAGER)
    client.force_login(manager)
    message = services.outbox_enqueue(
        recipient="founder@example.kr",
        kind="lead_invitation",
        dedupe_key="lead-invitation:1:2026-12-03",
        payload={"name": "Kim", "company": "Mirae", "url": "https://portal.example/sign-up/"},
        language="ko",
    )
    client.post(f"/admin/incubator/outboxmessage/{message.pk}/delete/", {"post": "yes"})
    assert not OutboxMessage.objects.filter(pk=message.pk).exists()
    record = AuditRecord.objects.get(verb="outbox_message.delete")
    assert record.actor == manager and "portal.example" not in str(record.changes)


def test_an_account_made_on_the_add_page_is_audited_without_its_password(client):
    manager = staff_in(roles.CENTER_MANAGER)
    client.force_login(manager)
    response = client.post(
        "/admin/incubator/user/add/",
        {
            "email": "new.officer@center.example",
            "full_name": "New Officer",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = User.objects.get(email="new.officer@center.example")
    record = AuditRecord.objects.get(verb="user.create")
    assert (record.actor, record.object_id) == (manager, str(made.pk))
    assert "password" not in str(record.changes) and PASSWORD not in str(record.changes)
    assert made.check_password(PASSWORD)


def test_a_role_given_or_taken_says_who_and_what_and_only_the_manager_gives_it():
    manager, person = staff_in(roles.CENTER_MANAGER), UserFactory()
    person.is_staff = True
    officers = Group.objects.filter(name=roles.PROGRAM_OFFICER)
    account_services.account_save_by_staff(
        user=person, actor=manager, fields=["is_staff", "groups"], groups=officers
    )
    record = AuditRecord.objects.get(verb="user.update")
    assert record.changes["is_staff"] == [False, True]
    assert record.changes["roles"] == [[], [roles.PROGRAM_OFFICER]]

    for actor in (staff_in(roles.PROGRAM_OFFICER), staff_in(roles.VIEWER), person):
        with pytest.raises(PermissionDenied):
            account_services.account_save_by_staff(
                user=person, actor=actor, groups=Group.objects.filter(name=roles.CENTER_MANAGER)
            )
    assert list(person.groups.values_list("name", flat=True)) == [roles.PROGRAM_OFFICER]


def test_nobody_deletes_their_own_account_and_a_deleted_one_leaves_its_record(client):
    manager, leaving = staff_in(roles.CENTER_MANAGER), UserFactory(email="gone@example.kr")
    client.force_login(manager)
    response = client.post(
        f"/admin/incubator/user/{manager.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert "You cannot delete your own account." in response.content.decode()
    assert User.objects.filter(pk=manager.pk).exists()

    client.post(f"/admin/incubator/user/{leaving.pk}/delete/", {"post": "yes"})
    assert not User.objects.filter(pk=leaving.pk).exists()
    assert AuditRecord.objects.get(verb="user.delete").changes == {"email": "gone@example.kr"}


def test_a_password_given_on_the_admin_page_is_audited_without_it_and_only_by_the_manager(
    client,
):
    manager, person = staff_in(roles.CENTER_MANAGER), UserFactory()
    client.force_login(manager)
    page = f"/admin/incubator/user/{person.pk}/password/"
    new = "a-fresh-one-for-2027"
    response = client.post(page, {"usable_password": "true", "password1": new, "password2": new})
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.check_password(new)
    record = AuditRecord.objects.get(verb="user.password_set")
    assert (record.actor, record.object_id, record.changes) == (manager, str(person.pk), {})
    assert new not in str(record.__dict__) and person.password not in str(record.__dict__)

    client.post(page, {"usable_password": "false", "unset-password": "1"})
    person.refresh_from_db()
    assert not person.has_usable_password()
    assert AuditRecord.objects.filter(verb="user.password_unset", actor=manager).count() == 1

    officer = staff_in(roles.PROGRAM_OFFICER)
    client.force_login(officer)
    refused = client.post(page, {"usable_password": "true", "password1": new, "password2": new})
    assert refused.status_code == 403
    with pytest.raises(PermissionDenied):
        account_services.account_password_set_by_staff(user=person, actor=officer, password=new)
    person.refresh_from_db()
    assert not person.has_usable_password()


def test_a_staff_members_own_new_password_is_recorded_without_it(client):
    officer = staff_in(roles.VIEWER)  # any role changes its own password
    client.force_login(officer)
    new = "my-own-for-2027-winter"
    response = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    officer.refresh_from_db()
    assert officer.check_password(new)
    record = AuditRecord.objects.get(verb="user.password_change")
    assert (record.actor, record.object_id, record.changes) == (officer, str(officer.pk), {})
    # Still signed in: the session follows the new password.
    assert client.get("/admin/").status_code == 200

    refused = client.post(
        "/admin/password_change/",
        {"old_password": "not-it", "new_password1": "x-2028-y", "new_password2": "x-2028-y"},
    )
    assert refused.status_code == 200
    assert AuditRecord.objects.filter(verb="user.password_change").count() == 1


@pytest.mark.parametrize("role", [roles.PROGRAM_OFFICER, roles.EVENT_COORDINATOR])
def test_a_reader_of_an_account_is_offered_no_password_page_it_would_refuse(client, role):
    person = UserFactory()
    change = f"/admin/incubator/user/{person.pk}/change/"
    client.force_login(staff_in(role))
    client.cookies["lang"] = "en"

    page = client.get(change).content.decode()

    assert client.get(change).status_code == 200
    assert "../password/" not in page and "Reset password" not in page
    assert "algorithm" in page  # the password's summary is still read
    assert client.get(f"/admin/incubator/user/{person.pk}/password/").status_code == 403

    client.force_login(staff_in(roles.CENTER_MANAGER))
    assert "Reset password" in client.get(change).content.decode()
