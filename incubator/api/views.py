"""The API's own pages: its root, the schema, the interactive docs and the guide."""

from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import get_resolver, path, reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

GUIDE = Path(settings.BASE_DIR) / "docs" / "api.md"


def _open_page(view):
    """A page of the API anyone may read, without a key; other methods get the API's 405,
    in its error shape (not Django's CSRF page: api_view exempts it, and it writes nothing)."""
    view = permission_classes([AllowAny])(authentication_classes([])(view))
    return extend_schema(exclude=True)(api_view(["GET"])(view))


@_open_page
def guide(request):
    """The partner developer's guide, as the Markdown file of the repository."""
    return HttpResponse(
        GUIDE.read_text(encoding="utf-8"), content_type="text/markdown; charset=utf-8"
    )


@_open_page
def root(request):
    """What a developer who opens /api/v1/ first needs: where the docs are, how to sign
    requests, and the collections (every "-list" the apps registered), as absolute URLs."""
    _prefix, api = get_resolver().namespace_dict["api"]
    names = sorted(n for n in api.reverse_dict if isinstance(n, str) and n.endswith("-list"))
    absolute = request.build_absolute_uri
    return Response(
        {
            "docs": absolute(reverse("api:docs")),
            "schema": absolute(reverse("api:schema")),
            "guide": absolute(reverse("api:guide")),
            "authentication": "Authorization: Api-Key <your organisation's key>",
            "collections": {
                name.removesuffix("-list"): absolute(reverse(f"api:{name}")) for name in names
            },
        }
    )


urlpatterns = [
    path("", root, name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("guide/", guide, name="guide"),
]
