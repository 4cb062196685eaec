from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination


class PageNotFound(exceptions.NotFound):
    """A page past the last: a 404 that says so, not "not visible to your organisation"."""


class Page(PageNumberPagination):
    """Numbered pages of 20 rows; `page_size` up to 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        number = request.query_params.get(self.page_query_param)
        whole = number is not None and number.isascii() and number.isdigit()
        if number is not None and number not in self.last_page_strings:
            if not whole or int(number) < 1:
                refusal = {self.page_query_param: [_("Pages count from 1.")]}
                raise exceptions.ValidationError(refusal)
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            # The one page a number from 1 can miss: one past the last (a count again).
            last = self.django_paginator_class(queryset, self.get_page_size(request)).num_pages
            message = _("There is no page %(page)s: the last is %(last)s.")
            raise PageNotFound(message % {"page": number, "last": last}) from None
