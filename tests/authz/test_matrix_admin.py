"""The matrix rows of the admin site, auth, django-celery-beat, axes, incubator, companies.

The events and programs apps' admin rows have files of their own, so that xdist, which
gives each file to one worker, can share the matrix's requests between its workers.
"""

import pytest

from tests.authz import matrix

pytestmark = pytest.mark.django_db


def test_every_admin_url_answers_each_role_as_the_table_says(world):
    rows = [
        row
        for row in matrix.project_rows()
        if row.url.startswith("admin")
        and not matrix.is_events_admin(row)
        and not matrix.is_programs_admin(row)
    ]
    matrix.check(rows, world, "admin")
