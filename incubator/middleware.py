import zoneinfo

from django.conf import settings
from django.utils import timezone, translation


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
