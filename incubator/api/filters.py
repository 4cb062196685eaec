"""How the API filters and orders a list: strict about what it takes, where DRF and
django-filter let a wrong value pass as no filter at all."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, filters


class _TrueOrFalse(forms.NullBooleanField):
    def to_python(self, value):
        if value in (None, ""):
            return None
        truth = super().to_python(value)
        if truth is None:  # "maybe": NullBooleanField's "unknown", i.e. no filter
            raise ValidationError(_("Say true or false."), code="invalid")
        return truth


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A yes-or-no filter: true or false (1 or 0); anything else is a 400, not every row."""

    field_class = _TrueOrFalse

    def __init__(self, *args, **kwargs):
        # A text box, not the select whose reading of the query turns "maybe" into "no
        # filter" before the field sees it.
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


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
