"""What the companies admin shows: a business registration number as it is written
(124-81-00998), stored as its 10 digits."""

import re

import pytest

from companies.models import Company
from incubator import roles
from tests.companies.factories import CompanyFactory, staff_in
from tests.forms_shown import form_as_shown

pytestmark = pytest.mark.django_db


def _written(company) -> str:
    return f"{company.brn[:3]}-{company.brn[3:5]}-{company.brn[5:]}"


def test_the_list_and_the_change_page_show_the_number_with_its_dashes(client):
    company = CompanyFactory()
    client.force_login(staff_in(roles.PROGRAM_OFFICER))

    listed = client.get("/admin/companies/company/").content.decode()
    url = f"/admin/companies/company/{company.pk}/change/"
    shown = form_as_shown(client.get(url).content.decode(), "company_form")

    assert _written(company) in listed
    assert shown["brn"] == [_written(company)]
    # Typed either way, the same 10 digits are kept.
    for typed in (_written(company), company.brn):
        response = client.post(url, {**shown, "brn": [typed], "_save": "Save"})
        assert response.status_code == 302
        assert Company.objects.get(pk=company.pk).brn == company.brn


def test_a_read_only_change_page_shows_the_number_with_its_dashes(client):
    company = CompanyFactory()
    client.force_login(staff_in(roles.VIEWER))

    page = client.get(f"/admin/companies/company/{company.pk}/change/").content.decode()

    assert _written(company) in page
    assert not re.search(rf"\b{company.brn}\b", page)
