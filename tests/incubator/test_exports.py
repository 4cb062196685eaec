"""Exports of the admin lists: the filtered changelist's rows, streamed, audited, by role."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incubator import roles
from incubator.models import AuditRecord
from tests.companies.factories import (
    ApplicationFactory,
    CompanyFactory,
    StaffFactory,
    UserFactory,
    role_client,
)
from tests.events.factories import EventFactory, GuestRegistrationFactory

pytestmark = pytest.mark.django_db


def content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response) -> list[list[str]]:
    data = content(response)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content(response)), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def export_url(model: str, fmt: str) -> str:
    return reverse(f"admin:{model}_export_{fmt}")


@pytest.fixture
def companies():
    ai = [CompanyFactory(sector="ai", employees=10 + n) for n in range(3)]
    other = [CompanyFactory(sector="education") for _ in range(2)]
    return ai, other


def test_csv_holds_the_filtered_and_searched_rows_in_the_list_order(companies):
    ai, _other = companies
    client = role_client(roles.PROGRAM_OFFICER)
    response = client.get(export_url("companies_company", "csv") + "?sector__exact=ai")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows[0][:4] == [
        "name (Korean)",
        "name (Chinese)",
        "name (English)",
        "business registration number",
    ]
    listed = client.get(reverse("admin:companies_company_changelist") + "?sector__exact=ai")
    expected = list(listed.context["cl"].queryset.values_list("name_ko", flat=True))
    assert [row[0] for row in rows[1:]] == expected == sorted(c.name_ko for c in ai)
    assert rows[1][3] == ai[0].brn_display
    searched = csv_rows(client.get(export_url("companies_company", "csv") + f"?q={ai[1].brn}"))
    assert [row[0] for row in searched[1:]] == [ai[1].name_ko]


def test_xlsx_keeps_numbers_dates_and_korean_headers(companies):
    ai, _other = companies
    client = role_client(roles.PROGRAM_OFFICER, language="ko")
    response = client.get(export_url("companies_company", "xlsx") + "?sector__exact=ai")
    assert response.status_code == 200
    rows = xlsx_rows(response)
    header = rows[0]
    assert "사업자등록번호" in header
    employees, founded = header.index("직원 수"), header.index("설립일")
    first = sorted(ai, key=lambda c: c.name_ko)[0]
    assert rows[1][0] == first.name_ko
    assert rows[1][employees] == first.employees  # a number, not text
    assert isinstance(rows[1][founded], dt.datetime)
    assert rows[1][founded].date() == first.founded_on
    assert len(rows) == 1 + len(ai)


def test_the_query_count_does_not_grow_with_the_rows():
    event = EventFactory()
    client = role_client(roles.EVENT_COORDINATOR)

    def queries(fmt):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(export_url("events_registration", fmt))
            content(response)
        return len(captured)

    GuestRegistrationFactory.create_batch(2, event=event)
    few = queries("csv"), queries("xlsx")
    GuestRegistrationFactory.create_batch(30, event=event)
    # session + user + groups' permissions, the list's two counts, the audit record,
    # the one values_list query: the same for 2 rows as for 32
    assert (queries("csv"), queries("xlsx")) == few


def test_every_export_is_audited_without_the_search_term(companies):
    client = role_client(roles.PROGRAM_OFFICER)
    content(client.get(export_url("companies_company", "csv") + "?sector__exact=ai&q=테스트"))
    record = AuditRecord.objects.get(verb="list.export")
    assert record.changes["list"] == "companies.company"
    assert record.changes["format"] == "csv"
    assert record.changes["filters"] == {"sector__exact": "ai"}
    assert record.changes["searched"] is True
    assert record.changes["rows"] == 3
    assert "테스트" not in str(record.changes)


def test_a_free_lookup_is_named_without_its_value():
    event = EventFactory()
    GuestRegistrationFactory(event=event, guest_email="kim@example.kr")
    client = role_client(roles.EVENT_COORDINATOR)
    rows = csv_rows(
        client.get(export_url("events_registration", "csv") + "?guest_email=kim@example.kr")
    )
    assert len(rows) == 2 and "kim@example.kr" in rows[1]
    record = AuditRecord.objects.get(verb="list.export")
    assert record.changes["other_lookups"] == ["guest_email"]
    assert "kim@example.kr" not in str(record.changes)


def test_the_viewer_exports_without_personal_data():
    event = EventFactory()
    GuestRegistrationFactory(event=event, name="Kim Min-ji", guest_email="minji@example.kr")
    viewer = csv_rows(role_client(roles.VIEWER).get(export_url("events_registration", "csv")))
    coordinator = csv_rows(
        role_client(roles.EVENT_COORDINATOR).get(export_url("events_registration", "csv"))
    )
    assert "minji@example.kr" in coordinator[1] and "Kim Min-ji" in coordinator[1]
    assert "e-mail address" in coordinator[0] and "e-mail address" not in viewer[0]
    flat = str(viewer)
    assert "minji@example.kr" not in flat and "Kim Min-ji" not in flat
    assert len(viewer) == len(coordinator) == 2


def test_the_viewers_applications_export_leaves_out_who_decided():
    # A staff member's e-mail address is personal data too: it stays in the officers' copy.
    officer = StaffFactory(email="decider@center.example")
    ApplicationFactory(status="accepted", decided_by=officer, decided_at=dt.datetime.now(dt.UTC))
    viewer = csv_rows(role_client(roles.VIEWER).get(export_url("programs_application", "csv")))
    manager = csv_rows(
        role_client(roles.PROGRAM_OFFICER).get(export_url("programs_application", "csv"))
    )
    assert "decided by" in manager[0] and "decider@center.example" in manager[1]
    assert "decided by" not in viewer[0] and "decider@center.example" not in str(viewer)
    assert len(viewer) == len(manager) == 2


def test_refused_to_staff_without_the_view_permission_and_to_portal_users(client):
    # Every staff role views the five lists (incubator.roles); a staff account in no group
    # views none, and a portal account is sent to the admin's sign-in.
    client.force_login(StaffFactory())
    assert client.get(export_url("companies_company", "csv")).status_code == 403
    client.force_login(UserFactory())
    response = client.get(export_url("companies_company", "xlsx"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not AuditRecord.objects.filter(verb="list.export").exists()


def test_a_cell_that_looks_like_a_formula_is_kept_as_text():
    CompanyFactory(name_ko='=HYPERLINK("http://x")', city="+82")
    rows = csv_rows(role_client(roles.CENTER_MANAGER).get(export_url("companies_company", "csv")))
    assert rows[1][0].startswith("'=") and "'+82" in rows[1]


@pytest.mark.parametrize(
    "model",
    [
        "companies_company",
        "programs_application",
        "events_registration",
        "events_meeting",
        "programs_servicerequest",
    ],
)
def test_each_list_has_its_export_buttons_and_exports(model):
    client = role_client(roles.CENTER_MANAGER)
    page = client.get(reverse(f"admin:{model}_changelist") + "?o=1")
    assert export_url(model, "csv") + "?o=1" in page.content.decode()
    for fmt in ("csv", "xlsx"):
        response = client.get(export_url(model, fmt))
        assert response.status_code == 200
        assert content(response)


def test_choice_labels_and_translated_names_follow_the_staff_members_language():
    event = EventFactory()
    GuestRegistrationFactory(event=event)
    rows = csv_rows(
        role_client(roles.EVENT_COORDINATOR, language="zh-hans").get(
            export_url("events_registration", "csv")
        )
    )
    assert rows[1][0] == event.title_zh
    english = csv_rows(
        role_client(roles.EVENT_COORDINATOR).get(export_url("events_registration", "csv"))
    )
    assert english[1][0] == event.title_en
    kind = english[0].index("registrant")
    assert english[1][kind] == "guest" and rows[1][kind] not in ("guest", "")
