"""The manager makes and revokes keys in the admin; the key is shown on one page only."""

import re
import secrets

import pytest
from django.contrib.admin.utils import quote

from companies.apikeys.models import PartnerAPIKey
from tests.api.keys import a_manager, client_with
from tests.events.factories import PartnerOrganisationFactory

pytestmark = pytest.mark.django_db
ADD = "/admin/companies/partnerapikey/add/"


def test_the_manager_makes_a_key_that_works_and_is_never_shown_again(client):
    organisation = PartnerOrganisationFactory()
    client.force_login(a_manager())
    page = client.post(
        ADD,
        {
            "organisation": organisation.pk,
            "name": "CRM",
            "scopes": ["companies:read"],
            "once": secrets.token_urlsafe(8),  # each page shows a new one
        },
    )
    assert page.status_code == 200
    key = page.context["key"]
    row = PartnerAPIKey.objects.get()
    assert key.startswith(row.prefix + ".") and key in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    assert client_with(key).get("/api/v1/companies/").status_code == 200
    change = f"/admin/companies/partnerapikey/{row.prefix}/change/"
    revoke = f"/admin/companies/partnerapikey/{row.prefix}/revoke/"
    assert change in page.content.decode()  # "Go to the key"
    listed = client.get("/admin/companies/partnerapikey/")
    assert change in listed.content.decode()
    assert row.hashed_key not in page.content.decode()
    for shown in (listed, client.get(change), client.get(revoke)):
        # Neither the key nor its hash: the addresses name the key by its prefix.
        assert shown.status_code == 200
        assert key.partition(".")[2] not in shown.content.decode()
        assert row.hashed_key not in shown.content.decode()
    assert revoke in client.get(change).content.decode()
    # The library's id ("prefix.hash") opens nothing.
    assert client.get(f"/admin/companies/partnerapikey/{quote(row.pk)}/change/").status_code == 302

    assert client.post(revoke, {}).status_code == 200  # not confirmed: the form again
    done = client.post(revoke, {"confirm": "on"})
    assert done.status_code == 302 and done["Location"] == change
    assert client_with(key).get("/api/v1/companies/").status_code == 401


def test_a_bad_form_shows_its_errors_and_saves_nothing(client):
    client.force_login(a_manager())
    page = client.post(ADD, {"name": "", "scopes": ["nope"]})
    assert page.status_code == 200 and page.context["form"].errors
    assert PartnerAPIKey.objects.count() == 0


def test_the_made_page_reloaded_makes_no_second_key(client):
    # The key's page answers the POST (no redirect: the key must not sit in a session), so
    # a reload sends the form again.
    organisation = PartnerOrganisationFactory()
    client.force_login(a_manager())
    shown = client.get(ADD).context["form"]["once"].value()
    form = {"organisation": organisation.pk, "name": "CRM", "scopes": ["companies:read"]}

    refused = client.post(ADD, {**form, "name": "", "once": shown})
    made = client.post(ADD, {**form, "once": shown})  # corrected: the same form goes through
    again = client.post(ADD, {**form, "once": shown})

    assert refused.context["form"].errors["name"] and "key" in made.context
    assert again.status_code == 200 and "key" not in again.context
    assert "sent already" in again.content.decode()
    assert PartnerAPIKey.objects.count() == 1


def test_the_first_call_shown_with_a_new_key_is_one_any_key_may_make(client):
    # It was GET /companies/: a 403 "scope_missing" for a meetings:read or reports:read key.
    organisation = PartnerOrganisationFactory()
    client.force_login(a_manager())
    page = client.post(
        ADD,
        {
            "organisation": organisation.pk,
            "name": "Dashboard",
            "scopes": ["meetings:read"],
            "once": secrets.token_urlsafe(8),
        },
    )
    example = re.search(
        r'curl -H "Authorization: Api-Key (\S+)" (\S+)</code>', page.content.decode()
    )
    assert example and example[1] == page.context["key"]
    path = example[2].removeprefix("http://testserver")
    assert client_with(page.context["key"]).get(path).status_code == 200


def test_a_keys_history_link_opens_its_records_in_the_audit_trail(client):
    from companies.apikeys.services import api_key_create, api_key_revoke

    organisation = PartnerOrganisationFactory()
    manager = a_manager()
    kept, _key = api_key_create(
        actor=manager, organisation=organisation, name="CRM", scopes=["companies:read"]
    )
    row, _key = api_key_create(
        actor=manager, organisation=organisation, name="Old", scopes=["companies:read"]
    )
    api_key_revoke(actor=manager, key=row)
    client.force_login(manager)

    page = client.get(f"/admin/companies/partnerapikey/{row.prefix}/change/")
    link = re.search(r'href="([^"]+)" class="historylink"', page.content.decode())[1]
    history = client.get(link.replace("&amp;", "&"))

    # It showed "0 results": the records are filed under the organisation, not the key.
    assert history.status_code == 200
    shown = list(history.context["cl"].result_list)
    assert sorted(record.verb for record in shown) == ["api_key.create", "api_key.revoke"]
    assert {record.changes["prefix"] for record in shown} == {row.prefix}
    assert row.pk.partition(".")[2] not in link  # the link names the prefix, not the hash
