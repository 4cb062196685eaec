"""The KPI report's section of the concierge: service requests and time to resolve."""

import datetime as dt
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _

from incubator.reports.figures import figures_table, grid_table
from incubator.reports.period import Period
from incubator.reports.registry import Section
from programs.concierge.models import ServiceKind, ServiceRequest

TIME_TO_RESOLVE = ExpressionWrapper(F("resolved_at") - F("opened_at"), output_field=DurationField())


def _days(value) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, dt.timedelta):  # some back ends average microseconds
        value = dt.timedelta(microseconds=float(value))
    return round(Decimal(value.total_seconds()) / 86400, 1)


def median_time_to_resolve(resolved, count: int) -> Decimal | None:
    """Return the median of the resolved requests' durations, in days (1 query)."""
    if not count:
        return None
    middle = list(
        resolved.annotate(taken=TIME_TO_RESOLVE)
        .order_by("taken")
        .values_list("taken", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return _days(sum(middle, dt.timedelta()) / len(middle))


def concierge_tables(period: Period) -> list:
    opened = Q(**period.lookup("opened_at"))
    resolved = Q(**period.lookup("resolved_at"))
    done_before_end = Q(resolved_at__lt=period.ends_at) | Q(closed_at__lt=period.ends_at)
    overdue = Q(opened_at__lt=period.ends_at, due_on__lte=period.end) & ~done_before_end
    # 1 query: the totals and the mean time to resolve.
    totals = ServiceRequest.objects.aggregate(
        opened=Count("pk", filter=opened),
        resolved=Count("pk", filter=resolved),
        overdue=Count("pk", filter=overdue),
        mean=Avg(TIME_TO_RESOLVE, filter=resolved),
    )
    # 1 query: the median.
    median = median_time_to_resolve(ServiceRequest.objects.filter(resolved), totals["resolved"])
    # 1 query: per kind.
    per_kind = {
        row["kind"]: row
        for row in ServiceRequest.objects.values("kind")
        .annotate(
            opened=Count("pk", filter=opened),
            resolved=Count("pk", filter=resolved),
            overdue=Count("pk", filter=overdue),
        )
        .order_by()
    }
    columns = ("opened", "resolved", "overdue")
    return [
        figures_table(
            "totals",
            _("Service requests"),
            [
                ("opened", _("Requests opened"), totals["opened"]),
                ("resolved", _("Requests resolved"), totals["resolved"]),
                ("overdue", _("Requests overdue at the end of the period"), totals["overdue"]),
                ("mean_days", _("Mean time to resolve (days)"), _days(totals["mean"])),
                ("median_days", _("Median time to resolve (days)"), median),
            ],
        ),
        grid_table(
            "by_kind",
            _("Service requests by kind"),
            [
                ("opened", _("Opened")),
                ("resolved", _("Resolved")),
                ("overdue", _("Overdue at the end")),
            ],
            [
                (kind, label, [per_kind[kind][c] for c in columns])
                for kind, label in ServiceKind.choices
                if kind in per_kind and any(per_kind[kind][c] for c in columns)
            ],
            chart="column",
        ),
    ]


SECTION = Section("concierge", _("Service requests"), 50, concierge_tables)
