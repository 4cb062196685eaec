"""An API URL without its trailing slash: a write is a JSON 404 naming the URL, a GET a
redirect; never Django's RuntimeError (DEBUG) or a 301 that drops the body."""

import pytest

from events.models import Registration
from tests.api.keys import EVERY_SCOPE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", "/api/v1/registrations"),
        ("DELETE", "/api/v1/webhooks/4"),
        ("PUT", "/api/v1/webhooks/4"),
        ("PATCH", "/api/v1/webhooks/4"),
        ("POST", "/api/v1/webhooks/4/rotate-secret"),
        ("POST", "/api/v1"),
    ],
)
def test_a_write_without_its_trailing_slash_is_a_404_naming_the_url(
    api_client, settings, debug, method, url
):
    settings.DEBUG = debug
    body = '{"event": 1, "person": 1}'
    answer = api_client(EVERY_SCOPE).generic(method, url, body, "application/json")
    assert answer.status_code == 404
    assert answer.json() == {
        "code": "not_found",
        "message": f"No endpoint here: its URL ends with a slash ({url}/).",
        "fields": {},
    }
    assert not Registration.objects.exists()


def test_the_url_named_keeps_the_query_string(api_client):
    answer = api_client(EVERY_SCOPE).post("/api/v1/registrations?dry=1", {})
    assert answer.json()["message"].endswith("(/api/v1/registrations/?dry=1).")


@pytest.mark.parametrize("language", ["ko", "zh-hans"])
def test_the_missing_slash_is_named_in_the_callers_language(api_client, language):
    url = "/api/v1/registrations"
    answer = api_client(EVERY_SCOPE).post(url, {}, HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 404
    assert (
        answer.json()["message"]
        == {
            "ko": f"여기에는 엔드포인트가 없습니다: URL은 슬래시로 끝납니다({url}/).",
            "zh-hans": f"此处没有端点：其 URL 以斜杠结尾（{url}/）。",
        }[language]
    )


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_read_without_its_trailing_slash_is_still_redirected(api_client, method):
    answer = api_client(EVERY_SCOPE).generic(method, "/api/v1/companies?sector=ai")
    assert answer.status_code == 301
    assert answer["Location"] == "/api/v1/companies/?sector=ai"


def test_the_urls_without_a_slash_still_take_their_calls(api_client):
    client = api_client(EVERY_SCOPE)
    answer = client.get("/api/v1/reports/kpi?from=2024-01-01&to=2024-12-31")
    assert answer.status_code == 200
    # A portal page without its slash is redirected as before: the change is the API's.
    assert client.post("/portal/sign-in").status_code == 301


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("url", ["/api/v1/nothing/", "/api/v1/meeting-requests//accept/"])
def test_a_url_with_no_endpoint_answers_the_apis_json_404_with_debug_on_or_off(
    api_client, settings, debug, url
):
    settings.DEBUG = debug
    answer = api_client(EVERY_SCOPE).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"
    assert answer.json()["message"] == "不存在，或对贵机构不可见。"


@pytest.mark.parametrize("debug", [False, True])
def test_an_address_with_a_slash_its_endpoint_has_not_says_so(api_client, settings, debug):
    # /reports/kpi/ (every other endpoint's pattern) answered "not visible to your
    # organisation", with no hint.
    settings.DEBUG = debug
    client = api_client(EVERY_SCOPE)
    for url in ("/api/v1/reports/kpi/?from=2024-01-01&to=2024-12-31", "/api/v1/events/7/ics/"):
        answer = client.get(url)
        assert answer.status_code == 404, url
        without = url.replace("kpi/", "kpi").replace("ics/", "ics")
        assert answer.json() == {
            "code": "not_found",
            "message": f"No endpoint here: its URL has no trailing slash ({without}).",
            "fields": {},
        }


def test_the_middlewares_404_is_written_as_every_other_answer(api_client):
    answer = api_client(EVERY_SCOPE).get("/api/v1/nothing/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    # UTF-8 and compact, as DRF writes: not "\u6b64\u5904…" that a curl user cannot read.
    assert answer.content.decode() == (
        '{"code":"not_found","message":"不存在，或对贵机构不可见。","fields":{}}'
    )
