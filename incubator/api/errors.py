"""Every API error in one shape: {"code": ..., "message": ..., "fields": {...}}; a 409 adds
"reason", the refusing service's own code ("twice", "over"...), for a client to act on
without reading the message.

The message is in the language of Accept-Language (ko, zh-hans, en): LocaleMiddleware has
chosen it for the request. Field errors keep the services' and forms' own wording.
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from incubator.api.auth import TOO_MANY_WRONG_KEYS
from incubator.api.pagination import PageNotFound
from incubator.api.permissions import SCOPE_MISSING


class Conflict(exceptions.APIException):
    """The request is valid but clashes with the state of things (409).

    `reason` is a stable word for the refusal (the service's ValidationError code), None
    when there is none. The code stays "conflict": clients written before `reason` still
    read every 409 as they did.
    """

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, detail=None, reason: str | None = None):
        super().__init__(detail)
        self.reason = reason


class WrongSide(exceptions.PermissionDenied):
    """403 of a call on the other side of a two-sided object: answering a meeting request
    one's own person sent, withdrawing one sent to them. Its own code: not a scope the key
    could be given."""

    default_code = "wrong_side"


class NotAcceptableHere(exceptions.NotAcceptable):
    """406 of a page that answers in other types than JSON, its message naming them."""


class RequestTooLarge(exceptions.APIException):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE, which Django refuses to read (413)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def _messages() -> dict[str, str]:
    # Built per call so that each is translated in the request's language.
    return {
        "not_authenticated": _("Send a partner API key: Authorization: Api-Key <key>."),
        "permission_denied": _("This API key may not do this."),
        "not_found": _("Not found, or not visible to your organisation."),
        "method_not_allowed": _("This method is not allowed here."),
        "not_acceptable": _("This API answers in JSON only."),
        "unsupported_media_type": _("Send the body as JSON (Content-Type: application/json)."),
        "parse_error": _("The body is not valid JSON."),
        "request_too_large": _("The body is larger than the API accepts: at most %(size)s MB.")
        % {"size": f"{(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) / 1_048_576:g}"},
        "invalid": _("Some fields are not valid: see fields."),
        "conflict": _("This clashes with the current state: see message and fields."),
    }


def _fields(detail) -> dict:
    """Return {field: [messages]} of a serializer's or a service's errors."""
    if isinstance(detail, dict):
        return {
            ("non_field_errors" if key == "__all__" else str(key)): _flat(value)
            for key, value in detail.items()
        }
    return {"non_field_errors": _flat(detail)} if detail else {}


def _flat(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [text for item in value for text in _flat(item)]
    if isinstance(value, dict):
        return [f"{key}: {text}" for key, item in value.items() for text in _flat(item)]
    if getattr(value, "code", None) == "null" and value == "No data provided":
        # DRF's answer to a body of null, a message it leaves out of gettext.
        return [_("The body is null: send the fields as a JSON object.")]
    return [str(value)]


def validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError as the API's 400, its fields kept."""
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError({k: [str(m) for m in v] for k, v in error})
    return exceptions.ValidationError({"non_field_errors": [str(m) for m in error.messages]})


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = validation_error(exc)
    elif isinstance(exc, RequestDataTooBig):  # raised where DRF reads the body
        exc = RequestTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's handler logs it and answers 500
    messages = _messages()
    if isinstance(exc, Http404):
        code = "not_found"
    elif isinstance(exc, PermissionDenied):
        code = "permission_denied"
    else:
        code = getattr(exc, "default_code", "error")
    fields = {}
    detail = getattr(exc, "detail", None)
    if isinstance(exc, exceptions.ValidationError):
        code, message, fields = "invalid", messages["invalid"], _fields(detail)
        if set(fields) == {"non_field_errors"} and len(fields["non_field_errors"]) == 1:
            message = fields["non_field_errors"][0]
    elif isinstance(exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated):
        codes = exc.get_codes() if hasattr(exc, "get_codes") else code
        code = codes if isinstance(codes, str) else code
        message = str(detail) if code.startswith("key_") else messages["not_authenticated"]
    elif isinstance(exc, exceptions.Throttled):
        seconds = exc.wait and int(exc.wait + 0.999) or 1
        if code == TOO_MANY_WRONG_KEYS:
            message = _(
                "Too many calls with a wrong key from your IP address: try again in "
                "%(seconds)s seconds."
            ) % {"seconds": seconds}
        else:
            code = "throttled"
            message = _("Too many calls with this key: try again in %(seconds)s seconds.") % {
                "seconds": seconds
            }
        # Rounded up as in the message: DRF's "%d" says 0 in the last second of a wait.
        response["Retry-After"] = str(seconds)
    elif getattr(detail, "code", None) == SCOPE_MISSING:
        code = SCOPE_MISSING
        message = _("This API key lacks the scope %(scope)s.") % {"scope": str(detail)}
    elif isinstance(exc, Conflict | PageNotFound | WrongSide | NotAcceptableHere):
        message = str(detail)
    else:
        message = messages.get(code, str(detail) if detail else code)
    response.data = {"code": code, "message": message, "fields": fields}
    if isinstance(exc, Conflict):
        response.data["reason"] = exc.reason
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = "Api-Key"
    return response


def not_found_response(message: str | None = None):
    """The 404 of a URL that no endpoint serves (Django's URL resolver, not a view), written
    as DRF writes every other answer: UTF-8, not \\u escapes, and compact."""
    body = {"code": "not_found", "message": message or _messages()["not_found"], "fields": {}}
    return JsonResponse(
        body, status=404, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")}
    )


def reason_of(error: DjangoValidationError) -> str | None:
    """The code a service gave its refusal (the first one's, when it gave several)."""
    codes = [getattr(item, "code", None) for item in error.error_list]
    return next((code for code in codes if code), None)


@contextmanager
def refusals_as_conflicts():
    """A service's refusal of a well-formed request is a 409 with its message and its code
    as `reason`; its field errors (bad input the serializer could not see) stay a 400."""
    try:
        yield
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise validation_error(error) from None
        raise Conflict(" ".join(error.messages), reason=reason_of(error)) from None


@contextmanager
def refusal_as_wrong_side(message: str):
    """The service's PermissionDenied of a call on an object the key sees (it got past the
    404 of another organisation's) said as the wrong side of it: 403 `wrong_side`."""
    try:
        yield
    except PermissionDenied:
        raise WrongSide(message) from None
