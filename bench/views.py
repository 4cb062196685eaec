"""The yardsticks of the API benchmark and the load test: bare Django views over the same
rows as the API list.

They take the first 100 companies of `GET /api/v1/companies/` (the same selector, so the
same filter and annotations, and the viewset's ordering) as `.values()` rows, with the
certifications in force from one more `.values_list()` query, as the API's list prefetches
them. Fields the serializer derives (the name as a dict, years, languages) stay the columns
they come from. No key, no count, no serializer: what is left is what any view pays.
`companies_bare` returns them as JSON (the API's floor), `companies_table` in a minimal
HTML table (the pages' floor: a template, no base layout, no context processors).
"""

import functools
from collections import defaultdict

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.template import engines
from django.utils import timezone

from companies.models import Certification
from programs.journey.api import CompanyViewSet
from programs.journey.selectors import companies_for_partners

ROWS = 100
FIELDS = (
    "id",
    "name_ko",
    "name_zh",
    "name_en",
    "sector",
    "stage",
    "founded_on",
    "city",
    "website",
    "has_registered_patent",
    "speaks_ko",
    "speaks_zh",
    "speaks_en",
)


TABLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Companies</title></head><body>
<table>
<thead><tr>{% for name in columns %}<th>{{ name }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}<tr><td>{{ row.id }}</td><td>{{ row.name_ko }}</td><td>{{ row.name_zh }}</td>\
<td>{{ row.name_en }}</td><td>{{ row.sector }}</td><td>{{ row.stage }}</td>\
<td>{{ row.founded_on }}</td><td>{{ row.city }}</td><td>{{ row.website }}</td>\
<td>{{ row.has_registered_patent }}</td><td>{{ row.speaks_ko }}</td><td>{{ row.speaks_zh }}</td>\
<td>{{ row.speaks_en }}</td><td>{{ row.certifications|join:", " }}</td></tr>
{% endfor %}</tbody>
</table>
</body></html>
"""


def company_rows() -> list[dict]:
    today = timezone.localdate()
    rows = list(
        companies_for_partners()
        .prefetch_related(None)
        .order_by(*CompanyViewSet.ordering)
        .values(*FIELDS)[:ROWS]
    )
    kinds = defaultdict(list)
    current = (
        Certification.objects.filter(company_id__in=[row["id"] for row in rows])
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values_list("company_id", "kind")
        .distinct()
        .order_by("kind")
    )
    for company_id, kind in current:
        kinds[company_id].append(kind)
    for row in rows:
        row["certifications"] = kinds[row["id"]]
    return rows


def companies_bare(request):
    return JsonResponse({"results": company_rows()}, encoder=DjangoJSONEncoder)


@functools.cache
def table_template():
    """Compiled once per process, as the cached template loader does for the pages."""
    return engines["django"].from_string(TABLE)


def companies_table(request):
    columns = [*FIELDS, "certifications"]
    return HttpResponse(table_template().render({"columns": columns, "rows": company_rows()}))
