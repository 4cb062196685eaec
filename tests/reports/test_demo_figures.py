"""The demo's first year (2020-08-10 to 2021-08-31) shows the article's own figures, and
this year has figures of its own."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from events.models import Delegation, DelegationMember
from events.reports import events_held_per_month, meetings_scheduled_per_month
from incubator.reports.kpi import kpi_report
from incubator.reports.period import Period

FIRST_YEAR = Period.parse("2020-08-10", "2021-08-31")

# The tests read what the module fixture loaded; the mark also makes pytest-django set up the
# test database when this file runs alone.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), translation.override("en"), transaction.atomic():
        call_command("demo", verbosity=0)
        call_command("demo", verbosity=0)  # idempotent: the figures stay the article's
        yield kpi_report(FIRST_YEAR)
        transaction.set_rollback(True)


def test_six_online_programmes_and_over_100_roadshows_and_matching_sessions(report):
    held = report.table("events", "held_by_kind")
    assert held.value("online_programme") == 6
    assert held.value("roadshow") + held.value("matching_session") > 100
    assert report.value("events", "totals", "roadshows_and_matching") > 100


def test_eight_digital_economy_companies_introduced_three_registering(report):
    introduced = report.table("journey", "introduced")
    assert introduced.value("introduced") == 8
    assert introduced.value("registering") == 3
    by_sector = report.table("journey", "introduced_by_sector")
    assert {row.key for row in by_sector.rows} == {
        "ai",
        "scitech_finance",
        "intelligent_manufacturing",
    }
    assert report.value("journey", "per_stage", "incubation") == 8


def test_the_sixteen_companies_of_the_delegation_are_leads(report):
    assert report.value("leads", "by_source", "delegation") == 16


def test_the_delegation_of_21_flew_in_before_the_centers_were_founded(report):
    # events/delegations/demo.py, loaded twice by the fixture: one delegation, as told.
    delegation = Delegation.objects.get()
    assert delegation.members.count() == 21
    assert delegation.members.filter(role=DelegationMember.Role.LEADER).count() == 1
    assert delegation.arrives_at.date() < dt.date(2020, 8, 10) < delegation.departs_at.date()


def test_this_year_has_events_held_most_months_and_meetings_at_its_sessions(report):
    this_year = Period.parse("2026-01-01", "2026-11-30")
    held = kpi_report(this_year).table("events", "held_by_kind")
    assert (held.value("roadshow"), held.value("matching_session")) == (7, 6)
    assert len(events_held_per_month(this_year)) == 10  # no event in August or December
    meetings = meetings_scheduled_per_month(this_year)
    assert sorted(m.month for m in meetings) == [1, 3, 4, 6, 9, 11]
    assert all(n >= 4 for n in meetings.values()), meetings
