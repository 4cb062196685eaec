"""Every page's query count does not grow with the rows it shows (issue 13, "Query budget").

Each page of the portal, the staff side and the API (tests/budgets/pages.py) is requested in
the authz world of one of everything, then again after grow() has added N more of every row
the pages show (tests/budgets/world.py), and must make the same number of queries, or keep
its exception in tests/budgets/budgets.py. One measure of both worlds serves every test
here: about 380 pages twice, the world built once.
"""

import pytest

from tests.budgets import budgets, pages
from tests.budgets import world as budget_world
from tests.budgets.pages import Measure, Measured, Page

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def measured(world, django_db_blocker) -> Measured:
    with django_db_blocker.unblock():
        budget_world.prepare(world)
        return pages.measure_all(
            world,
            budget_world.api_urls(world),
            lambda: budget_world.grow(world, budgets.N, seed=1301),
        )


def test_no_page_makes_more_queries_when_it_shows_more_rows(measured):
    problems = [
        problem
        for page in measured.pages
        for problem in budgets.count_problems(page, measured.small[page], measured.large[page])
    ]
    assert not problems, f"{len(problems)} of {len(measured.pages)} pages:\n" + "\n".join(problems)


def test_every_page_shows_more_rows_in_the_grown_world_or_says_why_it_lists_none(measured):
    problems = budgets.shown_problems(measured, pages.change_pages_with_inlines())
    assert not problems, "\n".join(problems)


def test_every_exception_and_rule_still_names_a_page_that_needs_it(measured):
    problems = budgets.stale_rules(measured)
    for name in [*pages.ROLES, *pages.SEARCHES, *pages.OBJECTS]:
        if not any(page.name == name for page in measured.pages):
            problems.append(f"{name}: no such page in tests/budgets/pages.py's lists")
    assert not problems, "\n".join(problems)


def _measure(*sql: str, status: int = 200, shown: int = 10) -> Measure:
    return Measure(status, list(sql), shown)


SESSION = 'SELECT "django_session"."session_data" FROM "django_session" WHERE 1'
LIST = 'SELECT "events_event"."id" FROM "events_event" LIMIT 100'


def by_id(table: str, pk: int) -> str:
    return f'SELECT "{table}"."id" FROM "{table}" WHERE "{table}"."id" = {pk} LIMIT 21'


def test_a_page_that_grows_is_named_with_the_query_it_repeats():
    page = Page("events:event-list", "owner_a")
    small = _measure(SESSION, LIST, by_id("companies_company", 1))
    large = _measure(SESSION, LIST, *(by_id("companies_company", pk) for pk in (1, 2, 3)))

    (problem,) = budgets.count_problems(page, small, large)

    assert problem.startswith("events:event-list as owner_a: 3 queries with one row of each, 5")
    assert '+2 SELECT "companies_company"."id" FROM "companies_company" WHERE' in problem
    assert budgets.count_problems(page, small, _measure(SESSION, LIST, by_id("x", 9))) == []


def test_an_exception_allows_only_its_query_and_only_so_many_per_row():
    page = Page("admin:django_celery_beat_crontabschedule_change", "center_manager")
    _pattern, allowance = budgets.allowance_of(page)
    others = ["SELECT 1"] * (allowance.at_one - 1)
    small = _measure(*others, by_id("django_celery_beat_crontabschedule", 1))
    grown = [by_id("django_celery_beat_crontabschedule", pk) for pk in (2, 3)]
    users = 'SELECT "users"."id" FROM "users" WHERE "users"."id" IN (2) ORDER BY x'

    assert budgets.count_problems(page, small, _measure(*small.queries, *grown)) == []
    (other,) = budgets.count_problems(page, small, _measure(*small.queries, users))
    assert "does not allow" in other and '"users"' in other
    (too_many,) = budgets.count_problems(page, small, _measure(*small.queries, *grown, *grown))
    assert too_many.startswith(f"{page}: 4 queries more with {budgets.N} more rows")
