"""The schema page: made once per language, served in the language asked for."""

import json

from incubator.api.schema import PublicSchemaGenerator


def _schema(client, language: str) -> dict:
    response = client.get("/api/v1/schema/", {"lang": language, "format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_made_once_per_language_and_each_is_in_its_language(client, monkeypatch):
    made = []
    make = PublicSchemaGenerator.__mro__[1].get_schema

    def counted(self, request=None, public=False):
        made.append(public)
        return make(self, request=request, public=public)

    monkeypatch.setattr(PublicSchemaGenerator, "_made", {})
    monkeypatch.setattr(PublicSchemaGenerator.__mro__[1], "get_schema", counted)

    english = _schema(client, "en")
    korean = _schema(client, "ko")
    assert _schema(client, "en") == english
    assert _schema(client, "ko") == korean
    assert len(made) == 2

    text = json.dumps(korean, ensure_ascii=False)
    assert "벤처기업확인" in text  # a certification's label, in Korean
    assert "벤처기업확인" not in json.dumps(english, ensure_ascii=False)


def test_a_caller_that_changes_its_schema_does_not_change_the_next_one():
    first = PublicSchemaGenerator().get_schema(public=True)
    first["paths"].clear()
    assert PublicSchemaGenerator().get_schema(public=True)["paths"]


def test_the_root_names_the_docs_and_every_collection_without_a_key(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    root = response.json()
    assert root["docs"] == "http://testserver/api/v1/docs/"
    assert root["guide"] == "http://testserver/api/v1/guide/"
    collections = root["collections"]
    # Named by their paths; the endpoints outside a router (agenda, KPI report) too.
    assert collections["companies"] == "http://testserver/api/v1/companies/"
    assert set(collections) == {
        "companies",
        "events",
        "inquiries",
        "interests",
        "meeting-agenda",
        "meeting-participants",
        "meeting-requests",
        "people",
        "registrations",
        "reports/kpi",
        "technologies",
        "webhooks",
    }
    for url in collections.values():  # each answers, asking for a key
        assert client.get(url.removeprefix("http://testserver")).status_code == 401


def test_the_api_pages_answer_a_head_as_a_get(client):
    for path in ("/api/v1/", "/api/v1/guide/", "/api/v1/guide/webhooks/", "/api/v1/docs/"):
        response = client.head(path)
        assert response.status_code == 200
        assert response["Content-Type"] == client.get(path)["Content-Type"]


def test_the_api_pages_refuse_other_methods_in_the_apis_error_shape(client):
    for path in ("/api/v1/", "/api/v1/guide/"):
        response = client.post(path, {}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 405
        assert response.json()["code"] == "method_not_allowed"


def test_the_docs_page_has_no_inline_style_the_csp_would_refuse(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "<style" not in html
    assert "/static/css/api_docs.css" in html


def _texts(node, path=()):
    """Yield (where, text) of every summary and description of a schema, and its title."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = path + (key,)
            if isinstance(value, str) and value and key in ("summary", "description"):
                yield "/".join(map(str, where)), value
            elif where == ("info", "title"):
                yield "info/title", value
            elif key != "value":  # an example's value is data, not words
                yield from _texts(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, path + (i,))


def test_the_docs_read_in_korean_and_chinese_every_summary_and_description(client):
    english = dict(_texts(_schema(client, "en")))
    assert len(english) > 100
    for language in ("ko", "zh-hans"):
        translated = dict(_texts(_schema(client, language)))
        assert translated.keys() == english.keys()
        # Each text differs from the English one: nothing left untranslated.
        same = [where for where, text in english.items() if translated[where] == text]
        assert same == [], (language, same[:5])


def test_the_sections_of_the_docs_are_described_and_drfs_chinese_is_not_spaced_out(client):
    chinese = _schema(client, "zh-hans")
    tags = {tag["name"]: tag["description"] for tag in chinese["tags"]}
    assert tags["registrations"] == "贵机构的报名"
    used = {tag for path in chinese["paths"].values() for op in path.values() for tag in op["tags"]}
    assert used <= set(tags)
    text = json.dumps(chinese, ensure_ascii=False)
    assert "标识此活动的" in text and "标识此 " not in text


def test_each_operation_says_the_scope_the_authorization_matrix_finds_it_needs(client):
    from companies.apikeys.models import Scope
    from tests.api.matrix import read_table

    paths = _schema(client, "en")["paths"]
    for (method, path), line in read_table().items():
        description = paths[path][method.lower()]["description"]
        writing = line.scope.removesuffix(":read") + ":write"
        if line.scope == "any":
            said = "Any key of your organisation."
        elif writing in Scope.values:  # a read of what a write scope manages
            said = f"Scope `{line.scope}` or `{writing}`."
        else:
            said = f"Scope `{line.scope}`."
        assert description.endswith(said), (method, path, description[-80:])


def test_the_scope_sentence_follows_a_chinese_description_without_a_space(client):
    description = _schema(client, "zh-hans")["paths"]["/api/v1/registrations/"]["get"][
        "description"
    ]
    assert description.endswith("在前。范围 `registrations:read` 或 `registrations:write`。")


def test_the_schema_is_saved_as_partner_api_in_every_language(client):
    from email.message import Message

    for language in ("ko", "zh-hans", "en"):
        for query, suffix in ({}, "yaml"), ({"format": "json"}, "json"):
            response = client.get("/api/v1/schema/", {"lang": language, **query})
            header = response["Content-Disposition"]
            # An RFC 2047-encoded value was read as no file name at all (curl -OJ, Python).
            message = Message()
            message["Content-Disposition"] = header
            assert message.get_filename() == f"partner-api.{suffix}", (language, header)


def test_the_root_speaks_the_language_asked_for_and_says_which(client):
    chinese = client.get("/api/v1/", {"lang": "zh-hans"}, HTTP_ACCEPT_LANGUAGE="ko")
    english = client.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese["Content-Language"] == "zh-hans"
    assert english["Content-Language"] == "en"
    assert english.json()["authentication"] == "Authorization: Api-Key <your organisation's key>"
    assert chinese.json()["authentication"] != english.json()["authentication"]


def test_the_docs_page_is_in_the_language_of_the_schema_it_shows(client):
    page = client.get("/api/v1/docs/", {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="ko")
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert "<title>China-Korea Innovation &amp; Startup Center: partner API</title>" in html
    assert page["Content-Language"] == "en"
    korean = client.get("/api/v1/docs/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert '<html lang="ko">' in korean and "partner API</title>" not in korean


def _operations(language="en"):
    schema = PublicSchemaGenerator().get_schema(public=True)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_each_operations_403_example_names_the_scope_it_needs():
    from tests.api.matrix import read_table

    table = read_table()
    for path, method, operation in _operations():
        scope = table[(method.upper(), path)].scope
        if scope == "any":
            assert "403" not in operation["responses"], (method, path)
            continue
        examples = operation["responses"]["403"]["content"]["application/json"]["examples"]
        message = examples["scope_missing"]["value"]["message"]
        needed = scope if scope.endswith(":read") or method != "get" else scope
        assert message == f"This API key lacks the scope {needed}.", (method, path, message)


def test_the_schema_declares_406_everywhere_and_413_and_415_where_a_body_is_read():
    for path, method, operation in _operations():
        responses = operation["responses"]
        assert "406" in responses, (method, path)
        with_body = "requestBody" in operation
        assert ("413" in responses, "415" in responses) == (with_body, with_body), (method, path)


def test_the_schema_names_the_reasons_of_a_409_and_the_wrong_side_403():
    schema = PublicSchemaGenerator().get_schema(public=True)
    accept = schema["paths"]["/api/v1/meeting-requests/{id}/accept/"]["post"]["responses"]
    assert set(accept["403"]["content"]["application/json"]["examples"]) == {
        "scope_missing",
        "wrong_side",
    }
    register = schema["paths"]["/api/v1/registrations/"]["post"]["responses"]["409"]
    examples = register["content"]["application/json"]["examples"]
    assert examples["twice"]["value"]["reason"] == "twice"
    assert "`twice`" in register["description"]
    assert "reason" in schema["components"]["schemas"]["Error"]["properties"]
    assert "x-scope" not in json.dumps(schema) and "x-refusals" not in json.dumps(schema)


def test_a_lists_next_and_previous_examples_are_its_own():
    schema = PublicSchemaGenerator().get_schema(public=True)
    page = schema["components"]["schemas"]["PaginatedCompanyList"]["properties"]
    assert page["next"]["example"] == "https://portal.example.cn/api/v1/companies/?page=3"
    assert "api.example.org" not in json.dumps(schema)


def test_the_schemas_errors_are_json_in_the_apis_shape_and_language(client):
    # They were YAML: the schema's first type, which DRF falls back to when none fits.
    for response in (
        client.get("/api/v1/schema/", {"format": "xml"}, HTTP_ACCEPT_LANGUAGE="zh-hans"),
        client.delete("/api/v1/schema/", HTTP_ACCEPT_LANGUAGE="zh-hans"),
    ):
        assert response.status_code in (405, 406)
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["code"] in ("not_acceptable", "method_not_allowed")
        assert response["Content-Language"] == "zh-hans" and "此" in body["message"]


def test_an_unknown_lang_falls_back_to_accept_language_as_the_guide_does(client):
    # ?lang=xx made drf-spectacular answer in the default language, Korean.
    schema = client.get(
        "/api/v1/schema/", {"lang": "xx", "format": "json"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    guide = client.get("/api/v1/guide/", {"lang": "xx"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert schema["Content-Language"] == guide["Content-Language"] == "zh-hans"
    assert "合作方" in schema.content.decode()
    assert "벤처기업확인" not in schema.content.decode()


def test_options_points_to_the_schema_and_describes_no_fields_the_post_refuses(db):
    from tests.api.keys import client_with, key_for
    from tests.events.factories import PartnerOrganisationFactory

    _row, key = key_for(PartnerOrganisationFactory())
    response = client_with(key, "zh-hans").options("/api/v1/registrations/")
    assert response.status_code == 200
    body = response.json()
    # DRF's description named the answer's fields as what a POST takes, in English.
    assert "actions" not in body and "name" not in body
    assert body["schema"].endswith("/api/v1/schema/") and body["renders"] == ["application/json"]
    assert "POST" in response["Allow"]
