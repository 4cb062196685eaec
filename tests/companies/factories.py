"""factory_boy factories for the companies and programs data.

Plain on purpose: each factory builds one valid row with sensible defaults;
tests override what they are about. Users speak English (the catalogues'
source language) so that assertions on text do not change when translators
fill in Korean and Chinese; pass language="ko" to test a Korean page.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from companies import validators
from companies.exchange.models import TechnologyListing
from companies.models import (
    Certification,
    Company,
    FundingRound,
    MarketValidation,
    Membership,
    Patent,
)
from incubator.models import User
from programs.admissions.models import Application, Intake, Program

PASSWORD = "orangsimhan-2020!"


def _brn(n: int) -> str:
    """Return a valid business registration number, different for each n (1 to 9999)."""
    number = f"12481{n % 10000 or 1:04d}"
    return number + validators.brn_check_digit(number)


def _years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28)) - dt.timedelta(days=days)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"founder{n}@example.kr")
    full_name = factory.Sequence(lambda n: f"Founder {n}")
    language = "en"
    time_zone = "Asia/Seoul"
    email_verified = True
    password = factory.django.Password(PASSWORD)


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"officer{n}@center.example.cn")
    full_name = factory.Sequence(lambda n: f"Officer {n}")
    time_zone = "Asia/Shanghai"
    is_staff = True


def staff_in(role: str, **fields):
    """Return a new staff member of `role` (one of incubator.roles.ROLES)."""
    from django.contrib.auth.models import Group

    user = StaffFactory(**fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def role_client(role: str, language: str = "en"):
    """Return a test client signed in as a new staff member of `role`, in `language`."""
    from django.test import Client

    user = staff_in(role, language=language)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name_ko = factory.Sequence(lambda n: f"테스트기술 {n}")
    name_en = factory.Sequence(lambda n: f"Test Technology {n}")
    brn = factory.Sequence(lambda n: _brn(n + 1))
    founded_on = factory.LazyFunction(lambda: _years_ago(5))
    sector = "ai"
    city = "Seoul"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Membership.Role.OWNER


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name_ko = factory.Sequence(lambda n: f"한중 창업 보육 프로그램 {n}")
    name_zh = factory.Sequence(lambda n: f"中韩创业孵化项目 {n}")
    name_en = factory.Sequence(lambda n: f"China–Korea incubation program {n}")


class IntakeFactory(factory.django.DjangoModelFactory):
    """An intake open now, for 30 more days."""

    class Meta:
        model = Intake

    program = factory.SubFactory(ProgramFactory)
    label_en = factory.Sequence(lambda n: f"2026 autumn {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class PatentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patent

    company = factory.SubFactory(CompanyFactory)
    jurisdiction = Patent.Jurisdiction.KR
    kind = Patent.Kind.INVENTION
    status = Patent.Status.REGISTERED
    number = factory.Sequence(lambda n: f"10-{2000000 + n:07d}")
    title = factory.Sequence(lambda n: f"Method for speech recognition {n}")
    applied_on = factory.LazyFunction(lambda: _years_ago(4))
    registered_on = factory.LazyFunction(lambda: _years_ago(2))


class FundingRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingRound

    company = factory.SubFactory(CompanyFactory)
    round_type = FundingRound.Type.SEED
    amount = Decimal("500000000")
    currency = "KRW"
    investor = "Korea Accelerator Fund"
    date = factory.LazyFunction(lambda: _years_ago(1))


class MarketValidationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketValidation

    company = factory.SubFactory(CompanyFactory)
    kind = MarketValidation.Kind.CUSTOMER_CONTRACT
    description = "Pilot contract with a hospital in Seoul"
    amount = Decimal("120000")
    currency = "USD"
    date = factory.LazyFunction(lambda: _years_ago(1))


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    company = factory.SubFactory(CompanyFactory)
    kind = "venture"
    number = factory.Sequence(lambda n: f"2023{n:08d}")
    issued_on = factory.LazyFunction(lambda: _years_ago(1))
    expires_on = factory.LazyFunction(lambda: _years_ago(-2))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application of a company to an open intake."""

    class Meta:
        model = Application

    company = factory.SubFactory(CompanyFactory)
    intake = factory.SubFactory(IntakeFactory)
    # The answer the screening policy requires (ScreeningPolicy.answers_required).
    market_fit = "Korean-language schools in Harbin are our first customers."


class TechnologyListingFactory(factory.django.DjangoModelFactory):
    """A draft know-how listing open to licensing, written in English."""

    class Meta:
        model = TechnologyListing

    company = factory.SubFactory(CompanyFactory)
    title_en = factory.Sequence(lambda n: f"Speech recognition engine {n}")
    summary_en = "An engine that recognises Korean and Chinese speech on a phone."
    terms_en = "Non-exclusive licence, yearly royalty."
    offers_license = True
    sector = "ai"
