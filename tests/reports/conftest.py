import pytest

from incubator import roles
from tests.companies.factories import staff_in


@pytest.fixture
def viewer(db):
    return staff_in(roles.VIEWER, language="en")


@pytest.fixture
def manager(db):
    return staff_in(roles.CENTER_MANAGER, language="ko")
