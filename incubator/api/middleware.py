"""The API's part in the middleware: an address without its trailing slash, or with none
of its endpoints."""

from django.middleware import common
from django.urls import is_valid_path
from django.utils.translation import gettext as _

from incubator.api.errors import not_found_response


class CommonMiddleware(common.CommonMiddleware):
    """Django's CommonMiddleware, but an API write without its trailing slash
    (POST /api/v1/registrations) is a 404 naming the right URL, in the API's error shape.

    APPEND_SLASH would answer it with a RuntimeError when DEBUG is on, and otherwise with a
    301 the client follows as a GET, without the body. A GET or HEAD is still redirected.
    """

    def process_response(self, request, response):
        if (
            response.status_code == 404
            and request.path_info.startswith("/api/")
            and request.method not in ("GET", "HEAD")
            and self.should_redirect_with_slash(request)
        ):
            url = request.get_full_path(force_append_slash=True)
            return not_found_response(
                _("No endpoint here: its URL ends with a slash (%(url)s).") % {"url": url}
            )
        if response.status_code == 404 and self._without_slash(request):
            # /reports/kpi and /events/{id}/ics are files' addresses: a developer who
            # follows every other endpoint's pattern adds a slash.
            url = request.get_full_path().replace(request.path, request.path[:-1], 1)
            return not_found_response(
                _("No endpoint here: its URL has no trailing slash (%(url)s).") % {"url": url}
            )
        response = super().process_response(request, response)
        if (
            response.status_code == 404
            and request.path_info.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            # With DEBUG on (make run), Django answers an unknown URL with its HTML page
            # before handler404 is asked: a partner's developer trying the API locally
            # would read HTML where the deployed API answers JSON.
            return not_found_response()
        return response

    @staticmethod
    def _without_slash(request) -> bool:
        """Whether the API address asked for, with a trailing slash, has an endpoint without."""
        path = request.path_info
        if not path.startswith("/api/") or not path.endswith("/") or path == "/api/":
            return False
        urlconf = getattr(request, "urlconf", None)
        return not is_valid_path(path, urlconf) and is_valid_path(path[:-1], urlconf)
