"""The bulk import: a preview with each row's errors saves nothing; the confirm saves the rest."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies import validators
from companies.imports import parsing
from companies.models import Company, Lead
from incubator import roles
from incubator.models import AuditRecord
from tests.companies.factories import CompanyFactory, role_client

pytestmark = pytest.mark.django_db

URL = "/admin/companies/company/import/"
KO_HEADERS = ["회사명", "사업자등록번호", "설립일", "분야", "소재지", "직원 수"]
BAD_BRN = "124-81-00999"  # the check digit of 124-81-00998 changed


def brn(n: int) -> str:
    number = f"13481{n:04d}"
    return validators.brn_format(number + validators.brn_check_digit(number))


def association_rows(count=16, bad_row=None):
    """The accelerator association's list: Korean names, BRNs, dates, sectors."""
    rows = []
    for n in range(1, count + 1):
        rows.append(
            [
                f"한국기술 {n}",
                BAD_BRN if n == bad_row else brn(n),
                "2016-03-01",
                "인공지능",
                "서울",
                n,
            ]
        )
    return rows


def xlsx_file(headers, rows, name="association.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return SimpleUploadedFile(name, data.getvalue())


def csv_file(headers, rows, encoding="utf-8-sig"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile("list.csv", text.getvalue().encode(encoding))


def preview(client, upload, kind="companies", source="association"):
    return client.post(URL, {"kind": kind, "source": source, "file": upload, "_preview": "1"})


def test_sixteen_rows_with_one_bad_number_show_its_error_and_save_nothing_until_confirmed():
    client = role_client(roles.PROGRAM_OFFICER, language="ko")
    response = preview(client, xlsx_file(KO_HEADERS, association_rows(bad_row=7)))
    assert response.status_code == 200
    page = response.content.decode()
    error_rows = [row for row in response.context["preview"] if not row[0].valid]
    assert [row.number for row, _cells in error_rows] == [8]  # the header is row 1
    # The check-digit error, in the officer's Korean.
    message = validators_message(BAD_BRN, language="ko")
    assert message != validators_message(BAD_BRN, language="en")
    assert error_rows[0][0].errors == [message]
    assert message in page
    assert Company.objects.count() == 0

    response = client.post(URL, {"_confirm": "1"})
    assert response.status_code == 302
    assert Company.objects.count() == 15
    assert not Company.objects.filter(name_ko="한국기술 7").exists()
    company = Company.objects.get(name_ko="한국기술 1")
    assert (company.brn, company.sector, company.employees) == (
        validators.brn_compact(brn(1)),
        "ai",
        1,
    )
    assert AuditRecord.objects.filter(verb="company.create").count() == 15
    summary = AuditRecord.objects.get(verb="companies.import")
    assert summary.changes == {"format": "xlsx", "saved": 15, "skipped": 1}
    # The file is gone from private storage; a second confirm has nothing to save.
    client.post(URL, {"_confirm": "1"})
    assert Company.objects.count() == 15


def validators_message(value, language):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override(language):
        try:
            validators.validate_brn(value)
        except ValidationError as error:
            return error.messages[0]
    raise AssertionError("valid")


def test_duplicates_in_the_file_and_in_the_database_are_refused():
    CompanyFactory(brn=validators.brn_compact(brn(2)))
    rows = association_rows(count=3)
    rows.append(["한국기술 복제", brn(1), "2016-03-01", "ai", "", ""])
    client = role_client(roles.CENTER_MANAGER)
    response = preview(client, xlsx_file(KO_HEADERS, rows))
    errors = {row.number: row.errors for row, _cells in response.context["preview"]}
    assert errors[2] == []
    assert errors[3] == ["A company with this business registration number exists."]
    assert errors[5] == ["The same company as row 2."]
    assert response.context["valid_count"] == 2


def test_a_chinese_csv_in_gb18030_and_missing_or_unknown_values():
    headers = ["公司名称", "营业登记号", "成立日期", "行业"]
    rows = [
        ["哈尔滨科技", brn(1), "2018年3月1日", "人工智能"],
        ["", brn(2), "2018-03-01", "ai"],
        ["首尔机器人", brn(3), "2018-03-01", "太空旅游"],
    ]
    client = role_client(roles.PROGRAM_OFFICER)
    response = preview(client, csv_file(headers, rows, encoding="gb18030"))
    result = {row.number: row for row, _cells in response.context["preview"]}
    assert result[2].valid and result[2].fields["name_zh"] == "哈尔滨科技"
    assert result[3].errors == ["The company name is missing."]
    assert result[4].errors[0].startswith("Unknown sector “太空旅游”")
    client.post(URL, {"_confirm": "1"})
    company = Company.objects.get()
    assert (company.name_zh, str(company.founded_on)) == ("哈尔滨科技", "2018-03-01")


def test_leads_from_a_utf8_csv_with_english_headers():
    Lead.objects.create(company_name="Mirae Drone", source=Lead.Source.ROADSHOW)
    headers = ["Company name", "Contact person", "E-mail"]
    rows = [
        ["Bada Aquatech", "Park Ji-ho", "hello@bada.example"],
        ["mirae drone", "", ""],
        ["Nuri Robotics", "", "not-an-address"],
    ]
    client = role_client(roles.PROGRAM_OFFICER)
    response = preview(client, csv_file(headers, rows), kind="leads", source="delegation")
    errors = {row.number: row.errors for row, _cells in response.context["preview"]}
    assert errors == {
        2: [],
        3: ["A lead for this company exists already."],
        4: ["“not-an-address” is not an e-mail address."],
    }
    assert client.post(URL, {"_confirm": "1"})["Location"].endswith("/admin/companies/lead/")
    lead = Lead.objects.get(company_name="Bada Aquatech")
    assert (lead.source, lead.contact_email, lead.status) == (
        "delegation",
        "hello@bada.example",
        "new",
    )
    assert AuditRecord.objects.filter(verb="lead.create").count() == 1


@pytest.mark.parametrize("role", [roles.EVENT_COORDINATOR, roles.VIEWER])
def test_roles_that_may_not_add_companies_are_refused(role):
    client = role_client(role)
    assert client.get(URL).status_code == 403
    assert preview(client, xlsx_file(KO_HEADERS, association_rows(2))).status_code == 403
    assert client.post(URL, {"_confirm": "1"}).status_code == 403
    assert Company.objects.count() == 0


def test_too_many_rows_and_a_file_that_is_not_a_spreadsheet():
    client = role_client(roles.PROGRAM_OFFICER)
    rows = [
        [f"회사 {n}", brn(n % 9000 + 1), "2016-03-01", "ai"] for n in range(parsing.MAX_ROWS + 1)
    ]
    response = preview(client, csv_file(KO_HEADERS[:4], rows))
    assert "more than 2000 rows" in response.content.decode()
    response = preview(client, SimpleUploadedFile("x.xlsx", b"PK\x03\x04not a zip"))
    assert "not a CSV or XLSX spreadsheet" in response.content.decode()
    assert Company.objects.count() == 0


def test_the_template_has_the_headers_in_the_users_language_and_is_read_back():
    client = role_client(roles.PROGRAM_OFFICER, language="zh-hans")
    response = client.get(reverse("admin:companies_company_import_template") + "?kind=companies")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["公司名称(韩文)", "公司名称(中文)", "公司名称(英文)", "营业登记号"]
    rows = parsing.read_rows(data, parsing.COMPANIES)
    assert rows[0]["brn"] == "124-81-00998" and rows[0]["name_ko"] == "오랑심한 교육"


def test_the_import_button_is_on_both_lists():
    client = role_client(roles.PROGRAM_OFFICER)
    assert URL + "?kind=companies" in client.get("/admin/companies/company/").content.decode()
    assert URL + "?kind=leads" in client.get("/admin/companies/lead/").content.decode()


def test_a_preview_left_unconfirmed_for_a_day_loses_its_file():
    import os
    import time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    old = default_storage.save("imports/abandoned.csv", ContentFile(b"x"))
    day_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(old), (day_ago, day_ago))
    client = role_client(roles.PROGRAM_OFFICER)
    preview(client, xlsx_file(KO_HEADERS, association_rows(2)))
    assert not default_storage.exists(old)
    _folders, names = default_storage.listdir("imports")
    assert len(names) == 1  # this preview's file, until its confirm
    client.post(URL, {"_confirm": "1"})
    assert default_storage.listdir("imports")[1] == []


def test_blank_rows_keep_the_row_numbers_and_do_not_count_towards_the_limit():
    rows = association_rows(count=3, bad_row=3)
    rows[1:1] = [[None] * 6, [None] * 6]
    rows += [[None] * 6] * (parsing.MAX_ROWS + 5)
    response = preview(role_client(roles.PROGRAM_OFFICER), xlsx_file(KO_HEADERS, rows))
    numbers = {row.number: row.valid for row, _cells in response.context["preview"]}
    assert numbers == {2: True, 5: True, 6: False}


def test_a_value_longer_than_its_column_is_the_rows_error_and_nothing_is_cut():
    long_name = "긴이름" * 200  # 600 characters; the lead's company name holds 200
    headers = ["회사명", "담당자", "이메일"]
    rows = [["바다아쿠아텍", "박지호", "hello@bada.example"], [long_name, "", ""]]
    client = role_client(roles.PROGRAM_OFFICER)
    client.cookies["lang"] = "en"
    response = preview(client, xlsx_file(headers, rows), kind="leads")
    errors = {row.number: row.errors for row, _cells in response.context["preview"]}
    assert errors[2] == []
    assert errors[3] == ["Company name: Ensure this value has at most 200 characters (it has 600)."]
    assert "at most 200 characters" in response.content.decode()
    client.post(URL, {"_confirm": "1"})
    assert list(Lead.objects.values_list("company_name", flat=True)) == ["바다아쿠아텍"]
