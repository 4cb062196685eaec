"""No outbox row holds a usable link: staff who read the outbox take over no account.

Each message that needs a token stores whom it is for; the token and the link
are made when the message is rendered. Every text column of every row is
searched for the token, and the rendered e-mail's link is followed to show it
still works.
"""

import datetime as dt
import importlib
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import models
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from companies.models import Invitation, Membership
from incubator import roles
from incubator.links import email_verification_token
from incubator.models import OutboxMessage, User
from incubator.services import render_message
from tests.companies.factories import PASSWORD, CompanyFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://portal.example"


@pytest.fixture(autouse=True)
def fixed_token_clock(settings, monkeypatch):
    """One clock for the token in the e-mail and the one each test computes."""
    settings.SITE_URL = SITE
    for generator in (default_token_generator, email_verification_token):
        monkeypatch.setattr(generator, "_now", lambda: dt.datetime(2026, 3, 2, 9, 30))


def stored_text() -> str:
    """Return every text column of every outbox row, as the admin could show it."""
    values = []
    for message in OutboxMessage.objects.all():
        for field in OutboxMessage._meta.fields:
            value = getattr(message, field.attname)
            if isinstance(field, models.JSONField):
                values.append(json.dumps(value, ensure_ascii=False))
            elif isinstance(value, str):
                values.append(value)
    return "\n".join(values)


def link_in(message, pattern: str) -> str:
    """Return the path of the link of the rendered e-mail, as delivery renders it."""
    email = render_message(message)
    found = re.search(re.escape(SITE) + f"({pattern})", email.body)
    assert found, email.body
    assert found.group(1) in email.alternatives[0][0]  # the HTML part has it too
    return found.group(1)


