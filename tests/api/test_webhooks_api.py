"""A partner manages its own webhook endpoints through the API."""

import pytest

from companies.webhooks.models import WebhookEndpoint
from companies.webhooks.services import endpoint_secret
from incubator.models import AuditRecord
from tests.api.keys import client_with, key_for
from tests.events.factories import PartnerOrganisationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/webhooks/"
BODY = {"url": "https://127.0.0.1:8443/hooks", "event_types": ["meeting.confirmed"]}


@pytest.fixture
def organisation():
    return PartnerOrganisationFactory()


@pytest.fixture
def partner(organisation):
    return client_with(key_for(organisation, scopes=["webhooks:manage"])[1])


def test_an_endpoint_is_made_with_its_secret_shown_once(partner, organisation):
    made = partner.post(URL, BODY, format="json")
    assert made.status_code == 201, made.content
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.organisation == organisation
    assert made.json()["secret"] == endpoint_secret(endpoint)
    assert "secret" not in partner.get(f"{URL}{endpoint.pk}/").json()
    assert [e["id"] for e in partner.get(URL).json()["results"]] == [endpoint.pk]
    record = AuditRecord.objects.get(verb="webhook.create")
    assert made.json()["secret"] not in str(record.changes)


def test_rotate_change_and_delete(partner):
    endpoint_id = partner.post(URL, BODY, format="json").json()["id"]
    endpoint = WebhookEndpoint.objects.get()
    old = endpoint_secret(endpoint)
    rotated = partner.post(f"{URL}{endpoint_id}/rotate-secret/")
    assert rotated.status_code == 200 and rotated.json()["secret"] != old
    changed = partner.patch(f"{URL}{endpoint_id}/", {"is_active": False}, format="json")
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    assert partner.delete(f"{URL}{endpoint_id}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_another_organisations_endpoint_is_a_404(partner):
    endpoint_id = partner.post(URL, BODY, format="json").json()["id"]
    other = client_with(key_for(PartnerOrganisationFactory(), scopes=["webhooks:manage"])[1])
    assert other.get(f"{URL}{endpoint_id}/").status_code == 404
    assert other.delete(f"{URL}{endpoint_id}/").status_code == 404
    assert other.post(f"{URL}{endpoint_id}/rotate-secret/").status_code == 404
    assert other.get(URL).json()["count"] == 0
    assert WebhookEndpoint.objects.count() == 1


def test_a_private_address_is_refused_in_production_with_nothing_saved(partner, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    partner.credentials(
        HTTP_AUTHORIZATION=partner._credentials["HTTP_AUTHORIZATION"], HTTP_ACCEPT_LANGUAGE="ko"
    )
    for url in ("https://10.0.0.1/hook", "http://example.com/hook", "https://169.254.169.254/"):
        answer = partner.post(URL, {**BODY, "url": url}, format="json")
        assert answer.status_code == 400, (url, answer.content)
        assert answer.json()["code"] == "invalid" and answer.json()["fields"]
    assert not WebhookEndpoint.objects.exists()


def test_unknown_event_types_are_refused(partner):
    answer = partner.post(URL, {**BODY, "event_types": ["payment.made"]}, format="json")
    assert answer.status_code == 400 and "event_types" in answer.json()["fields"]


def test_a_second_endpoint_at_the_same_url_is_a_409_naming_the_first(partner, organisation):
    # A retried POST made a second endpoint: every event then came twice, under two ids.
    first = partner.post(URL, BODY, format="json").json()
    again = partner.post(URL, {**BODY, "event_types": ["event.changed"]}, format="json")
    other = partner.post(URL, {**BODY, "url": "https://127.0.0.1:8443/other"}, format="json")
    moved = partner.patch(f"{URL}{other.json()['id']}/", {"url": BODY["url"]}, format="json")

    for refused in (again, moved):
        assert refused.status_code == 409
        assert refused.json() == {
            "code": "conflict",
            "message": "This organisation has an endpoint at this URL already "
            f"(endpoint {first['id']}).",
            "fields": {},
            "reason": "url_taken",
        }
    assert WebhookEndpoint.objects.count() == 2
    # Another organisation may use the same address.
    theirs = client_with(key_for(PartnerOrganisationFactory(), scopes=["webhooks:manage"])[1])
    assert theirs.post(URL, BODY, format="json").status_code == 201


def test_a_put_replaces_the_settings_it_leaves_out_and_a_patch_keeps_them(partner):
    made = partner.post(
        URL, {**BODY, "is_active": False, "description": "CRM"}, format="json"
    ).json()
    patched = partner.patch(
        f"{URL}{made['id']}/", {"event_types": ["meeting.moved"]}, format="json"
    )
    assert (patched.json()["is_active"], patched.json()["description"]) == (False, "CRM")

    put = partner.put(
        f"{URL}{made['id']}/",
        {"url": "https://127.0.0.1:8443/hooks2", "event_types": ["meeting.moved"]},
        format="json",
    )

    assert put.status_code == 200, put.content
    assert (put.json()["is_active"], put.json()["description"]) == (True, "")
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.is_active, endpoint.description) == (True, "")


def test_no_cache_keeps_an_answer_with_a_secret(partner):
    made = partner.post(URL, BODY, format="json")
    rotated = partner.post(f"{URL}{made.json()['id']}/rotate-secret/")
    for answer in (made, rotated):
        assert "no-store" in answer["Cache-Control"] and "private" in answer["Cache-Control"]
    assert "no-store" not in partner.get(URL).get("Cache-Control", "")
