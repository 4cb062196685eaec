"""What the API's views share: the shape of a partner's own objects, and headers."""

from django.utils.cache import patch_cache_control
from rest_framework import mixins, viewsets


def no_store(response):
    """`response`, marked for no cache to keep: it carries a secret or people's contacts."""
    patch_cache_control(response, private=True, no_store=True)
    return response


class ListCreateDestroyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The shape of a partner's own objects: list, read, create, and cancel or withdraw."""
