"""The budget of wrong keys per client address (incubator.api.auth.WrongKeyThrottle)."""

import secrets

import pytest

from tests.api.keys import client_with, key_for
from tests.events.factories import PartnerOrganisationFactory

pytestmark = pytest.mark.django_db
COMPANIES = "/api/v1/companies/"


def budget(settings, **rates):
    """Set throttle rates; the tests' settings have no budget of wrong keys."""
    current = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**current, **rates},
    }


def an_address() -> str:
    # One of this test's own: the counts live in Redis, shared by every test and worker.
    return f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"


def a_wrong_key(key: str) -> str:
    return f"{key.partition('.')[0]}.{'x' * 32}"


@pytest.mark.parametrize("language", ["en", "ko", "zh-hans"])
def test_wrong_keys_from_one_address_get_429_past_the_budget(settings, language):
    budget(settings, wrong_key="5/minute")
    address = an_address()
    _row, key = key_for(PartnerOrganisationFactory())
    wrong = client_with(a_wrong_key(key), language)
    answers = [wrong.get(COMPANIES, REMOTE_ADDR=address) for _ in range(6)]
    assert [a.status_code for a in answers] == [401] * 5 + [429]
    refused = answers[-1]
    seconds = int(refused["Retry-After"])
    assert 55 <= seconds <= 60
    message = {
        "en": f"Too many calls with a wrong key from your IP address: try again in {seconds} "
        "seconds.",
        "ko": f"이 IP 주소에서 잘못된 키로 보낸 호출이 너무 많습니다: {seconds}초 후에 다시 "
        "시도하세요.",
        "zh-hans": f"来自您 IP 地址的错误密钥调用过于频繁：请在 {seconds} 秒后重试。",
    }[language]
    assert refused.json() == {"code": "too_many_wrong_keys", "message": message, "fields": {}}
    # Refused before the key is looked up, or a guesser would learn which key is valid.
    assert client_with(key).get(COMPANIES, REMOTE_ADDR=address).status_code == 429
    assert client_with(key).get(COMPANIES, REMOTE_ADDR=an_address()).status_code == 200


def test_valid_keys_are_not_counted_and_keep_their_own_budget(settings):
    budget(settings, wrong_key="5/minute", partner_key="3/minute")
    address = an_address()
    _row, key = key_for(PartnerOrganisationFactory())
    valid, wrong = client_with(key), client_with(a_wrong_key(key))
    calls = [valid.get(COMPANIES, REMOTE_ADDR=address) for _ in range(3)]
    calls += [wrong.get(COMPANIES, REMOTE_ADDR=address) for _ in range(5)]
    assert [a.status_code for a in calls] == [200] * 3 + [401] * 5
    # The key's own budget of 3 a minute is spent by its 3 calls, not by the wrong keys.
    other_address = an_address()
    assert valid.get(COMPANIES, REMOTE_ADDR=other_address).json()["code"] == "throttled"
    _row, fresh = key_for(PartnerOrganisationFactory())
    fresh_calls = [client_with(fresh).get(COMPANIES, REMOTE_ADDR=other_address) for _ in range(3)]
    assert [a.status_code for a in fresh_calls] == [200] * 3


def test_calls_without_a_key_are_not_counted(settings):
    budget(settings, wrong_key="2/minute")
    address = an_address()
    anonymous = client_with(None)
    assert {anonymous.get(COMPANIES, REMOTE_ADDR=address).status_code for _ in range(4)} == {401}
    _row, key = key_for(PartnerOrganisationFactory())
    assert client_with(key).get(COMPANIES, REMOTE_ADDR=address).status_code == 200


def test_behind_the_proxy_each_visitor_has_a_budget_of_their_own(settings):
    budget(settings, wrong_key="2/minute")
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    guesser, partner = an_address(), an_address()
    _row, key = key_for(PartnerOrganisationFactory())
    wrong = client_with(a_wrong_key(key))
    # What the visitor writes left of the proxy's entry does not make another budget.
    statuses = [
        wrong.get(COMPANIES, HTTP_X_FORWARDED_FOR=f"{forged}, {guesser}", **proxy).status_code
        for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3")
    ]
    assert statuses == [401, 401, 429]
    answer = client_with(key).get(COMPANIES, HTTP_X_FORWARDED_FOR=partner, **proxy)
    assert answer.status_code == 200


def test_a_stopped_redis_lets_the_calls_through(settings):
    budget(settings, wrong_key="1/minute")
    settings.CACHES = {
        **settings.CACHES,
        "api": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        },
    }
    address = an_address()
    _row, key = key_for(PartnerOrganisationFactory())
    wrong = client_with(a_wrong_key(key))
    assert [wrong.get(COMPANIES, REMOTE_ADDR=address).status_code for _ in range(3)] == [401] * 3
    assert client_with(key).get(COMPANIES, REMOTE_ADDR=address).status_code == 200
