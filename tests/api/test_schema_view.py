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
