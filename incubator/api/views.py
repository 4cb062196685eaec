"""The API's own pages: its root, the schema, the interactive docs and the guide.

Each is in the language of `?lang=` (ko, zh-hans, en; "zh-CN" reads as zh-hans), else of
Accept-Language, its errors too, and says which in Content-Language.
"""

import functools
import re
from pathlib import Path

import markdown
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, get_resolver, path, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from drf_spectacular.settings import patched_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    content_negotiation_class,
    permission_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from incubator.api.errors import NotAcceptableHere
from incubator.api.negotiation import AnyAccept

DOCS = Path(settings.BASE_DIR) / "docs"


def asked_language(request) -> str:
    """The language of ?lang= when the portal speaks it, else the request's."""
    try:  # "zh-CN" or "zh" read as zh-hans, as Accept-Language would be
        return translation.get_supported_language_variant(request.GET.get("lang", ""))
    except LookupError:
        return translation.get_language()


def in_asked_language(view):
    """Run `view` and render its answer in the asked language, named by Content-Language."""

    @functools.wraps(view)  # its csrf_exempt and its class, for the schema generator, too
    def page(request, *args, **kwargs):
        language = asked_language(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # a template's words are translated when rendered
        response["Content-Language"] = language
        return response

    return page


def _open_page(view, negotiation=None):
    """A page of the API anyone may read, without a key; other methods get the API's 405,
    in its error shape (not Django's CSRF page: api_view exempts it, and it writes nothing)."""
    view = permission_classes([AllowAny])(authentication_classes([])(view))
    if negotiation is not None:
        view = content_negotiation_class(negotiation)(view)
    # HEAD named too: api_view refuses every method it is not given, HEAD included.
    return in_asked_language(extend_schema(exclude=True)(api_view(["GET", "HEAD"])(view)))


def guide_path(name: str, language: str) -> Path:
    """The Markdown file of a guide in a language: docs/<name>.md is the English one,
    docs/<name>.<language>.md the others (docs/api.ko.md, docs/api.zh-hans.md)."""
    return DOCS / (f"{name}.md" if language == "en" else f"{name}.{language}.md")


# A line break between two Chinese characters or punctuation marks, outside code: a
# browser shows it as a space ("技术 转让项目"), where Chinese has none.
_HAN = "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"  # ideographs, CJK and full-width marks
_CHINESE_BREAK = re.compile(rf"(?<={_HAN})\n[ \t]*(?={_HAN})")
_FENCED = re.compile(r"(^```.*?^```$)", re.S | re.M)


def guide_html(text: str) -> str:
    """The HTML of a guide's Markdown, its Chinese lines joined as one would write them."""
    pieces = _FENCED.split(text)
    text = "".join(p if p.startswith("```") else _CHINESE_BREAK.sub("", p) for p in pieces)
    return markdown.markdown(text, extensions=["tables", "fenced_code"])


# What a guide answers in, by the Accept header: Markdown first (curl's */*), a page to a
# browser (it asks for text/html before */*), and Markdown to a script that asks for JSON
# (as before; the guide has no JSON of its own).
GUIDE_TYPES = ("text/markdown", "text/html", "text/plain", "application/json")


def _wants_html(request) -> bool | None:
    """True: the guide as a page; False: its Markdown (?source always); None: the caller
    takes neither. (Not ?format=: DRF takes that one for its own renderers.)"""
    if "source" in request.GET:
        return False
    preferred = request.get_preferred_type(GUIDE_TYPES)
    return None if preferred is None else preferred == "text/html"


def _guide_page(name: str):
    """A guide in the language of ?lang= (as the schema takes it), else of Accept-Language."""

    def page(request):
        language = translation.get_language()  # the asked one: in_asked_language
        wants_html = _wants_html(request)
        if wants_html is None:
            raise NotAcceptableHere(
                _("This guide answers in Markdown (text/markdown, text/plain) or HTML.")
            )
        text = guide_path(name, language).read_text(encoding="utf-8")
        if wants_html:
            # The repository's own Markdown, not anyone's input: its HTML is shown as is.
            body = mark_safe(guide_html(text))
            title = text.partition("\n")[0].lstrip("# ")
            context = {"body": body, "title": title, "language": language}
            response = render(request, "api/guide.html", context)
        else:
            response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        return response

    page.__name__ = page.__qualname__ = f"{name}_guide"
    page.__doc__ = f"The partner developer's guide docs/{name}.md, in their language."
    # The guide chooses its own type (above): DRF's JSON renderer only writes its errors.
    return _open_page(page, negotiation=AnyAccept)


guide = _guide_page("api")
webhooks_guide = _guide_page("webhooks")


# The API's own pages, which the root names on their own lines.
OWN_PAGES = {"root", "docs", "schema", "guide", "webhooks-guide"}


@_open_page
def root(request):
    """What a developer who opens /api/v1/ first needs: where the docs are, how to sign
    requests, and every endpoint that takes no id (the collections the apps registered, the
    agenda, the KPI report...), named by its path, as absolute URLs."""
    _prefix, api = get_resolver().namespace_dict["api"]
    base = reverse("api:root")
    endpoints = {}
    for name in api.reverse_dict:
        if not isinstance(name, str) or name in OWN_PAGES:
            continue
        try:
            path = reverse(f"api:{name}")
        except NoReverseMatch:
            continue  # one object's endpoint: its collection names it
        endpoints[path.removeprefix(base).strip("/")] = path
    absolute = request.build_absolute_uri
    return Response(
        {
            "docs": absolute(reverse("api:docs")),
            "schema": absolute(reverse("api:schema")),
            "guide": absolute(reverse("api:guide")),
            "webhooks_guide": absolute(reverse("api:webhooks-guide")),
            "authentication": _("Authorization: Api-Key <your organisation's key>"),
            "collections": {key: absolute(endpoints[key]) for key in sorted(endpoints)},
        }
    )


class SchemaView(SpectacularAPIView):
    """The schema, saved as partner-api.yaml (or .json).

    drf-spectacular names the file after the title, in the schema's language: a Korean or
    Chinese title made the header RFC 2047-encoded, which no client reads as a file name,
    and the English one holds a colon, which Windows refuses.
    """

    def _get_filename(self, request, version):
        suffix = self.perform_content_negotiation(request, force=True)[0].format
        return f"partner-api.{suffix}"

    def dispatch(self, request, *args, **kwargs):
        # drf-spectacular activates ?lang= as given, an unknown one as the default language
        # (Korean): the asked language instead, as the guide and the docs read it.
        return in_asked_language(super().dispatch)(request, *args, **kwargs)

    @extend_schema(exclude=True)  # as SERVE_INCLUDE_SCHEMA False had spectacular's get
    def get(self, request, *args, **kwargs):
        # Spectacular's own get, less its reading of ?lang= (dispatch above reads it); the
        # project names no urlconf, which is the rest of what that get does.
        with patched_settings(self.custom_settings):
            return self._get_schema_response(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.exception:
            # An error in the API's JSON shape, as every other call answers, not in YAML
            # (the schema's first type, which DRF falls back to when no type fits).
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


class DocsView(SpectacularSwaggerSplitView):
    """The interactive docs, their page (title, <html lang>) in the language of the schema
    they show: ?lang= when given."""

    def dispatch(self, request, *args, **kwargs):
        return in_asked_language(super().dispatch)(request, *args, **kwargs)


urlpatterns = [
    path("", root, name="root"),
    path("schema/", SchemaView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("guide/", guide, name="guide"),
    path("guide/webhooks/", webhooks_guide, name="webhooks-guide"),
]
