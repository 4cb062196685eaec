"""Partner API keys: made and revoked by the manager, shown once, stored as a hash."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from companies.apikeys.models import PartnerAPIKey
from companies.apikeys.services import api_key_create, api_key_revoke
from incubator.models import AuditRecord
from tests.api.keys import a_manager, client_with, key_for
from tests.companies.factories import StaffFactory
from tests.events.factories import (
    EventFactory,
    PartnerOrganisationFactory,
    PartnerPersonFactory,
    PartnerRegistrationFactory,
)
from tests.stored import columns_holding

pytestmark = pytest.mark.django_db
COMPANIES = "/api/v1/companies/"
REGISTRATIONS = "/api/v1/registrations/"


def test_a_key_is_made_with_its_scopes_and_audited():
    organisation = PartnerOrganisationFactory()
    row, key = key_for(organisation, scopes=["companies:read", "events:read"])
    prefix, _, secret = key.partition(".")
    assert row.prefix == prefix and len(secret) >= 32
    assert row.scopes == ["companies:read", "events:read"]
    record = AuditRecord.objects.get(verb="api_key.create")
    assert record.object_id == str(organisation.pk) and record.changes["prefix"] == prefix
    assert secret not in f"{record.changes} {record.object_repr} {record.object_names}"


def test_no_plaintext_key_in_any_text_column_of_the_database():
    _row, key = key_for(PartnerOrganisationFactory())
    assert columns_holding(key.partition(".")[2]) == []


def test_only_the_center_manager_makes_or_revokes_keys():
    organisation = PartnerOrganisationFactory()
    officer = StaffFactory()
    with pytest.raises(PermissionDenied):
        api_key_create(actor=officer, organisation=organisation, name="x", scopes=["events:read"])
    row, _key = key_for(organisation)
    with pytest.raises(PermissionDenied):
        api_key_revoke(actor=officer, key=row)
    assert PartnerAPIKey.objects.count() == 1 and not PartnerAPIKey.objects.get().revoked


def test_unknown_scopes_and_a_past_expiry_are_refused_with_nothing_saved():
    from django.core.exceptions import ValidationError

    organisation = PartnerOrganisationFactory()
    with pytest.raises(ValidationError):
        key_for(organisation, scopes=["companies:write"])
    with pytest.raises(ValidationError):
        key_for(organisation, expiry_date=timezone.now() - dt.timedelta(minutes=1))
    assert PartnerAPIKey.objects.count() == 0


@pytest.mark.parametrize("language", ["ko", "zh-hans", "en"])
def test_no_key_a_malformed_key_and_a_wrong_secret_get_401_in_the_callers_language(language):
    _row, key = key_for(PartnerOrganisationFactory())
    prefix = key.partition(".")[0]
    answers = [
        client_with(None, language).get(COMPANIES),
        client_with("not-a-key", language).get(COMPANIES),
        client_with(f"{prefix}.{'x' * 32}", language).get(COMPANIES),
    ]
    assert [a.status_code for a in answers] == [401, 401, 401]
    assert all(a["WWW-Authenticate"] == "Api-Key" for a in answers)
    bodies = [a.json() for a in answers]
    assert [b["code"] for b in bodies] == ["not_authenticated", "key_invalid", "key_invalid"]
    expected = {
        "ko": "유효하지 않거나 폐기된 API 키입니다.",
        "zh-hans": "此 API 密钥无效或已被吊销。",
        "en": "This API key is not valid, or it was revoked.",
    }[language]
    assert bodies[1]["message"] == expected and bodies[1]["fields"] == {}


def test_a_revoked_key_gets_401_on_its_next_call():
    row, key = key_for(PartnerOrganisationFactory())
    client = client_with(key)
    assert client.get(COMPANIES).status_code == 200
    api_key_revoke(actor=a_manager(), key=row)
    answer = client.get(COMPANIES)
    assert answer.status_code == 401 and answer.json()["code"] == "key_invalid"
    revoked = AuditRecord.objects.get(verb="api_key.revoke")
    assert revoked.changes["prefix"] == row.prefix


def test_an_expired_key_gets_401():
    row, key = key_for(
        PartnerOrganisationFactory(), expiry_date=timezone.now() + dt.timedelta(hours=1)
    )
    client = client_with(key)
    assert client.get(COMPANIES).status_code == 200
    # An hour later: the expiry is now behind us.
    PartnerAPIKey.objects.filter(pk=row.pk).update(
        expiry_date=timezone.now() - dt.timedelta(seconds=1)
    )
    answer = client.get(COMPANIES)
    assert answer.status_code == 401 and answer.json()["code"] == "key_expired"


def test_a_key_without_the_scope_gets_403_naming_it():
    _row, key = key_for(PartnerOrganisationFactory(), scopes=["events:read"])
    answer = client_with(key, "ko").get(COMPANIES)
    assert answer.status_code == 403
    assert answer.json() == {
        "code": "scope_missing",
        "message": "이 API 키에는 companies:read 권한 범위가 없습니다.",
        "fields": {},
    }


def test_a_read_scope_reads_what_its_write_scope_manages_and_writes_nothing():
    person = PartnerPersonFactory()
    event = EventFactory()
    PartnerRegistrationFactory(event=event, person=person)
    body = {"event": EventFactory().pk, "person": person.pk}
    reader = client_with(key_for(person.organisation, scopes=["registrations:read"])[1])
    assert reader.get(REGISTRATIONS).json()["count"] == 1
    refused = reader.post(REGISTRATIONS, body, format="json")
    assert refused.status_code == 403
    assert refused.json()["message"] == "This API key lacks the scope registrations:write."
    writer = client_with(key_for(person.organisation, scopes=["registrations:write"])[1])
    assert writer.get(REGISTRATIONS).json()["count"] == 1
    assert writer.post(REGISTRATIONS, body, format="json").status_code == 201
    # Neither: the refusal names the scope that is enough to read.
    neither = client_with(key_for(person.organisation, scopes=["events:read"])[1])
    answer = neither.get(REGISTRATIONS)
    assert answer.status_code == 403
    assert answer.json()["message"] == "This API key lacks the scope registrations:read."


def test_the_last_use_is_recorded_at_most_once_a_minute():
    row, key = key_for(PartnerOrganisationFactory())
    client = client_with(key)
    client.get(COMPANIES)
    row.refresh_from_db()
    first = row.last_used_at
    assert first is not None
    client.get(COMPANIES)
    row.refresh_from_db()
    assert row.last_used_at == first


@pytest.mark.parametrize("cache", ["configured", "memory"])
def test_a_key_over_its_budget_gets_429_with_retry_after(cache, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"partner_key": "3/minute"},
    }
    if cache == "memory":
        # Without REDIS_URL the count lives in the process's memory, and still works.
        settings.CACHES = {
            **settings.CACHES,
            "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
        }
    _row, key = key_for(PartnerOrganisationFactory())
    client = client_with(key, "zh-hans")
    assert [client.get(COMPANIES).status_code for _ in range(3)] == [200, 200, 200]
    answer = client.get(COMPANIES)
    assert answer.status_code == 429
    assert 0 < int(answer["Retry-After"]) <= 60
    assert answer.json()["code"] == "throttled" and "秒后重试" in answer.json()["message"]
    # Another key has its own budget.
    _other, other = key_for(PartnerOrganisationFactory())
    assert client_with(other).get(COMPANIES).status_code == 200


def test_any_key_reads_its_own_organisations_people_only():
    from tests.events.factories import PartnerPersonFactory

    person = PartnerPersonFactory(user__full_name="张伟 Zhang Wei")
    PartnerPersonFactory()  # another organisation's
    _row, key = key_for(person.organisation, scopes=["events:read"])
    people = client_with(key).get("/api/v1/people/").json()["results"]
    assert people == [
        {
            "id": person.pk,
            "name": "张伟 Zhang Wei",
            "title": person.title,
            "languages": ["en", "zh"],
        }
    ]
