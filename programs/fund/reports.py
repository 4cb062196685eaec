"""The KPI report's section of the support fund: granted and disbursed, by currency."""

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from incubator.reports.figures import grid_table
from incubator.reports.period import Period
from incubator.reports.registry import Section
from programs.fund.models import Disbursement, FundApplication


def fund_tables(period: Period) -> list:
    # 1 query: grants decided in the period; 1 query: tranches paid in the period.
    granted = {
        currency: (n, total)
        for currency, n, total in FundApplication.objects.filter(
            status=FundApplication.Status.GRANTED, **period.lookup("decided_at")
        )
        .values_list("call__currency")
        .annotate(n=Count("pk"), total=Sum("amount_granted"))
        .order_by()
    }
    paid = {
        currency: (n, total)
        for currency, n, total in Disbursement.objects.filter(**period.date_lookup("paid_on"))
        .values_list("application__call__currency")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by()
    }
    none = (0, 0)
    return [
        grid_table(
            "by_currency",
            _("Support fund, by currency"),
            [
                ("grants", _("Grants")),
                ("granted", _("Amount granted")),
                ("tranches", _("Tranches paid")),
                ("disbursed", _("Amount disbursed")),
            ],
            [
                (c, c, [*granted.get(c, none), *paid.get(c, none)])
                for c in sorted(set(granted) | set(paid))
            ],
            chart="column",
        )
    ]


SECTION = Section("fund", _("Support fund"), 60, fund_tables)
