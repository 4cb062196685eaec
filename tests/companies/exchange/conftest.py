"""The people and rows of the technology exchange's tests: a consenting startup with an owner
(Korean) and a member, its registered patent, a neighbour startup, a partner person (Chinese)
and the four staff roles."""

import pytest
from django.contrib.auth.models import Group

from companies.exchange import partner_services
from companies.exchange.models import TechnologyListing
from companies.models import Membership
from incubator import roles
from tests.companies.factories import (
    CompanyFactory,
    MembershipFactory,
    PatentFactory,
    StaffFactory,
    TechnologyListingFactory,
)
from tests.events.factories import PartnerPersonFactory


@pytest.fixture(autouse=True)
def role_groups(request):
    """The role groups with their permissions (a transactional test may have flushed them)."""
    if request.node.get_closest_marker("django_db") is None:
        return
    if not Group.objects.filter(
        name=roles.PROGRAM_OFFICER, permissions__codename="change_technologylisting"
    ).exists():
        roles.sync_role_permissions()


def staff_in(role: str, **fields):
    user = StaffFactory(**fields)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def manager():
    return staff_in(roles.CENTER_MANAGER, language="ko", full_name="김학봉 Kim Hak-bong")


@pytest.fixture
def officer():
    return staff_in(roles.PROGRAM_OFFICER, language="zh-hans", full_name="李明 Li Ming")


@pytest.fixture
def coordinator():
    return staff_in(roles.EVENT_COORDINATOR)


@pytest.fixture
def viewer():
    return staff_in(roles.VIEWER)


@pytest.fixture
def company():
    return CompanyFactory(
        name_ko="한빛로보틱스",
        name_zh="韩光机器人",
        name_en="Hanbit Robotics",
        sector="intelligent_manufacturing",
        consent_to_partners=True,
    )


@pytest.fixture
def founder(company):
    """The company's owner, who reads Korean."""
    return MembershipFactory(
        company=company,
        user__language="ko",
        user__full_name="이한빛 Lee Han-bit",
        role=Membership.Role.OWNER,
    ).user


@pytest.fixture
def colleague(company, founder):
    return MembershipFactory(company=company, user__language="en", role=Membership.Role.MEMBER).user


@pytest.fixture
def patent(company):
    return PatentFactory(company=company, jurisdiction="CN", number="ZL202010123456.7")


@pytest.fixture
def neighbour():
    """The owner of another consenting startup."""
    return MembershipFactory(company=CompanyFactory(consent_to_partners=True)).user


@pytest.fixture
def partner():
    """A partner person's portal account, reading Chinese."""
    return PartnerPersonFactory(
        user__language="zh-hans", user__full_name="张伟 Zhang Wei", organisation__name_ko=""
    ).user


@pytest.fixture
def approved(company, founder):
    """An approved listing of the company, open to licensing."""
    return TechnologyListingFactory(
        company=company,
        status=TechnologyListing.Status.APPROVED,
        title_ko="협동로봇 관절 제어",
        title_zh="协作机器人关节控制",
        title_en="Joint control for collaborative robots",
        sector="intelligent_manufacturing",
    )


def send(partner, listing, message="我们想了解许可条件。"):
    return partner_services.inquiry_send(actor=partner, listing=listing, message=message)
