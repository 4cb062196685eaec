"""Fixtures of the webhook tests: staff of each role, a partner organisation, a local
receiver and a port where nothing listens."""

import pytest
from django.contrib.auth.models import Group

from incubator import roles
from tests.companies.factories import PASSWORD, StaffFactory
from tests.events.factories import PartnerOrganisationFactory
from tests.incubator.webhook_receiver import closed_port, receiver  # noqa: F401


def staff_in(role: str):
    # A transactional test elsewhere in the run may have emptied the groups.
    if not Group.objects.filter(name=role).exists():
        roles.sync_role_permissions()
    user = StaffFactory(password=PASSWORD, full_name=role.replace("_", " "))
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def manager():
    return staff_in(roles.CENTER_MANAGER)


@pytest.fixture
def officer():
    return staff_in(roles.PROGRAM_OFFICER)


@pytest.fixture
def coordinator():
    return staff_in(roles.EVENT_COORDINATOR)


@pytest.fixture
def viewer():
    return staff_in(roles.VIEWER)


@pytest.fixture
def organisation():
    return PartnerOrganisationFactory(name_en="Harbin Angel Fund")


@pytest.fixture
def other_organisation():
    return PartnerOrganisationFactory(name_en="Binxian Industrial Investment")
