from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults, i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from incubator import account_services, health
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
        account_services.account_set_preferences(
            user=user, full_name=user.full_name, language=code, time_zone=user.time_zone
        )
    return response


def bad_request(request, exception):
    """Answer a body over the size limits with 413 and the limit, in the portal's layout."""
    if isinstance(exception, UploadTooLarge | RequestDataTooBig):
        context = {
            "upload": isinstance(exception, UploadTooLarge),
            "max_mb": settings.UPLOAD_MAX_BYTES / 1_048_576,
            "back_url": _referring_page(request),
        }
        return render(request, "413.html", context, status=413)
    return defaults.bad_request(request, exception)


def _referring_page(request) -> str:
    """Return the page the refused form was on (the Referer, on this site), else ""."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def page_not_found(request, exception):
    """A URL under /api/ that names no endpoint answers in the API's error shape."""
    if request.path.startswith("/api/"):
        from incubator.api.errors import not_found_response

        return not_found_response()
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    """Staff refused a page are told so in the admin's layout: what is refused, their role,
    the way back to the admin's home. Portal users get the portal's page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return defaults.permission_denied(request, exception)
    from django.contrib import admin

    from incubator.roles import CENTER_MANAGER, ROLE_LABELS

    groups = list(user.groups.values_list("name", flat=True))
    context = {
        **admin.site.each_context(request),
        "title": _("Not allowed"),
        "reason": str(exception or ""),
        "role": ", ".join(str(ROLE_LABELS.get(name, name)) for name in groups),
        "is_manager": CENTER_MANAGER in groups,
        "refused_path": request.path,
    }
    return render(request, "admin/403.html", context, status=403)


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check (expired page, blocked cookies), in the portal's
    layout and language; Django's own page is English and technical."""
    return render(request, "403_csrf.html", status=403)
