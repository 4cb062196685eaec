"""factory_boy factories of the journey: cohorts, fund calls; enrollments go through the service."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from programs.models import Cohort, FundCall
from tests.companies.factories import ProgramFactory


class CohortFactory(factory.django.DjangoModelFactory):
    """A cohort that started 30 days ago and runs for a year."""

    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    label_en = factory.Sequence(lambda n: f"2026 cohort {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=335))


class FundCallFactory(factory.django.DjangoModelFactory):
    """An open call of CNY 1,000,000, nothing granted yet."""

    class Meta:
        model = FundCall

    title_ko = factory.Sequence(lambda n: f"특별 지원 기금 {n}")
    title_zh = factory.Sequence(lambda n: f"专项扶持基金 {n}")
    title_en = factory.Sequence(lambda n: f"Special support fund {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    budget = Decimal("1000000")
    remaining = factory.SelfAttribute("budget")
    currency = "CNY"
