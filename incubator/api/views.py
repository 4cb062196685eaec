"""The API's own pages: the schema, the interactive docs and the guide."""

from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

GUIDE = Path(settings.BASE_DIR) / "docs" / "api.md"


@require_GET
def guide(request):
    """The partner developer's guide, as the Markdown file of the repository."""
    return HttpResponse(
        GUIDE.read_text(encoding="utf-8"), content_type="text/markdown; charset=utf-8"
    )


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("guide/", guide, name="guide"),
]
