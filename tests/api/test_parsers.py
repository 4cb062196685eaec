"""The API reads JSON bodies: one it cannot read is a 400 in the error shape, never a 500."""

import pytest

from companies.webhooks.services import webhook_endpoint_create
from tests.api.keys import EVERY_SCOPE

pytestmark = pytest.mark.django_db
# 3 KB: Python's json module gives up on it with RecursionError.
DEEP = "[" * 1500 + "]" * 1500


@pytest.fixture
def endpoint(organisation):
    return webhook_endpoint_create(
        actor=organisation,
        organisation=organisation,
        url="https://127.0.0.1:8443/hooks",
        event_types=["meeting.confirmed"],
    )[0]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", "/api/v1/registrations/"),
        ("POST", "/api/v1/meeting-requests/"),
        ("POST", "/api/v1/interests/"),
        ("POST", "/api/v1/inquiries/"),
        ("POST", "/api/v1/webhooks/"),
        ("PUT", "/api/v1/webhooks/{id}/"),
        ("PATCH", "/api/v1/webhooks/{id}/"),
    ],
)
@pytest.mark.parametrize("body", [DEEP, '{"event": ' + DEEP + "}"], ids=["body", "field"])
def test_a_body_nested_1500_deep_is_a_400_parse_error_on_every_write(
    api_client, endpoint, method, url, body
):
    client = api_client(EVERY_SCOPE)
    answer = client.generic(method, url.format(id=endpoint.pk), body, "application/json")
    assert answer.status_code == 400
    assert answer.json() == {
        "code": "parse_error",
        "message": "The body is not valid JSON.",
        "fields": {},
    }


@pytest.mark.parametrize("language", ["ko", "zh-hans"])
def test_a_body_nested_too_deep_is_refused_in_the_callers_language(api_client, language):
    answer = api_client(EVERY_SCOPE).generic(
        "POST", "/api/v1/registrations/", DEEP, "application/json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert answer.status_code == 400
    assert (
        answer.json()["message"]
        == {
            "ko": "본문이 올바른 JSON이 아닙니다.",
            "zh-hans": "请求体不是有效的 JSON。",
        }[language]
    )
