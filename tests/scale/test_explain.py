"""On PostgreSQL, the admin's registration search and the review queue's order are served
by their indexes: the plan of the exact query each page runs for its rows names them.

A test's tables hold a few rows, and on a few rows a sequential scan is the cheapest plan
whatever the indexes. Each test therefore ANALYZEs its tables and turns sequential scans off
for its own transaction (SET LOCAL; the search also plain index scans, a small table's other
way of reading every row): the plan then shows whether an index CAN serve the query. Where
none can, the plan keeps a (penalised) sequential scan or a sort, which the assertions look
for. The query is the page's own: the changelist's queryset as the admin builds it for the
request, cut to its first page.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from events.models import Registration, new_badge_code, search_key
from incubator.models import User
from tests.companies.factories import ApplicationFactory, CompanyFactory
from tests.events.factories import (
    EventFactory,
    GuestRegistrationFactory,
    StartupRegistrationFactory,
)

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


def first_page_plan(client, url, tables, off=("enable_seqscan",)) -> str:
    """Return the plan of the first page of the changelist at `url`, with `off` turned off."""
    page = client.get(url)
    assert page.status_code == 200, url
    changelist = page.context["cl"]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
        for setting in off:
            cursor.execute(f"SET LOCAL {setting} = off")
    return changelist.queryset[: changelist.list_per_page].explain()


def crowd(count: int) -> None:
    """Add ten times `count` accounts, `count` of them and `count` guests registered for one
    event, in three inserts: among a handful of accounts the planner would rather reach them
    from their registrations than search their trigram index, whose cost it puts high."""
    event, company = EventFactory(), CompanyFactory()
    users = User.objects.bulk_create(
        User(email=f"member{n}@crowd.example.kr", full_name=f"Member {n}")
        for n in range(10 * count)
    )[:count]
    Registration.objects.bulk_create(
        [
            *(
                Registration(
                    event=event,
                    kind=Registration.Kind.STARTUP,
                    user=user,
                    company=company,
                    name=user.full_name,
                    search_name=search_key(user.full_name),
                    badge_code=new_badge_code(),
                )
                for user in users
            ),
            *(
                Registration(
                    event=event,
                    kind=Registration.Kind.GUEST,
                    name=f"Guest {n}",
                    search_name=f"guest {n}",
                    guest_email=f"guest{n}@crowd.example.cn",
                    badge_code=new_badge_code(),
                )
                for n in range(count)
            ),
        ]
    )


def test_the_registration_search_uses_an_index_for_each_way_it_matches(staff_client, coordinator):
    crowd(50)
    guest = GuestRegistrationFactory(name="Kim Hak-bong", guest_email="hb@hanbit.example.kr")
    StartupRegistrationFactory(
        name="Park Ji-won", membership__user__email="kim@orangsimhan.example"
    )
    client = staff_client(coordinator)
    url = reverse("admin:events_registration_changelist")
    tables = ("events_registration", "incubator_user")

    # A whole small index read in order is a small table's other way around its indexes:
    # with plain index scans off too, each table is reached through an index condition
    # (a bitmap scan) or not at all.
    off = ("enable_seqscan", "enable_indexscan")
    plan = first_page_plan(client, f"{url}?q=kim", tables, off)

    # The name's first letters, the guest's address, the account's address.
    for index in (
        "registration_name_prefix_idx",
        "registration_guest_email_trgm",
        "user_email_trgm",
    ):
        assert scans(plan, index), (index, plan)
    assert "Seq Scan" not in plan, plan

    plan = first_page_plan(client, f"{url}?q={guest.badge_code.lower()}", tables, off)
    assert scans(plan, "registration_badge_code_unique"), plan


def test_the_review_queue_reads_its_page_in_the_order_of_its_index(staff_client, officer):
    now = timezone.now()
    for n in range(12):
        ApplicationFactory(
            status="submitted" if n % 3 else "rejected",
            score=Decimal(n * 7 % 100) if n % 4 else None,
            submitted_at=now - dt.timedelta(days=n),
        )

    plan = first_page_plan(
        staff_client(officer),
        reverse("admin:programs_application_changelist"),
        ["programs_application"],
    )

    assert "Index Scan using application_queue_order_idx on programs_application" in plan, plan
    # The index gives the order: nothing sorts the applications (a CASE would need a Sort).
    assert "Sort" not in plan, plan
