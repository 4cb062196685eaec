"""The pages whose query counts are measured, and how one is measured.

Every GET that tests/authz/matrix.txt lets some role open with a 200 (the portal, the admin,
third-party apps' admin pages, the API's HTML docs), a few searches of those pages, and
every GET of tests/api/matrix.txt that a valid partner key opens with a 200. The authz
matrix fails for a URL without its row and the API matrix for an operation without its
line, so a new page is measured here from its first commit.

A measure holds the queries a request made (the test client's savepoints left out: a real
request makes none) and how much the response shows (`shown`), so that a page whose rows
did not grow is told from a page that does not grow with its rows.
"""

import functools
import json
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.backends import ModelBackend
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incubator import roles
from tests.api import matrix as api_matrix
from tests.api.keys import client_with, key_for
from tests.authz import matrix

# The role a page is measured as: by default the first of this order that may open it (a
# startup's owner sees their company's rows; the center manager every row, action and
# link of the staff side).
ORDER = (
    "owner_a",
    "partner",
    "judge",
    roles.CENTER_MANAGER,
    roles.EVENT_COORDINATOR,
    roles.PROGRAM_OFFICER,
    roles.VIEWER,
    "member_a",
    "owner_b",
    "anonymous",
)
# Pages where two roles see rows of their own, through different queries.
ROLES = {
    "events:event-list": ("owner_a", "partner"),
    "events:my-events": ("owner_a", "partner"),
    "events:my-agenda-ics": ("owner_a", "partner"),
    "events:matching-list": ("owner_a", "partner"),
    "events:matching-session": ("owner_a", "partner"),
    "events:matching-participants": ("owner_a", "partner"),
    "events:meeting-agenda": ("owner_a", "partner"),
    "events:meeting-agenda-ics": ("owner_a", "partner"),
    "events:judging-home": ("judge",),
}
# Searches: the query string is part of the page (what a person types at a door or a desk).
SEARCHES = {
    "events:check-in": "?q=Founder",
    "admin:events_registration_changelist": "?q=Founder",
    "admin:companies_company_changelist": "?q=Tech",
    "admin:programs_application_changelist": "?q=Tech",
}
# The object an admin page is measured on, where the authz matrix's (startup A's object of
# the model, tests/authz/matrix.py ADMIN_OBJECTS) is not the one with rows to show: the
# matrix reviews a submitted listing, the approved one has the inquiries.
OBJECTS = {
    "admin:companies_technologylisting_change": lambda w: w.listing,
    "admin:programs_fundapplication_change": lambda w: w.grant,
}


# Change pages whose inlines the viewer does not see: a service request's thread is for the
# staff who handle requests (programs.concierge.policies.can_read_thread).
NO_INLINES_FOR_THE_VIEWER = {"admin:programs_servicerequest_change"}


def viewer_too(row: matrix.Row) -> bool:
    """A read-only change page renders its inlines' values through other code than the
    widgets of an editable one; the viewer's exports leave out names."""
    return row.url.endswith(("_export_csv", "_export_xlsx")) or (
        row.url in change_pages_with_inlines() and row.url not in NO_INLINES_FOR_THE_VIEWER
    )


@dataclass(frozen=True)
class Page:
    """One page as one role: `key` is the authz matrix's URL name (and a search), or
    "GET /api/v1/..." of the API matrix."""

    key: str
    role: str

    @property
    def api(self) -> bool:
        return self.key.startswith("GET /api/")

    @property
    def name(self) -> str:
        return self.key.split("?", 1)[0]

    def __str__(self) -> str:
        return self.key if self.api else f"{self.key} as {self.role}"


@dataclass
class Measure:
    status: int
    queries: list[str] = field(repr=False)
    shown: int  # rows, tags or bytes: see shown_in()

    @property
    def count(self) -> int:
        return len(self.queries)


def roles_of(row: matrix.Row, statuses: dict[str, int]) -> list[str]:
    allowed = [role for role, status in statuses.items() if status == 200]
    chosen = [role for role in ROLES.get(row.url, ()) if role in allowed]
    if not chosen:
        chosen = [next(role for role in ORDER if role in allowed)]
    if viewer_too(row) and roles.VIEWER in allowed and roles.VIEWER not in chosen:
        chosen.append(roles.VIEWER)
    return chosen


def site_pages() -> list[tuple[Page, matrix.Row]]:
    """Return (page, its row of the authz matrix) for every page some role opens."""
    table, served = matrix.read_table(), matrix.project_rows()
    found = []
    for row in served:
        if row.method != "GET" or 200 not in table.get(row, {}).values():
            continue
        for role in roles_of(row, table[row]):
            found.append((Page(row.url, role), row))
            if row.url in SEARCHES:
                found.append((Page(row.url + SEARCHES[row.url], role), row))
    return found


