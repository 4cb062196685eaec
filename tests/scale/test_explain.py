"""On PostgreSQL, the admin's registration search and the review queue's order are served
by their indexes: the plan of the exact query each page runs for its rows names them.

A test's tables hold a few rows, and on a few rows a sequential scan is the cheapest plan
whatever the indexes. Each test therefore ANALYZEs its tables and turns sequential scans off
for its own transaction (SET LOCAL; the search also plain index scans, a small table's other
way of reading every row, and the queue sorts): the plan then shows whether an index CAN
serve the query. Where
none can, the plan keeps a (penalised) sequential scan or a sort, which the assertions look
for. The query is the page's own: the changelist's queryset as the admin builds it for the
request, cut to its first page, or the SQL the page ran.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.companies.factories import ApplicationFactory
from tests.events.factories import GuestRegistrationFactory, StartupRegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "EXPLAIN plans and pg_trgm indexes are PostgreSQL's (REQUIRE_SERVICES=1 runs them)"
        )


def scans(plan: str, index: str) -> bool:
    """Whether the plan reads `index`: "Index Scan using", "Index Only Scan using" or
    "Bitmap Index Scan on" it."""
    return re.search(rf"Index (Only )?Scan (using|on) {index}\b", plan) is not None


def turn_off(tables, settings) -> None:
    """ANALYZE `tables`, then turn `settings` off until the test's transaction ends."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} = off")


def first_page_plan(client, url, tables, off=("enable_seqscan",)) -> str:
    """Return the plan of the first page of the changelist at `url`, with `off` turned off."""
    page = client.get(url)
    assert page.status_code == 200, url
    changelist = page.context["cl"]
    turn_off(tables, off)
    return changelist.queryset[: changelist.list_per_page].explain()


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


TABLES = ["events_registration", "incubator_user"]
ACCOUNTS = 'SELECT "incubator_user"."id" AS "pk" FROM "incubator_user" WHERE UPPER('


def test_the_registration_search_uses_an_index_for_each_way_it_matches(staff_client, coordinator):
    guest = GuestRegistrationFactory(name="Kim Hak-bong", guest_email="hb@hanbit.example.kr")
    StartupRegistrationFactory(
        name="Park Ji-won", membership__user__email="kim@orangsimhan.example"
    )
    GuestRegistrationFactory.create_batch(5)
    client = staff_client(coordinator)
    url = reverse("admin:events_registration_changelist")
    off = ("enable_seqscan", "enable_indexscan")

    with CaptureQueriesContext(connection) as captured:
        plan = first_page_plan(
            client, f"{url}?q=kim", ["events_registration", "incubator_user"], off
        )

    # The name's first letters, the guest's address, and the accounts found by theirs
    # (through whichever index starts with the account column).
    for index in ("registration_name_prefix_idx", "registration_guest_email_trgm"):
        assert scans(plan, index), (index, plan)
    assert re.search(r"Index Cond: \(user_id = (ANY )?", plan), plan
    assert "Seq Scan" not in plan, plan
    # The accounts whose address contains the search, as the page asked for them.
    accounts = next(q["sql"] for q in captured if q["sql"].startswith(ACCOUNTS))
    plan = plan_of(accounts)
    assert scans(plan, "user_email_trgm"), plan
    assert "Seq Scan" not in plan, plan

    plan = first_page_plan(client, f"{url}?q={guest.badge_code.lower()}", [], off)
    assert scans(plan, "registration_badge_code_unique"), plan


def test_the_review_queue_reads_its_page_in_the_order_of_its_index(staff_client, officer):
    now = timezone.now()
    for n in range(12):
        ApplicationFactory(
            status="submitted" if n % 3 else "rejected",
            score=Decimal(n * 7 % 100) if n % 4 else None,
            submitted_at=now - dt.timedelta(days=n),
        )

    # Sorting off as well: a dozen rows are cheaper to read through any index and sort than
    # in the queue's index order; with sorting penalised, the plan still sorts unless an
    # index gives the order.
    plan = first_page_plan(
        staff_client(officer),
        reverse("admin:programs_application_changelist"),
        ["programs_application"],
        off=("enable_seqscan", "enable_sort"),
    )

    assert "Index Scan using application_queue_order_idx on programs_application" in plan, plan
    # The index gives the order: nothing sorts the applications (a CASE would need a Sort).
    assert "Sort" not in plan, plan
