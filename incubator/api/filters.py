"""How the API filters and orders a list: strict about what it takes, where DRF and
django-filter let a wrong value pass as no filter at all."""

from collections.abc import Iterable

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters
from rest_framework.settings import api_settings


def refuse_unknown_parameters(
    query_params, known: Iterable[str], repeatable: Iterable[str] = ()
) -> None:
    """A 400 naming each query parameter the endpoint does not take, and those it does: a
    typo (`?sectr=ai`) would otherwise answer every row, as if there were no filter. A
    parameter given twice that takes one value (`?from=…&from=…`) is a 400 too: only one
    of the two would be read, without a word; `repeatable` names those that take several."""
    known = sorted(set(known))
    unknown = sorted(name for name in query_params if name not in known)
    if not unknown:
        repeatable = set(repeatable)
        repeated = sorted(
            name
            for name in query_params
            if name not in repeatable and len(query_params.getlist(name)) > 1
        )
        if repeated:
            raise exceptions.ValidationError(
                {
                    name: [_("Give %(name)s once: it takes one value.") % {"name": name}]
                    for name in repeated
                }
            )
        return
    if known:
        message = _("Unknown parameter: this endpoint takes %(names)s.") % {
            "names": ", ".join(known)
        }
    else:
        message = _("Unknown parameter: this endpoint takes none.")
    fields = {name: [message] for name in unknown}
    if "lang" in fields:
        # The API's own pages (the guide, the schema) take ?lang=; the data follows the header.
        fields["lang"].append(
            _(
                "The language of an answer is chosen with the Accept-Language header (ko, "
                "zh-hans, en); ?lang= is only for the API's guide, docs and schema."
            )
        )
    raise exceptions.ValidationError(fields)


class KnownParameters(filters.BaseFilterBackend):
    """Refuse a query parameter that none of the view's filters, ordering or pages reads.

    The first filter backend: it runs before the others read the query, on a list and on
    the lookup of one object (`get_object` filters too). What is known is what the schema
    documents, the backends' and the paginator's own parameters, and DRF's `format`.
    """

    def filter_queryset(self, request, queryset, view):
        by_name = self.filters_of(view, queryset)
        # A multiple-choice filter takes its parameter repeated (`?status=a&status=b`).
        refuse_unknown_parameters(
            request.query_params,
            self.known(view, by_name),
            {
                name
                for name, found in by_name.items()
                if isinstance(found, django_filters.MultipleChoiceFilter)
            },
        )
        return queryset

    @staticmethod
    def filters_of(view, queryset=None) -> dict:
        """The view's filterset's filters by parameter name ({} without one)."""
        found = {}
        for backend in view.filter_backends:
            if issubclass(backend, DjangoFilterBackend):
                filterset = backend().get_filterset_class(view, queryset)
                found |= filterset.base_filters if filterset else {}
        return found

    @staticmethod
    def known(view, by_name: dict) -> set[str]:
        """The parameters the view reads: its filters, its ordering, its pages and DRF's
        `format`."""
        known = {api_settings.URL_FORMAT_OVERRIDE} - {None}
        known |= set(by_name)
        for backend in view.filter_backends:
            if issubclass(backend, filters.OrderingFilter) and backend.offers(view):
                known.add(backend.ordering_param)
        paginator = getattr(view, "paginator", None)
        if paginator is not None and getattr(view, "action", "list") == "list":
            known |= {p["name"] for p in paginator.get_schema_operation_parameters(view)}
        return known


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
    it does: DRF drops it without a word, and the caller reads another order than asked.

    Only a view that names its `ordering_fields` is offered `ordering` (DRF's default, every
    field of the serializer, orders by what the list never promised); the others keep
    their own order, and `ordering` is an unknown parameter there (KnownParameters).
    """

    @staticmethod
    def offers(view) -> bool:
        return bool(getattr(view, "ordering_fields", None))

    def get_valid_fields(self, queryset, view, context=None):
        if not self.offers(view):
            return []
        return super().get_valid_fields(queryset, view, context or {})

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
        if not self.offers(view):
            return []
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["description"] = self._fields_text(view)
        return parameters
