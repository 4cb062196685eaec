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


# --- A staff member refused: the admin's layout, what is refused, the way back ---------------


def staff_of(role, **fields):
    from django.contrib.auth.models import Group

    from incubator import roles
    from tests.companies.factories import StaffFactory

    roles.sync_role_permissions()
    user = StaffFactory(**fields)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.mark.parametrize(
    ("role", "path", "role_name"),
    [
        # An admin page the role does not include, and a staff page of the portal.
        ("event_coordinator", "/admin/programs/fundapplication/", "event coordinator"),
        ("viewer", "/portal/staff/events/{event}/check-in/", "viewer (read only)"),
    ],
)
def test_a_refused_staff_member_reads_the_admins_page_with_their_role(role, path, role_name):
    from tests.events.factories import EventFactory

    path = path.format(event=EventFactory().pk)
    client = Client()
    client.force_login(staff_of(role))
    client.cookies["lang"] = "en"

    response = client.get(path)

    assert response.status_code == 403
    page = response.content.decode()
    assert f"Your role ({role_name}) does not include this page or change: {path}" in page
    assert "The center manager gives the staff roles." in page
    assert 'id="back-to-admin"' in page and 'href="/admin/"' in page
    # The admin's header, not the portal's "ask the center's staff".
    assert 'id="site-name"' in page and "ask the center" not in page


def test_a_refusal_that_says_why_says_it_on_the_staff_page():
    from tests.events.factories import StartupRegistrationFactory

    registration = StartupRegistrationFactory()
    client = Client()
    client.force_login(staff_of("viewer"))
    client.cookies["lang"] = "en"

    response = client.get(f"/portal/events/registrations/{registration.pk}/badge/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "Badges are printed by the staff who check people in." in page
    assert 'id="back-to-admin"' in page


def test_a_portal_user_refused_keeps_the_portals_page():
    from tests.events.factories import PartnerPersonFactory

    client = Client()
    client.force_login(PartnerPersonFactory().user)
    client.cookies["lang"] = "en"

    response = client.get("/portal/company/create/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "ask the center" in page and 'id="back-to-admin"' not in page
