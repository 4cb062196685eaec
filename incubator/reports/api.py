"""The KPI report for partners with the `reports:read` scope (the county government)."""

import datetime as dt
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from incubator.api.filters import refuse_unknown_parameters
from incubator.api.permissions import HasScope
from incubator.api.schema import response_example
from incubator.reports.kpi import kpi_report, report_as_dict
from incubator.reports.period import EARLIEST, LATEST, Period

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class DayField(serializers.DateField):
    """A day written YYYY-MM-DD exactly (strptime alone takes 2024-3-1 too); a day so
    written that the calendar has not (2024-02-30) is told as such, not as a wrong format."""

    default_error_messages = {
        "invalid": _("Write the day as YYYY-MM-DD, e.g. 2024-03-01."),
        "no_such_day": _("There is no such day: %(day)s."),
    }

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def to_internal_value(self, value):
        if not isinstance(value, str) or not DAY.fullmatch(value):
            self.fail("invalid")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise serializers.ValidationError(
                self.error_messages["no_such_day"] % {"day": value}, code="no_such_day"
            ) from None


class KpiQuery(serializers.Serializer):
    # "from" is a Python keyword: the field is declared by name.
    locals()["from"] = DayField(help_text=_("The first day, YYYY-MM-DD (Harbin time)."))
    to = DayField(help_text=_("The last day, YYYY-MM-DD (included)."))

    def validate(self, data):
        try:
            data["period"] = Period(data["from"], data["to"])
        except DjangoValidationError as error:
            # An out-of-range day is told under its own field (both, when both are out);
            # a reversed or too long period under "to", the day that ends it.
            fields = ["to"]
            if error.code == "out_of_range":
                fields = [key for key in ("from", "to") if not EARLIEST <= data[key] <= LATEST]
            raise serializers.ValidationError(dict.fromkeys(fields, error.messages)) from None
        return data


class KpiPeriodSerializer(serializers.Serializer):
    locals()["from"] = serializers.DateField()
    to = serializers.DateField()


class KpiColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField(help_text=_("In the language of Accept-Language."))


class KpiRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    values = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text=_("The figure of each column, by the column's key (null: none to compute)."),
    )


class KpiTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = KpiColumnSerializer(many=True)
    rows = KpiRowSerializer(many=True)


class KpiSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    tables = KpiTableSerializer(many=True)


class KpiReportSerializer(serializers.Serializer):
    period = KpiPeriodSerializer()
    sections = KpiSectionSerializer(many=True)


EXAMPLE = {
    "period": {"from": "2020-08-10", "to": "2021-08-31"},
    "sections": [
        {
            "key": "events",
            "title": "Events",
            "tables": [
                {
                    "key": "held_by_kind",
                    "title": "Events held, by kind",
                    "columns": [{"key": "count", "label": "Count"}],
                    "rows": [
                        {"key": "roadshow", "label": "Roadshow", "values": {"count": 52}},
                        {
                            "key": "online_programme",
                            "label": "Online programme",
                            "values": {"count": 6},
                        },
                    ],
                }
            ],
        }
    ],
}


@extend_schema(tags=["reports"])
class KpiReportView(generics.GenericAPIView):
    permission_classes = [HasScope]
    scope = "reports:read"
    serializer_class = KpiReportSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary=_("The center's KPI report of a period"),
        description=_(
            "The figures of the center's KPI report for the days `from` to `to` (both "
            "included, read in Harbin time, at most five years): leads by source, "
            "applications by result, companies per stage and their moves, local entities, "
            "events held by kind, registrations and attendance, meetings, service "
            "requests, the support fund, the portfolio's quarterly figures, the "
            "technology exchange. Counts and sums only, no company named. Sections, "
            "tables, rows and columns have stable keys; their labels are in the language "
            "of Accept-Language."
        ),
        parameters=[KpiQuery],
        examples=[response_example("The first year", _("The first year"), EXAMPLE)],
    )
    def get(self, request):
        refuse_unknown_parameters(request.query_params, [*KpiQuery().fields, "format"])
        query = KpiQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(report_as_dict(kpi_report(query.validated_data["period"])))
