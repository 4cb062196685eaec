"""The staff lists at scale: each computes what its columns show for the rows of its page,
searches and sorts as an index can serve, and shows the same as before."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import selectors as event_selectors
from programs.admissions import services as admissions
from programs.admissions.models import Application
from programs.journey import services as journey_services
from tests.companies.factories import ApplicationFactory, CompanyFactory
from tests.events.factories import (
    EventFactory,
    GuestRegistrationFactory,
    StartupRegistrationFactory,
)
from tests.programs.conftest import enroll
from tests.programs.factories import CohortFactory

pytestmark = pytest.mark.django_db


def listed(client, url):
    """Return the changelist's page rows and the SQL of every query the page ran."""
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200, url
    return list(page.context["cl"].result_list), [q["sql"] for q in captured]


# --- Events: registration counts ------------------------------------------------------------


@pytest.fixture
def two_events():
    full, empty = EventFactory(capacity=3), EventFactory(capacity=10)
    GuestRegistrationFactory.create_batch(3, event=full)
    GuestRegistrationFactory(event=full, status="waitlisted", waitlist_position=1)
    GuestRegistrationFactory(event=full, status="cancelled")
    return full, empty


def test_the_events_list_counts_registrations_for_its_page_alone(
    staff_client, coordinator, two_events
):
    full, empty = two_events
    rows, sql = listed(staff_client(coordinator), reverse("admin:events_event_changelist"))

    assert {e.pk: (e.registered, e.waitlisted) for e in rows} == {
        full.pk: (3, 1),
        empty.pk: (0, 0),
    }
    # One query reads registrations, for the page's events: not the list's count, not the
    # date hierarchy's dates.
    reading = [q for q in sql if "events_registration" in q]
    assert len(reading) == 1, reading
    assert (
        f"IN ({full.pk}, {empty.pk})" in reading[0] or f"IN ({empty.pk}, {full.pk})" in reading[0]
    )


def test_the_events_list_still_sorts_by_the_counts(staff_client, coordinator, two_events):
    full, empty = two_events
    client = staff_client(coordinator)
    url = reverse("admin:events_event_changelist")
    year = full.starts_at.year
    # Column 7 (the selection's checkbox is 0) is "registered"; a date drill-down keeps it.
    most, _sql = listed(client, f"{url}?o=-7&starts_at__year={year}")
    fewest, _sql = listed(client, f"{url}?o=7")
    assert [e.pk for e in most][:1] == [full.pk]
    assert [e.pk for e in fewest][-1:] == [full.pk]
    page = client.get(f"{url}?o=-7")
    assert '<td class="field-places_left">0</td>' in page.content.decode()


# --- Enrollments: milestone counts ------------------------------------------------------------


def test_the_enrollments_list_counts_milestones_for_its_page_in_one_query(staff_client, officer):
    cohort = CohortFactory(starts_on=timezone.localdate() - dt.timedelta(days=400))
    late = journey_services.enrollment_create(
        company=CompanyFactory(),
        cohort=cohort,
        actor=officer,
        reason="x",
        started_on=cohort.starts_on,
    )
    late.milestones.update(due_on=timezone.localdate() - dt.timedelta(days=3))
    on_time = enroll(CompanyFactory(), CohortFactory(), officer)
    done = on_time.milestones.order_by("pk").first()
    on_time.milestones.filter(pk=done.pk).update(done_at=timezone.now(), evidence="Signed.")
    total = on_time.milestones.count()

    client = staff_client(officer)
    url = reverse("admin:programs_enrollment_changelist")
    rows, sql = listed(client, url)

    counts = {e.pk: (e.done_total, e.milestone_total, e.overdue_total) for e in rows}
    # Overdue: only the incubation milestones count while the company is in incubation.
    incubation = late.milestones.filter(stage="incubation").count()
    assert counts == {late.pk: (0, total, incubation), on_time.pk: (1, total, 0)}
    assert len([q for q in sql if "programs_milestone" in q]) == 1

    # Column 5 (from 0; no actions, no checkbox), "overdue milestones", sorts by a count
    # computed only when asked.
    most, sql = listed(client, f"{url}?o=-5")
    assert [e.pk for e in most] == [late.pk, on_time.pk]
    fewest, _sql = listed(client, f"{url}?o=5")
    assert [e.pk for e in fewest] == [on_time.pk, late.pk]


