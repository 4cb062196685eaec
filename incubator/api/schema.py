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
        _("The body, a filter or a query parameter is wrong."),
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
    "406": (
        "not_acceptable",
        _("This API answers in JSON only."),
        None,
        _("An Accept header without application/json, or a `format` other than json."),
    ),
    "409": (
        "conflict",
        _("This clashes with the current state: see message and fields."),
        None,
        _("The state forbids it (full event, already withdrawn...); `reason` says which."),
    ),
    "413": (
        "request_too_large",
        _("The body is larger than the API accepts: at most %(size)s MB."),
        {"size": "2.5"},
        _("A body over 2.5 MB."),
    ),
    "415": (
        "unsupported_media_type",
        _("Send the body as JSON (Content-Type: application/json)."),
        None,
        _("A body that is not JSON (a form, text/plain)."),
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
# Where ScopedSchema leaves an operation's scope and its refusals for add_error_responses,
# which takes them out again.
SCOPE_KEY, REFUSALS_KEY = "x-scope", "x-refusals"
WRONG_SIDE_EXAMPLE = _("Your person sent this request: only the startup answers it.")


def refusals(*reasons: str, wrong_side: bool = False) -> dict:
    """`extensions` of an operation's extend_schema: the `reason`s of its 409 (the codes of
    the services' refusals, docs/api.md), and whether it has the 403 `wrong_side`."""
    return {REFUSALS_KEY: {"reasons": list(reasons), "wrong_side": wrong_side}}


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
        operation[SCOPE_KEY] = needed
        return operation


def _statuses(path: str, method: str, operation: dict) -> list[str]:
    # 400 everywhere: the body, a filter, a page, or a query parameter the operation does
    # not take; 404: an object not visible to the caller, or a page past a list's end; 406:
    # an Accept header without JSON.
    statuses = ["400", "401", "404", "406", "429"]
    if operation.get(SCOPE_KEY) or operation.get(REFUSALS_KEY, {}).get("wrong_side"):
        statuses.append("403")  # none for an operation any key of the organisation may call
    if method in WRITES:
        statuses.append("409")
    if "requestBody" in operation:
        statuses += ["413", "415"]
    return sorted(statuses)


def _example(status: str, operation: dict) -> dict:
    """The examples of an error: {code: value}."""
    code, message, values, _when = ERRORS[status]
    message = str(message) % values if values else str(message)
    # The message DRF gives a missing field, in the schema's language.
    fields = {"name": [gettext("This field is required.")]} if status == "400" else {}
    if status == "403" and operation.get(SCOPE_KEY):
        message = str(ERRORS["403"][1]) % {"scope": operation[SCOPE_KEY]}
    examples = {}
    if status != "403" or operation.get(SCOPE_KEY):
        examples[code] = {"code": code, "message": message, "fields": fields}
    refused = operation.get(REFUSALS_KEY, {})
    if status == "403" and refused.get("wrong_side"):
        examples["wrong_side"] = {
            "code": "wrong_side",
            "message": str(WRONG_SIDE_EXAMPLE),
            "fields": {},
        }
    if status == "409":
        reasons = refused.get("reasons") or [None]
        for reason in reasons:
            examples[reason or code] = {**examples[code], "reason": reason}
        if reasons != [None]:
            del examples[code]
    return examples


def _description(status: str, operation: dict) -> str:
    when = str(ERRORS[status][3])
    refused = operation.get(REFUSALS_KEY, {})
    if status == "403" and refused.get("wrong_side"):
        if not operation.get(SCOPE_KEY):
            return gettext("`wrong_side`: the other side of the request.")
        return f"{when} " + gettext("`wrong_side`: the other side of the request.")
    if status == "409" and refused.get("reasons"):
        names = ", ".join(f"`{reason}`" for reason in refused["reasons"])
        return gettext("The state forbids it; `reason`: %(reasons)s.") % {"reasons": names}
    return when


def _paginated_examples(path: str, operation: dict, schemas: dict) -> None:
    """A list's `next` and `previous` as that list's own (DRF's example is
    api.example.org/accounts/): the second page's, on the portal."""
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    media = content.get("application/json", {})
    ref = media.get("schema", {}).get("$ref", "")
    properties = schemas.get(ref.rpartition("/")[2], {}).get("properties", {})
    if not {"next", "previous", "results"} <= set(properties):
        return
    links = {"next": f"https://portal.example.cn{path}?page=3"}
    links["previous"] = links["next"].removesuffix("?page=3")  # page 1 has no ?page=
    for name, url in links.items():
        properties[name]["example"] = url
    for example in media.get("examples", {}).values():
        if isinstance(example.get("value"), dict) and "next" in example["value"]:
            example["value"].update(links)


def _strict_bodies(result: dict, schemas: dict) -> None:
    """The request bodies take no other property (incubator.api.serializers.StrictInput)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                name = media.get("schema", {}).get("$ref", "").rpartition("/")[2]
                if name in schemas:
                    schemas[name]["additionalProperties"] = False


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
                "reason": {
                    "type": "string",
                    "nullable": True,
                    "description": gettext(
                        "On a 409 only: the refusal's stable code (docs/api.md), or null."
                    ),
                },
            },
            "required": ["code", "message", "fields"],
        },
    )
    _strict_bodies(result, schemas)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            _paginated_examples(path, operation, schemas)
            for status in _statuses(path, method, operation):
                if status in responses:
                    continue
                examples = _example(status, operation)
                response = {
                    "description": _description(status, operation),
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"},
                            "examples": {key: {"value": value} for key, value in examples.items()},
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
            operation.pop(SCOPE_KEY, None)
            operation.pop(REFUSALS_KEY, None)
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
