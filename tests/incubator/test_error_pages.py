"""Every error page is in the portal's layout and language and says what to do."""

import pytest
from django.test import Client

from tests.companies.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def korean(client):
    client.force_login(UserFactory(language="ko"))
    return client


@pytest.mark.parametrize("path", ["/portal/intakes/1/apply/", "/portal/events/1/register/"])
def test_a_get_on_a_post_only_address_explains_in_the_persons_language(korean, path):
    response = korean.get(path, HTTP_REFERER="http://testserver/portal/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert '<html lang="ko">' in page and "페이지의 버튼을 이용하세요" in page
    assert 'href="http://testserver/portal/"' in page


def test_the_405_page_does_not_link_back_to_another_site(korean):
    page = korean.get("/portal/intakes/1/apply/", HTTP_REFERER="https://evil.example/").content
    assert b"evil.example" not in page


def test_the_api_keeps_its_own_405():
    response = Client().get("/api/v1/companies/", REQUEST_METHOD="PATCH")
    assert response["Content-Type"].startswith("application/json")


def test_a_form_refused_by_the_csrf_check_gets_the_portals_page_in_chinese():
    client = Client(enforce_csrf_checks=True)
    client.cookies["lang"] = "zh-hans"
    response = client.post("/portal/sign-in/", {"username": "a@b.example", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page and "表单无法提交" in page
