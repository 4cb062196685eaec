"""Errors Django or DRF raise before a view's own checks, in the API's shape and language."""

import json

import pytest

from events.matching.models import MeetingRequest
from events.models import Registration
from tests.api.keys import EVERY_SCOPE

pytestmark = pytest.mark.django_db
REQUESTS = "/api/v1/meeting-requests/"
REGISTRATIONS = "/api/v1/registrations/"


@pytest.mark.parametrize("debug", [False, True])
def test_a_body_over_the_upload_limit_is_a_413_in_json(api_client, settings, debug):
    settings.DEBUG = debug
    # 3 MB, over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
    body = json.dumps(
        {"event": 1, "from_person": 1, "to_participant": 1, "message": "x" * 3_000_000}
    )
    answer = api_client(EVERY_SCOPE).post(REQUESTS, body, content_type="application/json")
    assert answer.status_code == 413
    assert answer.json() == {
        "code": "request_too_large",
        "message": "The body is larger than the API accepts: at most 2.5 MB.",
        "fields": {},
    }
    assert not MeetingRequest.objects.exists()


@pytest.mark.parametrize("language", ["ko", "zh-hans"])
def test_a_body_over_the_upload_limit_is_refused_in_the_callers_language(api_client, language):
    body = json.dumps({"message": "x" * 3_000_000})
    answer = api_client(EVERY_SCOPE).post(
        REQUESTS, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert answer.status_code == 413
    assert (
        answer.json()["message"]
        == {
            "ko": "본문이 API가 받는 크기보다 큽니다: 최대 2.5 MB입니다.",
            "zh-hans": "请求体超出 API 接受的大小：最多 2.5 MB。",
        }[language]
    )


@pytest.mark.parametrize("language", ["en", "ko", "zh-hans"])
def test_a_body_of_null_is_a_400_in_the_callers_language(api_client, language):
    answer = api_client(EVERY_SCOPE).post(
        REGISTRATIONS, "null", content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )
    message = {
        "en": "The body is null: send the fields as a JSON object.",
        "ko": "본문이 null입니다: 필드를 JSON 객체로 보내세요.",
        "zh-hans": "请求体为 null：请以 JSON 对象发送各字段。",
    }[language]
    assert answer.status_code == 400
    assert answer.json() == {
        "code": "invalid",
        "message": message,
        "fields": {"non_field_errors": [message]},
    }
    assert not Registration.objects.exists()


def test_a_null_character_in_a_filter_is_named_in_plain_chinese(api_client):
    # Django's Chinese said "not allowed to use an empty string" (不允许是用空字符串).
    answer = api_client(EVERY_SCOPE).get(
        "/api/v1/companies/", {"search": "\x00"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert answer.status_code == 400
    text = json.dumps(answer.json(), ensure_ascii=False)
    assert "空字符（NUL）" in text and "是用" not in text
