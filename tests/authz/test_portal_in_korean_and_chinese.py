"""Every portal page reads in Korean and in Chinese: no English word left.

The pages are the authorization matrix's: each portal GET (outside the admin and the API)
that answers a portal role (anonymous, owner_a, member_a, owner_b, partner, judge) with a
page, read as each role that gets it, with the matrix world's objects (a partner's and a
judge's pages are not a startup's); and each portal POST that answers with its form and
the form's errors (a 200 or a 400), which is where a validator's message shows. Each page
is read as a person reads it (tests/authz/visible_text.py, shared with the admin's test):
no ASCII word of three letters or more may be left, but proper nouns, codes and what
people typed. Every page is read in both languages (some 8 s for some 490 pages).
"""

import pytest
from django.urls import reverse

from programs.admissions.views import STEP_NAMES
from tests.authz import matrix
from tests.authz.visible_text import data_by_word, english_on, report

pytestmark = pytest.mark.django_db

PORTAL_ROLES = matrix.NOT_STAFF
STAFF_ROLES = tuple(role for role in matrix.ROLES if role not in PORTAL_ROLES)
LANGUAGES = ("ko", "zh-hans")
# What a portal page answers with: the page, or (a POST) the form with its errors.
PAGE = {"GET": {200}, "POST": {200, 400}}
# The refusals a portal role meets: each error page is read once.
ERRORS = {403, 404, 405}


def portal_pages(world):
    """Yield (row's name, role, method, URL, POST body, statuses read) for each page.

    Each page a portal role may open, as each role that may; a portal page only the staff
    open (checking people in, the meeting schedule), as the first staff role that may; and
    the first page refusing a portal role with each error status.
    """
    table = matrix.read_table()
    errors = set()
    for row, pattern in matrix.project_rows().items():
        if row.url.startswith(("admin", "api")) or row.method not in PAGE:
            continue
        statuses = table.get(row, {})
        roles = [role for role in PORTAL_ROLES if statuses.get(role) in PAGE[row.method]]
        roles = roles or [r for r in STAFF_ROLES if statuses.get(r) in PAGE[row.method]][:1]
        refused = [
            (status, role)
            for role in PORTAL_ROLES
            if (status := statuses.get(role)) in ERRORS - errors
        ][:1]
        if not roles and not refused:
            continue
        url = matrix.url_of(row, pattern, world)
        body = matrix.body_of(row, pattern, world) if row.method == "POST" else {}
        for role in roles:
            yield row.url, role, row.method, url, body, PAGE[row.method]
        for status, role in refused:
            errors.add(status)
            yield row.url, role, row.method, url, body, {status}
    # Pages the matrix's one URL per pattern does not reach: every step of the application
    # form, and the home and company form of someone without a company yet.
    for step in STEP_NAMES:
        url = reverse("programs:application-step", kwargs={"pk": world.draft.pk, "step": step})
        yield f"programs:application-step[{step}]", "owner_a", "GET", url, {}, {200}
    for name in ("programs:dashboard", "companies:company-create"):
        yield f"{name}[no company]", "newcomer", "GET", reverse(name), {}, {200}


def html_of(response) -> str | None:
    if "html" not in response.get("Content-Type", ""):
        return None  # a file, a calendar, a script: not a page
    return response.content.decode()


def test_every_portal_page_reads_in_korean_and_chinese(world):
    # Not the JSON documents (the audit trail's changes, the outbox's payloads): their keys
    # and codes ("status", "pending") would pass for data a page shows.
    data = data_by_word(documents=False)
    problems, read = {}, 0
    with matrix.quick_requests():
        users = {**world.users, "newcomer": world.newcomer}
        clients = {}
        for name, role, method, url, body, statuses in portal_pages(world):
            for language in LANGUAGES:
                if (role, language) not in clients:
                    clients[role, language] = matrix.RoleClient(users.get(role), language)
                response = clients[role, language].response(method, url, body)
                if response.status_code not in statuses or not (html := html_of(response)):
                    continue
                read += 1
                if words := english_on(html, data):
                    problems[f"{language} {role} {name} {method}"] = words
    assert read > 250
    if problems:
        pytest.fail(report(problems, read), False)
