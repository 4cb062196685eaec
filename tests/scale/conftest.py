"""The staff pages at scale: the programs' fixtures, and a staff member signed in in English."""

import pytest

from tests.programs.conftest import (  # noqa: F401 (fixtures)
    coordinator,
    defaults,
    english,
    manager,
    officer,
)


@pytest.fixture
def staff_client(client):
    def sign_in(user):
        client.force_login(user)
        client.cookies["lang"] = "en"
        return client

    return sign_in
