"""The yardstick of the API benchmark: a bare Django view over the same rows as the API list.

It returns the first 100 companies of `GET /api/v1/companies/` (the same selector, so the
same filter and annotations, and the viewset's ordering) as `.values()` rows, with the
certifications in force from one more `.values_list()` query, as the API's list prefetches
them. Fields the serializer derives (the name as a dict, years, languages) stay the columns
they come from. No key, no count, no serializer: what is left is what any view pays.
"""

from collections import defaultdict

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import JsonResponse
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


def companies_bare(request):
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
    return JsonResponse({"results": rows}, encoder=DjangoJSONEncoder)
