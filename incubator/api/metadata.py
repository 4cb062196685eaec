"""What an OPTIONS request of the partner API answers."""

from django.urls import reverse
from rest_framework.metadata import BaseMetadata


class SchemaPointer(BaseMetadata):
    """The types a call answers and reads, and where its schema and docs are.

    Not DRF's SimpleMetadata: it described the fields of the answer's serializer as what a
    POST takes (a registration's `status` writable, its `event` read-only, where the POST
    takes `event` and `person` only), with the view's English class name and labels. The
    schema says what each operation takes and answers, in the caller's language.
    """

    def determine_metadata(self, request, view):
        absolute = request.build_absolute_uri
        return {
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
            "schema": absolute(reverse("api:schema")),
            "docs": absolute(reverse("api:docs")),
        }
