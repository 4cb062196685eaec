"""The staff dashboard on the admin's front page: per role, in three languages, the KPI
report's numbers, links that open their filtered lists, SVG charts, a constant query count.
"""

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from companies.models import Company, Lead
from events.matching.models import Meeting
from events.models import Event
from incubator import roles
from incubator.dashboard.selectors import dashboard_period, staff_dashboard
from incubator.reports.kpi import kpi_report
from incubator.reports.period import Period
from programs.models import Application, Enrollment, Milestone, ServiceRequest, StageTransition
from tests.companies.factories import ApplicationFactory, CompanyFactory, StaffFactory
from tests.events.factories import EventFactory, GuestRegistrationFactory, MeetingSlotFactory
from tests.programs.factories import CohortFactory
from tests.reports import world as report_world

PATHS = [
    ["incubation"],
    ["incubation", "acceleration"],
    ["incubation", "acceleration", "industrialization"],
    ["incubation", "acceleration", "industrialization", "graduated"],
    ["incubation", "withdrawn"],
]
SECTORS = ["ai", "education", "bio_health", "ai", "other"]


def staff_in(role: str, **fields):
    roles.sync_role_permissions()
    user = StaffFactory(**fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def recent(size: int) -> None:
    """Make `size` rows of each kind in the dashboard's twelve months (and some before)."""
    now, today = timezone.now(), timezone.localdate()
    long_ago = now - dt.timedelta(days=400)
    cohort = CohortFactory(
        starts_on=today - dt.timedelta(days=200), ends_on=today + dt.timedelta(days=200)
    )
    for n in range(size):
        Lead.objects.create(company_name=f"Lead {n}", source=Lead.Source.choices[n % 3][0])
        old = Lead.objects.create(company_name=f"Old lead {n}", source=Lead.Source.choices[0][0])
        Lead.objects.filter(pk=old.pk).update(created_at=long_ago)
        for status, submitted, decided in [
            ("submitted", now - dt.timedelta(days=1), None),
            ("submitted", now - dt.timedelta(days=20), None),  # waits too long
            ("accepted", now - dt.timedelta(days=30), now - dt.timedelta(days=3)),
            ("rejected", now - dt.timedelta(days=30), now - dt.timedelta(days=3)),
            ("accepted", long_ago, long_ago),
        ]:
            application = ApplicationFactory()
            Application.objects.filter(pk=application.pk).update(
                status=status, submitted_at=submitted, decided_at=decided
            )
        for p, path in enumerate(PATHS):
            company = CompanyFactory(sector=SECTORS[p])
            enrollment = Enrollment.objects.create(
                company=company,
                cohort=cohort,
                stage=path[-1],
                started_on=today - dt.timedelta(days=150),
            )
            previous = ""
            for step, stage in enumerate(path):
                StageTransition.objects.create(
                    enrollment=enrollment,
                    from_stage=previous,
                    to_stage=stage,
                    reason="test",
                    created_at=now - dt.timedelta(days=100 - step),
                )
                previous = stage
            if path[-1] == "incubation":
                Milestone.objects.create(
                    enrollment=enrollment,
                    company=company,
                    code=f"late-{n}",
                    stage="incubation",
                    title_en="Late",
                    title_ko="늦음",
                    title_zh="迟",
                    due_on=today - dt.timedelta(days=3),
                )
            for due, status in [(-2, "open"), (5, "open"), (-9, "resolved")]:
                ServiceRequest.objects.create(
                    company=company,
                    kind="visa",
                    subject="Visa",
                    status=status,
                    due_on=today + dt.timedelta(days=due),
                    resolved_at=now if status == "resolved" else None,
                )
        for days, status in [(40, "completed"), (100, "completed"), (70, "cancelled")]:
            starts = now - dt.timedelta(days=days)
            event = EventFactory(
                status=status, starts_at=starts, ends_at=starts + dt.timedelta(hours=4)
            )
            a, b = GuestRegistrationFactory(event=event), GuestRegistrationFactory(event=event)
            slot = MeetingSlotFactory(event=event)
            Meeting.objects.create(
                event=event, registration_a=a, registration_b=b, slot=slot, table=1
            )
        EventFactory(status="published")  # ahead: not held yet


def cells(dashboard: dict) -> list:
    found = []
    for panel in dashboard["panels"].values():
        found += panel.rows
        for _month, row in panel.grid:
            found += row
    return found


def figures(dashboard: dict, panel: str) -> dict:
    return {cell.key: cell.value for cell in dashboard["panels"][panel].rows}


def series(dashboard: dict, n: int) -> list[int]:
    return [row[n].value for _month, row in dashboard["panels"]["activity"].grid]


def assert_matches_the_report(dashboard: dict) -> None:
    report = kpi_report(dashboard["period"])
    funnel = figures(dashboard, "funnel")
    assert funnel["leads"] == report.table("leads", "by_source").total()
    assert funnel["applied"] == report.value("admissions", "submitted", "submitted")
    assert funnel["accepted"] == report.value("admissions", "by_result", "accepted")
    for stage in ("incubation", "acceleration", "industrialization", "graduated"):
        assert funnel[stage] == report.value("journey", "per_stage", stage)
    assert sum(series(dashboard, 0)) == report.value("events", "totals", "held")
    assert sum(series(dashboard, 1)) == report.value("meetings", "totals", "scheduled")


@pytest.mark.django_db
def test_numbers_equal_the_kpi_report_of_the_last_twelve_months(client):
    recent(2)
    manager = staff_in(roles.CENTER_MANAGER, language="en")
    client.force_login(manager)
    dashboard = client.get("/admin/").context_data["dashboard"]
    assert dashboard["period"] == dashboard_period()
    assert_matches_the_report(dashboard)
    funnel = figures(dashboard, "funnel")
    # Counted independently from what recent(2) made.
    assert (funnel["leads"], funnel["applied"], funnel["accepted"]) == (2, 8, 2)
    assert [funnel[s] for s in ("incubation", "acceleration", "industrialization")] == [2, 2, 2]
    assert funnel["graduated"] == 2
    assert (sum(series(dashboard, 0)), sum(series(dashboard, 1))) == (4, 4)
    assert figures(dashboard, "overdue") == {
        "applications": 2,
        "milestones": 2,
        "quarterly_reports": 6,
        "service_requests": 10,
    }
    assert figures(dashboard, "sectors")["education"] == 2


@pytest.mark.django_db
def test_numbers_equal_the_report_across_zones_and_month_edges():
    # The report's own fixtures: rows on both sides of March 2024's edges in three zones.
    report_world.build(1)
    request = RequestFactory().get("/admin/")
    request.user = staff_in(roles.VIEWER)
    dashboard = staff_dashboard(request=request, site=admin.site, today=dt.date(2024, 4, 15))
    assert dashboard["period"] == Period(dt.date(2023, 5, 1), dt.date(2024, 4, 15))
    assert_matches_the_report(dashboard)
    march = kpi_report(report_world.PERIOD)
    months = [month for month, _row in dashboard["panels"]["activity"].grid]
    at = next(
        n
        for n, row in enumerate(dashboard["panels"]["activity"].grid)
        if row[1][0].key == "2024-03-01"
    )
    assert series(dashboard, 0)[at] == march.value("events", "totals", "held")
    assert series(dashboard, 1)[at] == march.value("meetings", "totals", "scheduled")
    assert len(months) == 12


@pytest.mark.django_db
def test_every_number_opens_its_filtered_list_for_a_manager(client):
    recent(1)
    client.force_login(staff_in(roles.CENTER_MANAGER))
    dashboard = client.get("/admin/").context_data["dashboard"]
    found = cells(dashboard)
    assert len(found) > 30
    for cell in found:
        response = client.get(cell.url)
        # A filter the list does not know redirects to ?e=1; a forbidden lookup is a 400.
        assert response.status_code == 200, cell.url
        assert response.context_data["cl"].result_count == cell.value, cell.url
    links = {str(link["label"]): link["url"] for link in dashboard["links"]}
    assert set(links) == {"Review queue", "Pipeline board", "KPI reports", "Run the KPI report"}
    assert links["Pipeline board"] == "/admin/programs/enrollment/pipeline/"
    for url in links.values():
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", roles.ROLES)
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ko", ["대시보드", "월별 행사와 미팅", "업종별 기업", "기한 초과", "검토 대기열"]),
        ("zh-hans", ["仪表板", "每月活动与洽谈", "按行业划分的企业", "逾期", "审核队列"]),
    ],
)
def test_each_staff_role_reads_the_dashboard_in_its_language(client, role, language, words):
    recent(1)
    client.force_login(staff_in(role, language=language))
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = unescape(response.content.decode())
    # The event coordinator opens no list of the programs: no overdue panel, no review queue.
    events_only = role == roles.EVENT_COORDINATOR
    for word in words[:3] if events_only else words:
        assert word in page
    # Every chart is an SVG with a title, and the app list is still below the dashboard.
    titles = re.findall(r'<svg class="dash-chart".*?<title id="[^"]+">([^<]+)</title>', page)
    assert len(titles) == (2 if events_only else 3)
    assert page.index("staff-dashboard") < page.index('class="app-events')


