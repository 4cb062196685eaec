"""The rule every page keeps, its few exceptions, and the pages that show no rows.

The rule: a page makes as many queries in the world of one of everything as after grow()
has added N more of every row it shows. An exception names the query a page repeats per
row, why that is the page's nature rather than a missing select_related, and the
arithmetic of its count. Counts are of a real request's queries but two: the session, the
user, then the page's own. Each role's permissions (the user's and their groups', 2 queries
of any request that asks one) are loaded once for the whole measure, before the first page.
"""

import re
from collections import Counter
from dataclasses import dataclass

from tests.budgets.pages import Measure, Measured, Page, normalised

N = 2  # rows of each kind grow() adds


@dataclass(frozen=True)
class Allowance:
    """Queries a page may add with more rows: those whose shape matches `repeats`.

    `at_one` is the page's count in the world of one (its arithmetic in the comment above
    it), `per_row` how many it adds per row grow() adds; None for either: not pinned.
    """

    repeats: str
    at_one: int | None
    per_row: int | None


BY_ID = r'WHERE "(\w+)"\."id" = \? LIMIT \?$'
# A periodic task's name ("name: schedule", django-celery-beat's PeriodicTask.__str__)
# reads its schedule again, and a schedule's page lists its tasks inline: 1 query per task.
# Third-party admin pages; the center runs the dozen tasks its migrations made.
BEAT_TASK = Allowance(BY_ID, at_one=5, per_row=1)

ALLOWANCES: dict[str, Allowance] = {
    # session + user + the schedule + its tasks + 1 task's schedule = 5
    r"^admin:django_celery_beat_(clocked|crontab|solar|interval)schedule_change as ": BEAT_TASK,
    # Django's delete confirmation lists what the delete reaches: the collector reads each
    # relation that has rows (one query per relation per parent kind: bounded by the
    # schema), and names every object, some names reading a related row by id (an
    # enrollment's company, a registration's event). What it lists is what would be
    # deleted: the page grows with it by design, and staff open it to delete one object.
    r"^admin:\w+_delete as ": Allowance(rf"{BY_ID}|\bIN \(\.\.\.\)", None, None),
}

# Pages that may show the same in both worlds: what each shows is one object, a form or a
# fixed list. Every other page must show more of its rows once the world has grown (its
# tags, JSON objects, calendar events or CSV lines), or the test of its count proves
# nothing: grow() must add what it lists.
SHOWS_NO_ROWS = {
    r"^(landing|healthz|javascript-catalog|admin:jsi18n"
    r"|api:(root|schema|docs|guide|webhooks-guide)) ": "the site's own pages and scripts",
    r"^(portal:[\w-]+|admin:(login|password_change|password_change_done)) ": (
        "sign-in, sign-up, passwords and preferences: forms of one person"
    ),
    r"^admin:app_list\[": "an app's index lists its models",
    r"^admin:\w+_(add|delete|history) ": (
        "an empty form, a delete's confirmation, one object's history (the rows these "
        "show that grow() adds, they show; not every object has them)"
    ),
    r"^admin:\w+_change as ": (
        "one object's form; the pages with inlines list their rows and grow (see below)"
    ),
    r"^admin:\w+_(decide|review|revoke|rotate|cancel|complete|correct|move) ": (
        "an action on one object"
    ),
    r"^admin:(reports_reportrun_(progress|download)|companies_company_import(_template)?) ": (
        "a run's progress and workbook, the import's form and its template"
    ),
    r"^admin:auth_user_password_change ": "one person's password form",
    r"^admin:programs_servicetarget_changelist ": "one target per kind of request",
    r"^companies:(invitation-accept|document-download|inquiry-detail|listing-create|listing-detail|"
    r"listing-edit|exchange-listing) ": "one invitation, document, inquiry or listing",
    r"^companies:company-edit ": "the form of the company's own profile",
    r"^programs:(application-(detail|submit|withdraw|step)|local-entity(-edit)?|"
    r"milestone-evidence|request-(create|file)|fund-apply|report-create) ": (
        "one application's pages, the local entity (and its correction), a file, the forms "
        "of a request, a grant and a report"
    ),
    r"^events:(event-(detail|ics)|badge|schedule-run(-progress)?|calendar) ": (
        "one event, badge or schedule run; the calendar subscription's addresses"
    ),
    r"^events:check-in as ": "the door's search box (the search itself is measured)",
    r"^GET /api/v1/[\w-]+/\{id\}/": "one object of the API",
}


