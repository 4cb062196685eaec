"""The partner's guides: served in the developer's language, the translations kept in step."""

import re

import pytest

from incubator.api.views import guide_html, guide_path

LANGUAGES = ("ko", "zh-hans", "en")
GUIDES = {"api": "/api/v1/guide/", "webhooks": "/api/v1/guide/webhooks/"}
FENCED = re.compile(r"^```.*?^```$", re.S | re.M)


def _shape(text: str) -> dict:
    """What a translation must keep of the English guide: its code, word for word, its
    headings and its tables (each row's first cell is an identifier, never translated)."""
    rows = re.findall(r"^\| (.+?) \|", text, re.M)
    return {
        "code": FENCED.findall(text),
        "headings": [len(h) for h in re.findall(r"^(#+) ", text, re.M)],
        "first cells": [cell for cell in rows if cell.startswith("`")],
        "rows": len(rows),
    }


@pytest.mark.parametrize("name", GUIDES)
def test_each_translation_of_a_guide_keeps_its_code_headings_and_tables(name):
    english = _shape(guide_path(name, "en").read_text(encoding="utf-8"))
    assert english["code"] and english["first cells"]
    for language in ("ko", "zh-hans"):
        assert _shape(guide_path(name, language).read_text(encoding="utf-8")) == english


@pytest.mark.parametrize("name", GUIDES)
def test_a_guide_is_served_in_the_language_asked_for(client, name):
    texts = {}
    for language in LANGUAGES:
        response = client.get(GUIDES[name], {"lang": language}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/markdown; charset=utf-8"
        assert response["Content-Language"] == language
        texts[language] = response.content.decode()
        assert texts[language] == guide_path(name, language).read_text(encoding="utf-8")
    assert len(set(texts.values())) == 3

    # Without ?lang=, the header decides; without either, Korean, as the API's errors.
    chinese = client.get(GUIDES[name], HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.content.decode() == texts["zh-hans"]
    assert "Accept-Language" in chinese["Vary"]
    assert client.get(GUIDES[name]).content.decode() == texts["ko"]
    assert client.get(GUIDES[name], {"lang": "zh-CN"}).content.decode() == texts["zh-hans"]
    # A language the portal does not speak falls back as the header would.
    assert client.get(GUIDES[name], {"lang": "fr"}).content.decode() == texts["ko"]


def test_the_api_guide_sends_its_reader_to_the_webhooks_guide_they_can_open(client):
    for language in LANGUAGES:
        text = guide_path("api", language).read_text(encoding="utf-8")
        assert "/api/v1/guide/webhooks/" in text
        assert "](webhooks.md)" not in text  # a link relative to /api/v1/guide/: a 404
    root = client.get("/api/v1/").json()
    assert root["webhooks_guide"] == "http://testserver/api/v1/guide/webhooks/"


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("name", GUIDES)
def test_a_browser_reads_a_guide_as_a_page_and_can_take_its_markdown(client, name):
    page = client.get(GUIDES[name], {"lang": "zh-hans"}, HTTP_ACCEPT=BROWSER)
    assert page.status_code == 200
    assert page["Content-Type"] == "text/html; charset=utf-8"
    assert "Accept" in page["Vary"]
    html = page.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<table>" in html and "<pre><code" in html and "<h2>" in html
    assert "<style" not in html and " style=" not in html  # the CSP allows no inline style
    assert "/static/css/api_guide.css" in html

    source = client.get(GUIDES[name], {"lang": "zh-hans", "source": ""}, HTTP_ACCEPT=BROWSER)
    assert source["Content-Type"] == "text/markdown; charset=utf-8"
    assert source.content.decode() == guide_path(name, "zh-hans").read_text(encoding="utf-8")


def test_a_guides_page_joins_its_chinese_lines_and_nothing_else():
    text = "读取技术\n转让项目，\n  以及（scope）\n\n자리가 나면\n대기자\n\n```sh\n# 中\n文\n```\n"
    html = guide_html(text)
    assert "<p>读取技术转让项目，以及（scope）</p>" in html
    assert "<p>자리가 나면\n대기자</p>" in html  # Korean puts a space between words
    assert "# 中\n文" in html  # code stays as written


@pytest.mark.parametrize("accept", ["text/markdown", "text/plain", "application/json", "*/*"])
def test_a_guide_answers_markdown_to_who_asks_for_it_or_takes_anything(client, accept):
    # text/markdown and text/plain were a 406 "JSON only", in Korean whatever ?lang= said.
    answer = client.get(GUIDES["api"], {"lang": "en"}, HTTP_ACCEPT=accept)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/markdown; charset=utf-8"
    assert answer.content.decode() == guide_path("api", "en").read_text(encoding="utf-8")


def test_a_guide_answers_its_page_to_who_asks_for_html_before_markdown(client):
    for accept in ("text/html", "text/markdown;q=0.5, text/html"):
        answer = client.get(GUIDES["webhooks"], {"lang": "en"}, HTTP_ACCEPT=accept)
        assert answer["Content-Type"] == "text/html; charset=utf-8", accept
    markdown_first = client.get(GUIDES["webhooks"], HTTP_ACCEPT="text/markdown, text/html;q=0.5")
    assert markdown_first["Content-Type"] == "text/markdown; charset=utf-8"


def test_a_guide_refuses_a_type_it_has_not_in_the_language_asked_for(client):
    refused = client.get(
        GUIDES["api"], {"lang": "en"}, HTTP_ACCEPT="image/png", HTTP_ACCEPT_LANGUAGE="ko"
    )
    assert refused.status_code == 406
    assert refused["Content-Language"] == "en"
    assert refused.json() == {
        "code": "not_acceptable",
        "message": "This guide answers in Markdown (text/markdown, text/plain) or HTML.",
        "fields": {},
    }
    post = client.post(GUIDES["api"] + "?lang=zh-hans", HTTP_ACCEPT_LANGUAGE="en")
    assert post.status_code == 405 and post["Content-Language"] == "zh-hans"
    assert post.json()["message"] != "This method is not allowed here."


# Every code and `reason` the API answers with, which its guide's table of errors must name.
CODES = [
    "invalid",
    "parse_error",
    "not_authenticated",
    "key_invalid",
    "key_expired",
    "scope_missing",
    "wrong_side",
    "permission_denied",
    "not_found",
    "method_not_allowed",
    "not_acceptable",
    "conflict",
    "request_too_large",
    "unsupported_media_type",
    "throttled",
    "too_many_wrong_keys",
]


def test_the_guide_names_every_error_code_and_refusal_reason_in_each_language():
    from events.api import CANCEL_REASONS, REGISTER_REASONS
    from events.matching.api import ANSWER_REASONS, ASK_REASONS, WITHDRAW_REASONS

    reasons = {
        *REGISTER_REASONS,
        *CANCEL_REASONS,
        *ASK_REASONS,
        *ANSWER_REASONS,
        *WITHDRAW_REASONS,
        "open_inquiry",
        "person_left",
        "url_taken",
    }
    for language in LANGUAGES:
        text = guide_path("api", language).read_text(encoding="utf-8")
        missing = [name for name in [*CODES, *sorted(reasons)] if f"`{name}`" not in text]
        assert missing == [], language
