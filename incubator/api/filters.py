"""How the API orders a list: DRF's ordering, strict about the fields it takes."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, filters


class StrictOrdering(filters.OrderingFilter):
    """DRF's `?ordering=`, but a field the list does not order by is a 400 that names those
    it does: DRF drops it without a word, and the caller reads another order than asked."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        kept = super().remove_invalid_fields(queryset, fields, view, request)
        if len(kept) != len([field for field in fields if field]):
            raise exceptions.ValidationError({self.ordering_param: [self._fields_text(view)]})
        return kept

    def _fields_text(self, view) -> str:
        names = [
            name if isinstance(name, str) else name[0]
            for name in getattr(view, "ordering_fields", None) or ()
        ]
        return _("Order by one of %(fields)s; a leading - reverses the order.") % {
            "fields": ", ".join(names)
        }

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["description"] = self._fields_text(view)
        return parameters
