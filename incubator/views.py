from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults, i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from incubator import health, services
from incubator.uploads import UploadTooLarge


@require_GET
def landing(request):
    return render(request, "landing.html")


@never_cache
@require_GET
def healthz(request):
    checks = {"database": health.database_status(), "broker": health.broker_status()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def set_language(request):
    """Django's set_language, and a signed-in person's account speaks the language chosen
    too: otherwise their e-mails stayed in the old one, and their next sign-in put it back."""
    response = i18n.set_language(request)
    user, code = request.user, request.POST.get("language")
    if (
        request.method == "POST"
        and user.is_authenticated
        and code in dict(settings.LANGUAGES)
        and code != user.language
    ):
        services.account_set_preferences(
            user=user, full_name=user.full_name, language=code, time_zone=user.time_zone
        )
    return response


def bad_request(request, exception):
    """Answer a body over the size limits with 413 and the limit, in the portal's layout."""
    if isinstance(exception, UploadTooLarge | RequestDataTooBig):
        context = {
            "upload": isinstance(exception, UploadTooLarge),
            "max_mb": settings.UPLOAD_MAX_BYTES / 1_048_576,
        }
        return render(request, "413.html", context, status=413)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    """A URL under /api/ that names no endpoint answers in the API's error shape."""
    if request.path.startswith("/api/"):
        from incubator.api.errors import not_found_response

        return not_found_response()
    return defaults.page_not_found(request, exception)


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check (expired page, blocked cookies), in the portal's
    layout and language; Django's own page is English and technical."""
    return render(request, "403_csrf.html", status=403)
