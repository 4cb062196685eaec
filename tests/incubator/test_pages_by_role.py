"""Every staff changelist and every portal home page, for every demo role: never a 500."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from incubator.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

STAFF = {
    "center_manager": "manager@center.example",
    "program_officer": "officer@center.example",
    "event_coordinator": "events@center.example",
    "viewer": "viewer@center.example",
}
PORTAL = {
    "startup owner": "nam@orangsimhan.example",
    "partner": "investor@heilongjiang-capital.example",
    "judge": "judge.kim@center.example",
}
PORTAL_PAGES = [
    "portal:home",
    "portal:preferences",
    "companies:dashboard",
    "programs:journey",
    "events:event-list",
    "events:my-events",
    "events:matching-list",
    "events:judging-home",
]


@pytest.fixture
def demo():
    call_command("demo", verbosity=0)


def test_every_admin_list_answers_every_staff_role(client, demo):
    lists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    for role, email in STAFF.items():
        assert client.login(email=email, password=DEMO_PASSWORD), role
        for url in lists:
            status = client.get(url).status_code
            assert status in (200, 403), f"{role} {url}: {status}"
        # Everyone on the staff side reads the review queue and the pipeline.
        assert client.get("/admin/companies/application/").status_code == 200, role
        client.logout()


def test_every_portal_home_answers_every_portal_role(client, demo):
    for role, email in PORTAL.items():
        assert client.login(email=email, password=DEMO_PASSWORD), role
        for name in PORTAL_PAGES:
            status = client.get(reverse(name)).status_code
            assert status in (200, 302, 403, 404), f"{role} {name}: {status}"
        client.logout()


def test_anonymous_visitors_are_sent_to_sign_in(client, demo):
    for name in PORTAL_PAGES:
        if name == "events:event-list":
            assert client.get(reverse(name)).status_code == 200  # published events are public
            continue
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/portal/sign-in/" in response["Location"], name
