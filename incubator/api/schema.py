"""The OpenAPI description: the key scheme and the errors every operation can give."""

import copy

from django.utils import translation
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator

# status -> (code, example message, when) of the errors an operation can give.
ERRORS = {
    "400": ("invalid", "Some fields are not valid: see fields.", "The body or a filter is wrong."),
    "401": (
        "key_invalid",
        "This API key is not valid, or it was revoked.",
        "No key, a malformed, revoked or expired key.",
    ),
    "403": ("scope_missing", "This API key lacks the scope companies:read.", "Scope missing."),
    "404": (
        "not_found",
        "Not found, or not visible to your organisation.",
        "No such object, another organisation's, or a page past the end of a list.",
    ),
    "409": (
        "conflict",
        "This clashes with the current state: see message and fields.",
        "The state forbids it (full event, already withdrawn...).",
    ),
    "429": (
        "throttled",
        "Too many calls with this key: try again in 12 seconds.",
        "Over the key's budget; the Retry-After header says when to retry.",
    ),
}
WRITES = {"post", "put", "patch", "delete"}


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "incubator.api.auth.PartnerKeyAuthentication"
    name = "PartnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: a key of your organisation, made by the center.",
        }


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
                code, message, when = ERRORS[status]
                fields = {"name": ["This field is required."]} if status == "400" else {}
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
                            "description": "Seconds to wait.",
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
