"""How the API chooses the type of its answer."""

from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class Negotiation(DefaultContentNegotiation):
    """DRF's, but a `?format=` the endpoint does not answer in (`?format=xlsx`) is the 406 it
    is, not DRF's 404, which the API words "not visible to your organisation"."""

    def filter_renderers(self, renderers, format):
        try:
            return super().filter_renderers(renderers, format)
        except Http404:
            raise NotAcceptable(available_renderers=renderers) from None


class AnyAccept(Negotiation):
    """For a view that answers in its own type whatever the Accept header says (a calendar
    file, a guide): its first renderer writes only its errors, in JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type
