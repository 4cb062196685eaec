"""The KPI report's sections of programs: admissions, the journey and the portfolio.

The concierge and the fund add theirs from their rooms (`concierge/reports.py`,
`fund/reports.py`); `SECTIONS` lists them all for the app to register.
"""

from functools import reduce
from operator import or_

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from companies.models import Sector
from incubator.reports.figures import counts_table, figures_table, grid_table
from incubator.reports.period import Period
from incubator.reports.registry import Section
from programs.concierge.models import ServiceKind
from programs.concierge.reports import SECTION as CONCIERGE
from programs.fund.reports import SECTION as FUND
from programs.journey.selectors import latest_enrollment_pk
from programs.models import (
    Application,
    Enrollment,
    LocalEntity,
    QuarterlyReport,
    ServiceRequest,
    StageTransition,
    stage_label,
)

QUARTER_FIGURES = ("n", "china", "korea", "customers")
DECIDED = (
    Application.Status.ACCEPTED,
    Application.Status.REJECTED,
    Application.Status.WAITLISTED,
)


def admissions_tables(period: Period) -> list:
    # 1 query: submissions and decisions of the period.
    decided = Q(**period.lookup("decided_at"))
    figures = Application.objects.aggregate(
        submitted=Count("pk", filter=Q(**period.lookup("submitted_at"))),
        **{status: Count("pk", filter=decided & Q(status=status)) for status in DECIDED},
    )
    return [
        figures_table(
            "submitted",
            _("Applications"),
            [("submitted", _("Applications submitted"), figures["submitted"])],
        ),
        counts_table(
            "by_result",
            _("Applications decided, by result"),
            [(status, Application.Status(status).label) for status in DECIDED],
            {status: figures[status] for status in DECIDED},
            chart="pie",
        ),
    ]


def stages_at_end(period: Period) -> dict[str, int]:
    """Return the number of companies in each stage at the end of the period (1 query).

    A company counts once, at the stage its latest enrollment of then had: one that
    graduated and enrolled again is in its new stage, not also among the graduated.
    """
    stage_then = (
        StageTransition.objects.filter(enrollment=OuterRef("pk"), created_at__lt=period.ends_at)
        .order_by("-created_at", "-pk")
        .values("to_stage")[:1]
    )
    return dict(
        Enrollment.objects.annotate(stage_then=Subquery(stage_then))
        .filter(stage_then__isnull=False, pk=latest_enrollment_pk(before=period.ends_at))
        .values_list("stage_then")
        .annotate(n=Count("company", distinct=True))
        .order_by()
    )


def journey_tables(period: Period) -> list:
    # 1 query: companies per stage at the end.
    per_stage = stages_at_end(period)
    # 1 query: moves between stages in the period (an enrollment's first step is not a move).
    moves = (
        StageTransition.objects.filter(**period.lookup("created_at"))
        .exclude(from_stage="")
        .values_list("from_stage", "to_stage")
        .annotate(n=Count("pk"))
        .order_by("from_stage", "to_stage")
    )
    # 1 query: companies introduced (first enrolled in the period), by sector.
    introduced = dict(
        Enrollment.objects.filter(**period.date_lookup("started_on"))
        .values_list("company__sector")
        .annotate(n=Count("company", distinct=True))
        .order_by()
    )
    # 1 query: local entities registered in the period.
    local = LocalEntity.objects.filter(**period.date_lookup("registered_on")).aggregate(
        entities=Count("pk"), companies=Count("company", distinct=True)
    )
    # 1 query: companies with a company registration under way at the end of the period.
    registering = (
        ServiceRequest.objects.filter(
            kind=ServiceKind.COMPANY_REGISTRATION, opened_at__lt=period.ends_at
        )
        .exclude(Q(resolved_at__lt=period.ends_at) | Q(closed_at__lt=period.ends_at))
        .aggregate(n=Count("company", distinct=True))["n"]
    )
    return [
        figures_table(
            "introduced",
            _("Companies introduced and registered locally"),
            [
                ("introduced", _("Companies introduced (enrolled)"), sum(introduced.values())),
                ("local_entities", _("Local entities registered"), local["entities"]),
                ("registered_companies", _("Companies registered locally"), local["companies"]),
                (
                    "registering",
                    _("Companies registering a local entity at the end of the period"),
                    registering,
                ),
            ],
        ),
        counts_table(
            "introduced_by_sector",
            _("Companies introduced, by sector"),
            Sector.choices,
            introduced,
            chart="pie",
            keep_zero=False,
        ),
        counts_table(
            "per_stage",
            _("Companies per stage at the end of the period"),
            Enrollment.Stage.choices,
            per_stage,
            column=_("Companies"),
        ),
        grid_table(
            "moves",
            _("Moves between stages"),
            [("count", _("Count"))],
            # Lazy, as every label: the workbook writes it in its reader's language.
            [
                (f"{a}>{b}", format_lazy("{} → {}", stage_label(a), stage_label(b)), [n])
                for a, b, n in moves
            ],
            chart="bar",
        ),
    ]


def portfolio_tables(period: Period) -> list:
    quarters = period.quarters()
    if quarters:
        in_period = reduce(or_, (Q(year=y, quarter=q) for y, q in quarters))
        reports = QuarterlyReport.objects.filter(in_period)
    else:
        reports = QuarterlyReport.objects.none()
    # 1 query: revenue by currency; 1 query: reports and people per quarter.
    revenue = (
        reports.values_list("revenue_currency")
        .annotate(n=Count("pk"), total=Sum("revenue"))
        .order_by("revenue_currency")
    )
    per_quarter = {
        (row["year"], row["quarter"]): row
        for row in reports.values("year", "quarter")
        .annotate(
            n=Count("pk"),
            china=Sum("employees_china"),
            korea=Sum("employees_korea"),
            customers=Sum("customers_china"),
        )
        .order_by()
    }
    empty = dict.fromkeys(QUARTER_FIGURES, 0)
    return [
        grid_table(
            "revenue",
            _("Portfolio revenue, by currency (quarters ending in the period)"),
            [("reports", _("Reports")), ("revenue", _("Revenue"))],
            [(currency, currency, [n, total]) for currency, n, total in revenue],
        ),
        grid_table(
            "employees",
            _("Portfolio employees and customers, by quarter"),
            [
                ("reports", _("Reports")),
                ("employees_china", _("Employees in China")),
                ("employees_korea", _("Employees in Korea")),
                ("customers_china", _("Customers in China")),
            ],
            [
                (
                    f"{y}-Q{q}",
                    f"{y} Q{q}",
                    [
                        per_quarter.get((y, q), empty)[k]
                        for k in ("n", "china", "korea", "customers")
                    ],
                )
                for y, q in quarters
            ],
            chart="column",
        ),
    ]


SECTIONS = [
    Section("admissions", _("Applications"), 20, admissions_tables),
    Section("journey", _("Companies and stages"), 30, journey_tables),
    Section("portfolio", _("Portfolio"), 40, portfolio_tables),
    CONCIERGE,
    FUND,
]