@pytest.mark.django_db
def test_the_event_coordinators_dashboard_offers_only_what_it_opens(client):
    recent(1)
    client.force_login(staff_in(roles.EVENT_COORDINATOR))
    dashboard = client.get("/admin/").context_data["dashboard"]
    # Events and meetings per month, companies by sector: no funnel of leads and
    # applications, nothing overdue of the programs, no review queue or pipeline board.
    assert set(dashboard["panels"]) == {"activity", "sectors"}
    assert {str(link["label"]) for link in dashboard["links"]} == {
        "KPI reports",
        "Run the KPI report",
    }
    for url in [cell.url for cell in cells(dashboard)] + [
        link["url"] for link in dashboard["links"]
    ]:
        assert client.get(url).status_code == 200, url
    menu = client.get("/admin/").content.decode()
    assert 'class="app-programs' not in menu and "/admin/companies/lead/" not in menu


@pytest.mark.django_db
def test_a_panel_whose_list_the_reader_cannot_open_is_not_shown(client):
    recent(1)
    user = StaffFactory()
    user.user_permissions.add(
        Permission.objects.get(codename="view_event", content_type__app_label="events")
    )
    client.force_login(user)
    dashboard = client.get("/admin/").context_data["dashboard"]
    assert list(dashboard["panels"]) == ["activity"]
    assert dashboard["panels"]["activity"].series == ["Events held"]
    assert dashboard["links"] == []
    assert all(cell.url.startswith("/admin/events/event/") for cell in cells(dashboard))


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_data(client):
    client.force_login(staff_in(roles.CENTER_MANAGER))
    recent(1)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/admin/").status_code == 200
    recent(3)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/admin/").status_code == 200
    assert Company.objects.count() > 20 and Event.objects.count() > 10
    assert len(large) == len(small)