def test_a_sign_up_stores_no_verification_token_and_its_link_still_verifies(client):
    client.post(
        "/portal/sign-up/",
        {
            "email": "founder@example.kr",
            "full_name": "남정화",
            "language": "ko",
            "time_zone": "Asia/Seoul",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    user = User.objects.get(email="founder@example.kr")
    token = email_verification_token.make_token(user)
    message = OutboxMessage.objects.get(kind="verify_email")
    assert message.payload == {"name": "남정화", "user_id": user.pk}
    assert token not in stored_text() and "/portal/verify/" not in stored_text()

    path = link_in(message, r"/portal/verify/\S+/")
    assert token in path
    response = client.get(path, follow=True)
    assert response.wsgi_request.user == user
    user.refresh_from_db()
    assert user.email_verified
    # A confirmation token is no reset token, and it serves once.
    assert not default_token_generator.check_token(user, token)
    assert not email_verification_token.check_token(user, token)


def test_a_reset_request_stores_no_token_and_its_link_sets_the_password(client):
    user = UserFactory(email="founder@example.kr")
    token = default_token_generator.make_token(user)
    response = client.post("/portal/password-reset/", {"email": "founder@example.kr"})
    assert response.status_code == 302
    message = OutboxMessage.objects.get(kind="password_reset")
    assert message.payload == {"name": user.full_name, "user_id": user.pk}
    assert token not in stored_text() and "/portal/password-reset/" not in stored_text()
    assert message.dedupe_key.startswith(f"password-reset:{user.pk}:")

    path = link_in(message, r"/portal/password-reset/\S+/")
    assert token in path
    form = client.get(path, follow=True)  # Django swaps the token for a session key
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-one-for-2026", "new_password2": "a-new-one-for-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-one-for-2026")
    # The token died with the old password: the same e-mail cannot be used twice.
    again = client.get(path, follow=True)
    assert 'name="new_password1"' not in again.content.decode()


def test_a_second_reset_request_is_one_message_then_a_new_one_later(client, monkeypatch):
    user = UserFactory(email="founder@example.kr")
    client.post("/portal/password-reset/", {"email": user.email})
    client.post("/portal/password-reset/", {"email": user.email})
    assert OutboxMessage.objects.filter(kind="password_reset").count() == 1

    later = OutboxMessage.objects.get().created_at + dt.timedelta(minutes=11)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    client.post("/portal/password-reset/", {"email": user.email})
    assert OutboxMessage.objects.filter(kind="password_reset").count() == 2


def test_an_invitation_stores_no_token_and_its_link_opens_the_invitation(client):
    owner = UserFactory(email="owner@example.kr")
    Membership.objects.create(user=owner, company=CompanyFactory(), role=Membership.Role.OWNER)
    client.force_login(owner)
    response = client.post("/portal/company/members/invite/", {"email": "cto@example.kr"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="cto@example.kr")
    message = OutboxMessage.objects.get(kind="member_invitation")
    assert message.payload["invitation_id"] == invitation.pk
    assert str(invitation.token) not in stored_text()
    assert invitation.token.hex not in stored_text()
    assert invitation.link_token not in stored_text()
    assert "/portal/invitations/" not in stored_text()

    path = link_in(message, r"/portal/invitations/[^/\s]+/")
    assert path == f"/portal/invitations/{invitation.link_token}/"
    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert invitation.company.name in page.content.decode()


def test_the_outbox_admin_shows_no_token(client):
    user = UserFactory(email="founder@example.kr")
    client.post("/portal/password-reset/", {"email": user.email})
    token = default_token_generator.make_token(user)
    message = OutboxMessage.objects.get(kind="password_reset")
    manager = StaffFactory()
    roles.sync_role_permissions()
    manager.groups.add(Group.objects.get(name=roles.CENTER_MANAGER))
    client.force_login(manager)
    for url in (
        "/admin/incubator/outboxmessage/",
        f"/admin/incubator/outboxmessage/{message.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert token not in response.content.decode()
        assert "/portal/password-reset/M" not in response.content.decode()


def test_messages_written_before_keep_whom_they_are_for_and_lose_their_link():
    from django.apps import apps

    incubator_step = importlib.import_module("incubator.migrations.0003_outbox_stores_no_links")
    companies_step = importlib.import_module(
        "companies.migrations.0002_outbox_invitations_store_no_links"
    )
    user = UserFactory()
    owner = UserFactory()
    invitation = Invitation.objects.create(
        company=CompanyFactory(), email="cto@example.kr", invited_by=owner
    )
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    reset_url = f"{SITE}/portal/password-reset/{uid}/{token}/"
    invitation_url = f"{SITE}/portal/invitations/{invitation.token}/"
    old = [
        ("verify_email", f"verify-email:{user.pk}", f"{SITE}/portal/verify/{uid}/{token}/"),
        ("password_reset", f"password-reset:{user.pk}:{token}", reset_url),
        ("member_invitation", f"invitation:{invitation.pk}", invitation_url),
    ]
    for kind, key, url in old:
        OutboxMessage.objects.create(
            recipient=user.email,
            kind=kind,
            dedupe_key=key,
            payload={"name": "Founder", "url": url},
            status=OutboxMessage.Status.SENT,
            last_error=f"SMTPDataError: rejected {url}",
        )

    incubator_step.forwards(apps, None)
    companies_step.forwards(apps, None)

    assert token not in stored_text() and str(invitation.token) not in stored_text()
    payloads = dict(OutboxMessage.objects.values_list("kind", "payload"))
    assert payloads["verify_email"] == {"name": "Founder", "user_id": user.pk}
    assert payloads["password_reset"] == {"name": "Founder", "user_id": user.pk}
    assert payloads["member_invitation"] == {"name": "Founder", "invitation_id": invitation.pk}


def test_a_calendar_feed_token_is_in_no_column_no_audit_record_no_log_and_no_admin_page(
    client, caplog
):
    from events.feeds.models import CalendarFeed
    from incubator.models import AuditRecord
    from tests.stored import columns_holding

    user = UserFactory(language="en")
    client.force_login(user)
    with caplog.at_level("DEBUG"):
        page = client.post("/portal/calendar/regenerate/", {"feed": "mine"}, follow=True)
        token = re.search(r"/portal/calendar/([\w-]+)\.ics", page.content.decode()).group(1)
        assert client.get(f"/portal/calendar/{token}.ics").status_code == 200

    assert columns_holding(token) == []
    assert CalendarFeed.objects.get(user=user).token_hash  # its hash alone is kept
    record = AuditRecord.objects.get(verb="calendar_feed.regenerate")
    assert token not in json.dumps([record.changes, record.object_names]) + record.object_repr
    assert token not in caplog.text
    assert token not in stored_text()
    manager = StaffFactory()
    roles.sync_role_permissions()
    manager.groups.add(Group.objects.get(name=roles.CENTER_MANAGER))
    client.force_login(manager)
    feed = CalendarFeed.objects.get(user=user)
    for url in ("/admin/events/calendarfeed/", f"/admin/events/calendarfeed/{feed.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200
        assert token not in response.content.decode()
