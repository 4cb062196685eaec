"""The API's part in the middleware: an address without its trailing slash, or with none
of its endpoints."""

from django.middleware import common
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