@pytest.mark.django_db
def test_a_company_that_graduated_and_enrolled_again_counts_once_in_the_funnel(client):
    today = timezone.localdate()
    company = CompanyFactory()
    for n, path in enumerate([["incubation", "graduated"], ["incubation"]]):
        started = today - dt.timedelta(days=300 - 200 * n)
        cohort = CohortFactory(starts_on=started, ends_on=started + dt.timedelta(days=90))
        enrollment = Enrollment.objects.create(
            company=company, cohort=cohort, stage=path[-1], started_on=started
        )
        previous = ""
        for step, stage in enumerate(path):
            StageTransition.objects.create(
                enrollment=enrollment,
                from_stage=previous,
                to_stage=stage,
                reason="test",
                created_at=timezone.now() - dt.timedelta(days=300 - 200 * n - 60 * step),
            )
            previous = stage
    request = RequestFactory().get("/admin/")
    request.user = staff_in(roles.VIEWER)
    dashboard = staff_dashboard(request=request, site=admin.site, today=today)
    funnel = figures(dashboard, "funnel")
    assert (funnel["incubation"], funnel["graduated"]) == (1, 0)
    assert_matches_the_report(dashboard)
    # Each number's list shows what it counts: not the company's first, graduated enrollment.
    client.force_login(staff_in(roles.CENTER_MANAGER))
    for cell in dashboard["panels"]["funnel"].rows:
        if cell.key in ("incubation", "graduated"):
            listed = client.get(cell.url).context_data["cl"].result_count
            assert listed == cell.value, cell.url
