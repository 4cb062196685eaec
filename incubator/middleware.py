import zoneinfo

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme


class UserPreferencesMiddleware:
    """Show times in the signed-in person's zone; use their language when no cookie chose one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            with timezone.override(None):
                return self.get_response(request)
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        # Override, not activate: the zone must not outlive the request in this thread (a
        # worker thread's next request, or a test's own dates after a page).
        with timezone.override(zoneinfo.ZoneInfo(user.time_zone)):
            return self.get_response(request)


class ErrorPagesMiddleware:
    """Give the portal's own page to an error answered with no body.

    Django's `require_POST` and its kin answer a GET with an empty 405, which a browser
    shows as a blank page; the portal's 405 page says what the address is for, in the
    person's language. The API answers in its own error shape and is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.content
            and not request.path.startswith("/api/")
        ):
            page = render(request, "405.html", {"back": _same_site_referer(request)}, status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


def _same_site_referer(request) -> str | None:
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return None
