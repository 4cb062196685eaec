from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination


class PageNotFound(exceptions.NotFound):
    """A page past the last: a 404 that says so, not "not visible to your organisation"."""


def _whole(number: str) -> bool:
    return number.isascii() and number.isdigit() and int(number) >= 1


class Page(PageNumberPagination):
    """Numbered pages of 20 rows; `page_size` up to 100 (more is read as 100, as DRF does)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        number = request.query_params.get(self.page_query_param)
        if number is not None and number not in self.last_page_strings and not _whole(number):
            raise exceptions.ValidationError({self.page_query_param: [_("Pages count from 1.")]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            # The one page a number from 1 can miss: one past the last (a count again).
            last = self.django_paginator_class(queryset, self.get_page_size(request)).num_pages
            message = _("There is no page %(page)s: the last is %(last)s.")
            raise PageNotFound(message % {"page": number, "last": last}) from None

    def get_page_size(self, request):
        # DRF reads a page_size of "abc", 0 or -5 as none at all: the caller would count on
        # pages of a size it did not get.
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not _whole(size):
            message = _("A page holds from 1 to %(most)s rows.") % {"most": self.max_page_size}
            raise exceptions.ValidationError({self.page_size_query_param: [message]})
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