# --- Registrations: the search ----------------------------------------------------------------


def test_the_registration_search_finds_names_badges_and_both_kinds_of_address(
    staff_client, coordinator
):
    kim = GuestRegistrationFactory(name="Kim Hak-bong", guest_email="hb@hanbit-robotics.example.kr")
    park = StartupRegistrationFactory(
        name="Park Ji-won", membership__user__email="ji-won@orangsimhan.example"
    )
    elsewhere = GuestRegistrationFactory(event=EventFactory(), name="Kim Soo-min")
    client = staff_client(coordinator)
    url = reverse("admin:events_registration_changelist")

    def found(term):
        rows, _sql = listed(client, url + "?" + f"q={term}".replace(" ", "+"))
        return {r.pk for r in rows}

    assert found("kim") == {kim.pk, elsewhere.pk}  # every event's
    assert found("Kim H") == {kim.pk}  # the first letters of the whole name
    assert found("hak") == set()  # the first letters, not any part of a name
    assert found(kim.badge_code.lower()) == {kim.pk}
    assert found("HANBIT") == {kim.pk}  # the guest's address
    assert found("orangsimhan") == {park.pk}  # the account's address
    assert found("nobody") == set()


def test_a_search_that_matches_many_accounts_joins_them_instead_of_listing_them(
    staff_client, coordinator, monkeypatch
):
    monkeypatch.setattr(event_selectors, "ACCOUNTS_LISTED", 1)
    first, second = (
        StartupRegistrationFactory(membership__user__email=f"{n}@orangsimhan.example")
        for n in ("nam", "park")
    )
    GuestRegistrationFactory()
    url = reverse("admin:events_registration_changelist") + "?q=orangsimhan"
    rows, _sql = listed(staff_client(coordinator), url)
    assert {r.pk for r in rows} == {first.pk, second.pk}


def test_a_registration_search_counts_what_it_found_only(staff_client, coordinator):
    GuestRegistrationFactory.create_batch(3)
    GuestRegistrationFactory(name="Zhao Wei")
    url = reverse("admin:events_registration_changelist") + "?q=zhao"
    rows, sql = listed(staff_client(coordinator), url)
    assert len(rows) == 1
    # No COUNT(*) of every registration besides the one of the search.
    assert len([q for q in sql if "COUNT(" in q and "events_registration" in q]) == 1


# --- Applications: the review queue -----------------------------------------------------------


def test_the_queue_is_submitted_first_best_score_first_then_first_come(staff_client, officer):
    now = timezone.now()
    day = dt.timedelta(days=1)

    def application(status, score, submitted_days_ago):
        return ApplicationFactory(
            status=status,
            score=None if score is None else Decimal(score),
            submitted_at=None if submitted_days_ago is None else now - submitted_days_ago * day,
        )

    later_80 = application("submitted", 80, 1)
    unscored = application("submitted", None, 9)
    earlier_80 = application("submitted", 80, 2)
    best_90 = application("submitted", 90, 1)
    accepted = application("accepted", 95, 20)
    draft = application("draft", None, None)

    rows, sql = listed(staff_client(officer), reverse("admin:programs_application_changelist"))

    assert [a.pk for a in rows] == [
        best_90.pk,
        earlier_80.pk,
        later_80.pk,
        unscored.pk,
        accepted.pk,
        draft.pk,
    ]
    page = next(q for q in sql if q.startswith('SELECT "programs_application"."id"'))
    assert '"programs_application"."screening"' not in page  # the list shows no screening


def test_the_queue_rank_follows_every_status_change(officer):
    application = ApplicationFactory(status="submitted", submitted_at=timezone.now())
    assert Application.objects.get(pk=application.pk).queue_rank == 0
    admissions.application_decide(
        application=application, decision="rejected", actor=officer, reason="No patent."
    )
    assert Application.objects.get(pk=application.pk).queue_rank == 1
