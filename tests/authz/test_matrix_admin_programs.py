"""The matrix rows of the programs app's admin (a file of its own: xdist runs it alongside)."""

import pytest

from tests.authz import matrix

pytestmark = pytest.mark.django_db


def test_every_programs_admin_url_answers_each_role_as_the_table_says(world):
    rows = [row for row in matrix.project_rows() if matrix.is_programs_admin(row)]
    matrix.check(rows, world, "admin_programs")
