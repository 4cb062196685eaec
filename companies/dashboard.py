"""What companies puts on the staff dashboard: the leads of the funnel, companies by sector."""

from django.utils.translation import gettext_lazy as _

from companies.models import Company, Lead, Sector
from companies.reports import leads_tables
from companies.selectors import companies_by_sector
from incubator.dashboard.registry import FUNNEL, SECTORS, Contribution, Figure, within
from incubator.reports.period import Period


def leads_figures(period: Period) -> list[Figure]:
    # The KPI report's new leads of the period (its table by source, added up).
    (by_source,) = leads_tables(period)
    return [Figure("leads", _("New leads"), by_source.total(), within("created_at", period))]


def sector_figures(period: Period) -> list[Figure]:
    counts = companies_by_sector()
    return [
        Figure(code, label, counts.get(code, 0), {"sector__exact": code})
        for code, label in Sector.choices
    ]


CONTRIBUTIONS = [
    Contribution(FUNNEL, "leads", 10, Lead, leads_figures),
    Contribution(SECTORS, "companies", 10, Company, sector_figures),
]
