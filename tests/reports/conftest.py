import pytest
from django.contrib.auth.models import Group

from incubator import roles
from tests.companies.factories import StaffFactory


def staff_in(role: str, **fields):
    roles.sync_role_permissions()
    user = StaffFactory(**fields)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def viewer(db):
    return staff_in(roles.VIEWER, language="en")


@pytest.fixture
def manager(db):
    return staff_in(roles.CENTER_MANAGER, language="ko")
