"""One world per test module, built once in a transaction that is rolled back at the end.

Each request of the matrix runs in a savepoint that is rolled back too, so a POST that
succeeds (a delete, a decision) leaves the world as it was for the next request.
"""

import pytest
from django.db import transaction
from django.test import override_settings

from tests.authz import world as world_module


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("private")


@pytest.fixture(autouse=True)
def _private_media(settings, media_root):
    # Overrides the suite's per-test media folder: the world's files live as long as it does.
    settings.MEDIA_ROOT = media_root


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        with transaction.atomic():
            built = world_module.build()
            yield built
            transaction.set_rollback(True)


def pytest_terminal_summary(terminalreporter):
    from tests.authz import matrix

    try:
        rows = matrix.read_table()
    except (OSError, matrix.TableError):
        return
    cells = len(rows) * len(matrix.ROLES)
    terminalreporter.write_line(
        f"authz matrix: {len(rows)} (URL, method) rows x {len(matrix.ROLES)} roles = "
        f"{cells} (URL, role, method) rows in tests/authz/matrix.txt"
    )