def api_pages() -> list[Page]:
    return [
        Page(f"GET {path}", "partner")
        for (method, path), line in api_matrix.read_table().items()
        if method == "GET" and line.statuses["valid"] == 200
    ]


# --- Requests ----------------------------------------------------------------------------

SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


class _Rollback(Exception):
    def __init__(self, measure):
        self.measure = measure


def _measured(client, url: str) -> Measure:
    """GET `url` in a savepoint rolled back after; count the queries inside."""
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            raise _Rollback(
                Measure(
                    response.status_code,
                    [q["sql"] for q in captured if not q["sql"].startswith(SAVEPOINTS)],
                    shown_in(response.get("Content-Type", ""), body),
                )
            )
    except _Rollback as done:
        return done.measure


def shown_in(content_type: str, body: bytes) -> int:
    """Return how much a response shows, in a unit that grows with its rows, not its ids.

    HTML: its tags (a row is a few); JSON: its objects and arrays; a calendar: its
    components; CSV: its lines; anything else (a workbook, a script): its bytes.
    """
    if content_type.startswith("text/html"):
        return body.count(b"<")
    if content_type.startswith("application/json"):
        return _containers(json.loads(body))
    if content_type.startswith("text/calendar"):
        return body.count(b"BEGIN:")
    if content_type.startswith("text/csv"):
        return body.count(b"\n")
    return len(body)


def _containers(value) -> int:
    if isinstance(value, dict):
        return 1 + sum(_containers(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_containers(v) for v in value)
    return 0


class Site:
    """Requests the pages of the site and of the API as their roles, in the authz world."""

    def __init__(self, world, api_urls: dict[str, str]):
        self.world = world
        self.served = matrix.project_rows()
        self.clients = matrix.clients_for(world)
        self.api_client = client_with(key_for(world.partner_person.organisation)[1])
        self.api_urls = api_urls
        # A process that has served a page knows every content type: so does each page here
        # (otherwise the first page of a model pays for its type, and the second size not).
        ContentType.objects.get_for_models(*apps.get_models())

    def url_of(self, page: Page, row: matrix.Row | None) -> str:
        if page.api:
            path = page.key.removeprefix("GET ")
            try:
                return self.api_urls[path]
            except KeyError:
                raise AssertionError(
                    f"{path}: give tests/budgets/world.py api_urls() its URL in the world"
                ) from None
        query = page.key[len(page.name) :]
        if page.name in OBJECTS:
            return reverse(page.name, kwargs={"object_id": OBJECTS[page.name](self.world).pk})
        return matrix.url_of(row, self.served[row], self.world) + query

    def measure(self, page: Page, row: matrix.Row | None) -> Measure:
        url = self.url_of(page, row)
        if page.api:
            return _measured(self.api_client, url)
        role_client = self.clients[page.role]
        try:
            return _measured(role_client.client, url)
        finally:  # the role's session again, whatever the page did to it
            role_client.client.cookies = type(role_client.cookies)()
            role_client.client.cookies.load(role_client.cookies.output(header="", sep=";"))


@functools.cache
def change_pages_with_inlines() -> frozenset[str]:
    """The URL names of the admin's change pages that list rows inline."""
    return frozenset(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
        for model, model_admin in admin.site._registry.items()
        if model_admin.inlines
    )


def normalised(sql: str) -> str:
    """The query's shape: literals and parameters as `?`, a list of them as `...`."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"(?<![\w\"])-?\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"IN \(\?(, \?)*\)", "IN (...)", sql)


class _NoSidebar:
    """The admin's navigation sidebar off while the pages are measured: it draws the list
    of apps each admin page has built anyway (no query of its own), for a tenth of a staff
    page's time."""

    def __enter__(self):
        self.enabled, admin.site.enable_nav_sidebar = admin.site.enable_nav_sidebar, False

    def __exit__(self, *exc):
        admin.site.enable_nav_sidebar = self.enabled


@dataclass
class Measured:
    pages: list[Page]
    small: dict[Page, Measure]
    large: dict[Page, Measure]


def measure_all(world, api_urls: dict[str, str], grow) -> Measured:
    """Measure every page in `world`, call `grow()`, and measure every page again."""
    pages = site_pages() + [(page, None) for page in api_pages()]
    with (
        matrix._PlainTemplates(),
        matrix._ServerErrorsLogged(),
        matrix._PermissionsOnce(),
        matrix._AppListOnce(),
        _NoSidebar(),
    ):
        # Every role's permissions loaded before the first page: no page pays for them (a
        # real request would add their 2 queries), so none pays for them in one world only.
        for user in world.users.values():  # fresh rows: the world's may hold a cache
            ModelBackend().get_all_permissions(type(user).objects.get(pk=user.pk))
        site = Site(world, api_urls)
        small = {page: site.measure(page, row) for page, row in pages}
        grow()
        large = {page: site.measure(page, row) for page, row in pages}
    return Measured([page for page, _row in pages], small, large)
