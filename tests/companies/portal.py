"""What the portal tests of companies and of admissions share: a founder, the company form,
an application and policy v1."""

import datetime as dt

import pytest

from companies.models import Membership
from programs.admissions import services as admissions_services
from programs.admissions.models import ScreeningPolicy
from tests.companies.factories import (
    ApplicationFactory,
    CertificationFactory,
    CompanyFactory,
    FundingRoundFactory,
    IntakeFactory,
    MembershipFactory,
    PatentFactory,
    UserFactory,
)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
TODAY = dt.date.today()
ARTICLE_CERTIFICATIONS = ["venture", "innobiz", "mainbiz", "rnd_center", "tips", "high_tech"]

COMPANY = {
    "name_ko": "할빈오랑심한과학기술",
    "name_zh": "哈尔滨奥朗心韩科技",
    "name_en": "Orangsimhan Technology",
    "brn": "124-81-00998",
    "founded_on": "2016-03-02",
    "sector": "education",
    "description_ko": "한국어 및 직업 교육",
    "description_zh": "",
    "description_en": "Korean-language and vocational education",
    "website": "https://orangsimhan.example.kr",
    "city": "Seoul",
    "employees": "12",
    "consent_to_partners": "on",
}


@pytest.fixture
def policy_v1():
    """The migration's first version (recreated if a transactional test flushed it)."""
    policy = ScreeningPolicy.objects.filter(version=1).first()
    if policy is None:
        policy = admissions_services.policy_publish(
            actor=None,
            effective_from=dt.datetime(2020, 8, 10, tzinfo=dt.UTC),
            certification_kinds=ARTICLE_CERTIFICATIONS,
        )
    return policy


def html(response) -> str:
    return response.content.decode()


def member(company=None, **user_fields):
    """Return a signed-up founder who owns a company (a new one unless given)."""
    return MembershipFactory(
        user=UserFactory(**user_fields), company=company or CompanyFactory()
    ).user


@pytest.fixture
def owner():
    return member()


@pytest.fixture
def application(owner):
    return ApplicationFactory(company=owner.membership.company)


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def step_url(application, step):
    return f"/portal/applications/{application.pk}/{step}/"


def company_with_evidence(*, certification=True, **fields):
    """A company five years old with a registered patent, a funding round and, if asked,
    a valid venture certification; its owner is a portal member."""
    company = CompanyFactory(**fields)
    PatentFactory(company=company)
    FundingRoundFactory(company=company)
    if certification:
        CertificationFactory(company=company)
    MembershipFactory(company=company)
    return company


def owner_of(company):
    return company.memberships.get(role=Membership.Role.OWNER).user


def submitted(company=None, intake=None):
    company = company or company_with_evidence()
    application = ApplicationFactory(company=company, intake=intake or IntakeFactory())
    return admissions_services.application_submit(application=application, user=owner_of(company))


def criterion(application, code):
    return next(c for c in application.screening["criteria"] if c["code"] == code)
