"""The matrix rows of the portal and the site's own pages: everything outside /admin/."""

import pytest

from tests.authz import matrix

pytestmark = pytest.mark.django_db


def test_every_portal_url_answers_each_role_as_the_table_says(world):
    rows = [row for row in matrix.project_rows() if not row.url.startswith("admin")]
    matrix.check(rows, world, "portal")
