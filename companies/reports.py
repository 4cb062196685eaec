"""The KPI report's sections of companies: leads, and the technology exchange."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from companies.exchange.models import TechnologyInquiry, TechnologyListing
from companies.models import Lead
from incubator.reports.figures import counts_table, figures_table
from incubator.reports.period import Period
from incubator.reports.registry import Section


def leads_tables(period: Period) -> list:
    # 1 query: new leads of the period by source.
    by_source = dict(
        Lead.objects.filter(**period.lookup("created_at"))
        .values_list("source")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        counts_table(
            "by_source", _("New leads by source"), Lead.Source.choices, by_source, chart="pie"
        )
    ]


def technology_tables(period: Period) -> list:
    within = period.lookup
    # 1 query for the listings, 1 for the inquiries.
    listings = TechnologyListing.objects.aggregate(
        submitted=Count("pk", filter=Q(**within("submitted_at"))),
        approved=Count(
            "pk",
            filter=Q(status=TechnologyListing.Status.APPROVED, **within("reviewed_at")),
        ),
        approved_at_end=Count(
            "pk",
            filter=Q(status=TechnologyListing.Status.APPROVED, reviewed_at__lt=period.ends_at),
        ),
    )
    inquiries = TechnologyInquiry.objects.aggregate(
        sent=Count("pk", filter=Q(**within("created_at"))),
        answered=Count("pk", filter=Q(**within("answered_at"))),
        accepted=Count("pk", filter=Q(accepted=True, **within("answered_at"))),
    )
    return [
        figures_table(
            "listings",
            _("Technology listings"),
            [
                ("submitted", _("Listings submitted for review"), listings["submitted"]),
                ("approved", _("Listings approved"), listings["approved"]),
                (
                    "approved_at_end",
                    _("Approved listings at the end of the period"),
                    listings["approved_at_end"],
                ),
            ],
        ),
        figures_table(
            "inquiries",
            _("Partners' inquiries"),
            [
                ("sent", _("Inquiries sent"), inquiries["sent"]),
                ("answered", _("Inquiries answered"), inquiries["answered"]),
                ("accepted", _("Inquiries accepted"), inquiries["accepted"]),
            ],
        ),
    ]


SECTIONS = [
    Section("leads", _("Leads"), 10, leads_tables),
    Section("technology", _("Technology exchange"), 90, technology_tables),
]
