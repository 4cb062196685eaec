"""The pipeline board shows the working stages, a bounded column each, and never reads the
enrollments that ended: its queries and cards are the same with none or many of them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs import stages
from programs.journey import selectors as journey_selectors
from programs.journey import services as journey_services
from tests.companies.factories import CompanyFactory
from tests.programs.conftest import enroll
from tests.programs.factories import CohortFactory

pytestmark = pytest.mark.django_db

BOARD = "admin:programs_enrollment_pipeline"


def board(client):
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse(BOARD))
    assert page.status_code == 200
    cards = [
        card for _stage, _label, column, _total, _more in page.context["columns"] for card in column
    ]
    return page, cards, len(captured)


def end(enrollments, actor):
    for enrollment in enrollments:
        journey_services.enrollment_advance(
            enrollment=enrollment, to_stage=stages.WITHDRAWN, actor=actor, reason="Back to Korea."
        )


def test_ended_enrollments_change_neither_the_queries_nor_the_cards(staff_client, officer):
    client = staff_client(officer)
    cohort = CohortFactory()
    working = [enroll(CompanyFactory(), cohort, officer) for _ in range(3)]
    _page, cards, queries = board(client)

    end([enroll(CompanyFactory(), CohortFactory(), officer) for _ in range(8)], officer)

    page, cards_after, queries_after = board(client)
    assert queries_after == queries
    assert [c.pk for c in cards_after] == [c.pk for c in cards]
    assert {c.pk for c in cards} == {e.pk for e in working}
    html = page.content.decode()
    assert html.count("data-enrollment=") == 3
    # The ended are one link away, filtered by their stage.
    changelist = reverse("admin:programs_enrollment_changelist")
    assert f'href="{changelist}?stage__exact=withdrawn"' in html
    assert f'href="{changelist}?stage__exact=graduated"' in html


def test_a_column_shows_the_latest_moved_and_links_to_the_rest(staff_client, officer, monkeypatch):
    monkeypatch.setattr(journey_selectors, "BOARD_COLUMN_CARDS", 2)
    cohort = CohortFactory()
    first, second, third = (enroll(CompanyFactory(), cohort, officer) for _ in range(3))

    page, cards, _queries = board(staff_client(officer))

    incubation = next(column for column in page.context["columns"] if column[0] == "incubation")
    _stage, _label, column, total, more = incubation
    assert [c.pk for c in column] == [third.pk, second.pk]  # the latest moved first
    assert total == 3
    changelist = reverse("admin:programs_enrollment_changelist")
    assert more == ("and 1 more", f"{changelist}?stage__exact=incubation")
    html = page.content.decode()
    assert f'<a href="{changelist}?stage__exact=incubation">and 1 more</a>' in html
    assert f'<a href="{changelist}{third.pk}/change/">' in html
    assert f'data-enrollment="{first.pk}"' not in html
    assert "Incubation (3)" in html


def test_the_cohort_table_counts_every_stage_of_the_cohorts_still_at_work(staff_client, officer):
    at_work, done = CohortFactory(), CohortFactory()
    enroll(CompanyFactory(), at_work, officer)
    end([enroll(CompanyFactory(), at_work, officer)], officer)
    end([enroll(CompanyFactory(), done, officer)], officer)

    page, _cards, _queries = board(staff_client(officer))

    rows = {row["cohort"].pk: (row["cells"], row["total"]) for row in page.context["cohorts"]}
    # incubation, acceleration, industrialization, graduated, withdrawn
    assert rows == {at_work.pk: ([1, 0, 0, 0, 1], 2)}
