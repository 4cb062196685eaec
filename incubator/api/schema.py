"""The OpenAPI description: the key scheme and the errors every operation can give."""

import copy

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse

from incubator.api.permissions import HasScope, required_scope

# status -> (code, example message, its values, when) of the errors an operation can give:
# the messages are those the API answers (incubator.api.errors), in the schema's language.
ERRORS = {
    "400": (
        "invalid",
        _("Some fields are not valid: see fields."),
        None,
        _("The body or a filter is wrong."),
    ),
    "401": (
        "key_invalid",
        _("This API key is not valid, or it was revoked."),
        None,
        _("No key, a malformed, revoked or expired key."),
    ),
    "403": (
        "scope_missing",
        _("This API key lacks the scope %(scope)s."),
        {"scope": "companies:read"},
        _("Scope missing."),
    ),
    "404": (
        "not_found",
        _("Not found, or not visible to your organisation."),
        None,
        _("No such object, another organisation's, or a page past the end of a list."),
    ),
    "409": (
        "conflict",
        _("This clashes with the current state: see message and fields."),
        None,
        _("The state forbids it (full event, already withdrawn...)."),
    ),
    "429": (
        "throttled",
        _("Too many calls with this key: try again in %(seconds)s seconds."),
        {"seconds": 12},
        _("Over the key's budget; the Retry-After header says when to retry."),
    ),
}


def response_example(name: str, summary, value, **kwargs) -> OpenApiExample:
    """An example answer: `name` (English) is its key in the schema, `summary` (a lazy
    translation) what the docs show."""
    return OpenApiExample(name, summary=summary, value=value, response_only=True, **kwargs)


# The answer of a DELETE or a withdrawal: drf-spectacular's own words for it are English only.
NO_BODY = OpenApiResponse(description=_("Done: the answer has no body."))
WRITES = {"post", "put", "patch", "delete"}


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "incubator.api.auth.PartnerKeyAuthentication"
    name = "PartnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _("`Api-Key <key>`: a key of your organisation, made by the center."),
        }


class ScopedSchema(AutoSchema):
    """Each operation's description ends with the scope it needs, read off the view by the
    rule `HasScope` applies: the docs cannot say another scope than the one checked."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None or HasScope not in self.view.permission_classes:
            return operation
        needed = required_scope(self.view, self.method)
        declared = getattr(self.view, "scopes", {}).get(getattr(self.view, "action", None))
        declared = declared or self.view.scope
        if needed is None:
            sentence = gettext("Any key of your organisation.")
        elif needed != declared:  # a read of what a `…:write` scope manages
            sentence = gettext("Scope `%(read)s` or `%(write)s`.") % {
                "read": needed,
                "write": declared,
            }
        else:
            sentence = gettext("Scope `%(scope)s`.") % {"scope": needed}
        described = operation.get("description", "").strip()
        # Chinese runs its sentences together; Korean and English put a space between.
        space = "" if described.endswith(("。", "）", "！", "？")) else " "
        operation["description"] = f"{described}{space}{sentence}" if described else sentence
        return operation


def _statuses(path: str, method: str) -> list[str]:
    # 404 everywhere: an object not visible to the caller, or a page past a list's end.
    statuses = ["401", "403", "404", "429"]
    if method in WRITES or "{" not in path:
        statuses.append("400")  # the body, or a list's filters and page
    if method in WRITES:
        statuses.append("409")
    return sorted(statuses)


def add_error_responses(result, generator, request, public):
    """Give every operation the errors it can answer, each with an example."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Error",
        {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message", "fields"],
        },
    )
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in _statuses(path, method):
                if status in responses:
                    continue
                code, message, values, when = ERRORS[status]
                message = str(message) % values if values else str(message)
                # The message DRF gives a missing field, in the schema's language.
                fields = {"name": [gettext("This field is required.")]} if status == "400" else {}
                response = {
                    "description": when,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"},
                            "examples": {
                                code: {
                                    "value": {"code": code, "message": message, "fields": fields}
                                }
                            },
                        }
                    },
                }
                if status == "429":
                    response["headers"] = {
                        "Retry-After": {
                            "schema": {"type": "integer"},
                            "description": _("Seconds to wait."),
                        }
                    }
                responses[status] = response
    return result


class PublicSchemaGenerator(SchemaGenerator):
    """The public schema made once per language and version, not on every request.

    With SERVE_PUBLIC the schema depends on the code alone, not on who asks, and making it
    walks every view and serializer: about a third of a second of CPU each time.
    """

    _made: dict = {}

    def get_schema(self, request=None, public=False):
        if not public:
            return super().get_schema(request=request, public=public)
        key = (translation.get_language(), self.api_version)
        if key not in self._made:
            self._made[key] = super().get_schema(request=request, public=public)
        return copy.deepcopy(self._made[key])  # the caller's own, to change if it likes