def allowance_of(page: Page) -> tuple[str, Allowance] | None:
    for pattern, allowance in ALLOWANCES.items():
        if re.search(pattern, str(page)):
            return pattern, allowance
    return None


def _shapes(measure: Measure) -> Counter:
    return Counter(map(normalised, measure.queries))


def _repeated(small: Measure, large: Measure) -> str:
    """The queries one world made more often than the other, with how many more."""
    more, fewer = _shapes(large) - _shapes(small), _shapes(small) - _shapes(large)
    return "".join(f"\n    +{n} {sql[:300]}" for sql, n in more.most_common()) + "".join(
        f"\n    -{n} {sql[:300]}" for sql, n in fewer.most_common()
    )


def count_problems(page: Page, small: Measure, large: Measure) -> list[str]:
    """Return what is wrong with the page's counts in the two worlds (nothing: [])."""
    if small.status != 200 or large.status != 200:
        return [f"{page}: status {small.status} with one row of each, {large.status} with more"]
    found = allowance_of(page)
    if found is None:
        if large.count == small.count:
            return []
        return [
            f"{page}: {small.count} queries with one row of each, {large.count} with "
            f"{N} more; repeated:{_repeated(small, large)}"
        ]
    pattern, allowance = found
    problems = []
    if allowance.at_one is not None and small.count != allowance.at_one:
        problems.append(
            f"{page}: {small.count} queries with one row of each, {allowance.at_one} in its "
            f"budget ({pattern}): recount the arithmetic in tests/budgets/budgets.py"
        )
    unexplained = [
        sql for sql in _shapes(large) - _shapes(small) if not re.search(allowance.repeats, sql)
    ]
    if unexplained:
        problems.append(
            f"{page}: queries its exception ({pattern}) does not allow:"
            + "".join(f"\n    {sql[:300]}" for sql in unexplained)
        )
    if allowance.per_row is not None and large.count - small.count > allowance.per_row * N:
        problems.append(
            f"{page}: {large.count - small.count} queries more with {N} more rows, "
            f"{allowance.per_row} per row allowed; repeated:{_repeated(small, large)}"
        )
    return problems


def shown_problems(measured: Measured, inlines: set[str]) -> list[str]:
    """Pages that showed no more rows in the grown world without saying why."""
    problems = []
    for page in measured.pages:
        if measured.large[page].shown != measured.small[page].shown:
            continue
        static = [p for p in SHOWS_NO_ROWS if re.search(p, str(page))]
        if static and page.name not in inlines:
            continue
        problems.append(
            f"{page}: shows as much after grow() as before: make tests/budgets/world.py "
            "grow() add the rows it lists, or say why it lists none in SHOWS_NO_ROWS"
        )
    return problems


def stale_rules(measured: Measured) -> list[str]:
    """Exceptions and rules that no page needs any more."""
    names = [str(page) for page in measured.pages]
    problems = [
        f"SHOWS_NO_ROWS {pattern!r} names no page: remove it"
        for pattern in SHOWS_NO_ROWS
        if not any(re.search(pattern, name) for name in names)
    ]
    for pattern, allowance in ALLOWANCES.items():
        pages = [page for page in measured.pages if re.search(pattern, str(page))]
        if not pages:
            problems.append(f"ALLOWANCES {pattern!r} names no page: remove it")
        elif allowance.per_row is not None and all(
            measured.large[p].count == measured.small[p].count for p in pages
        ):
            problems.append(f"ALLOWANCES {pattern!r}: its pages no longer grow: remove it")
    return problems
