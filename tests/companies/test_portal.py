"""The startup's journey in the portal: company, members, application wizard, status."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from companies import services
from companies.models import (
    Company,
    Invitation,
    Membership,
)
from incubator import roles
from incubator.models import AuditRecord
from tests.companies.factories import (
    PASSWORD,
    CompanyFactory,
    StaffFactory,
    UserFactory,
    staff_in,
)
from tests.companies.portal import (
    COMPANY,
    html,
    step_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _policy_v1(policy_v1):
    """Every test here screens against the first policy."""


# --- Doors ----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, application):
    for url in (
        "/portal/company/",
        f"/portal/applications/{application.pk}/",
        step_url(application, "patents"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/portal/sign-in/?next=")


def test_staff_have_no_company_and_go_to_the_admin(client):
    client.force_login(StaffFactory())
    response = client.get("/portal/company/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_new_user_chooses_between_creating_a_company_and_an_invitation(client):
    client.force_login(UserFactory())
    response = client.get("/portal/company/")
    assert response.status_code == 200
    assert "Create your company" in html(response)
    assert "I have an invitation" in html(response)


# --- Company ----------------------------------------------------------------------


def test_an_invalid_registration_number_stands_beside_the_field_and_saves_nothing(client):
    client.force_login(UserFactory())
    response = client.post("/portal/company/create/", {**COMPANY, "brn": "124-81-00999"})
    assert response.status_code == 200
    page = html(response)
    assert 'id="id_brn_error"' in page
    assert "check digit" in page
    assert 'value="할빈오랑심한과학기술"' in page  # what was typed stays
    assert not Company.objects.exists()
    assert not Membership.objects.exists()


def test_a_registration_number_taken_already_says_what_to_do_next(client):
    CompanyFactory(brn="1248100998")
    client.force_login(UserFactory())

    response = client.post("/portal/company/create/", {**COMPANY, "brn": "124-81-00998"})

    assert response.status_code == 200
    error = re.search(r'id="id_brn_error">(.*?)</p>', html(response), re.S).group(1)
    assert "registered in the portal already" in error
    assert "ask its owner to invite you to it" in error
    assert "contact the center" in error
    assert Company.objects.count() == 1
    assert not Membership.objects.exists()


@pytest.mark.parametrize("brn", ["124-81-00998", "116-82-00276", "134-86-72683"])
def test_a_valid_registration_number_creates_the_company_with_its_owner(client, brn):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/portal/company/create/", {**COMPANY, "brn": brn}, follow=True)
    assert response.status_code == 200
    company = Company.objects.get()
    assert company.brn == brn.replace("-", "")
    assert Membership.objects.get(company=company).user == user
    assert Membership.objects.get(company=company).role == Membership.Role.OWNER
    assert brn in html(response)  # the dashboard shows the company card


@pytest.mark.parametrize("founded", ["0001-01-01", "1800-01-01"])
def test_a_founding_date_before_1900_stands_beside_the_field_and_saves_nothing(client, founded):
    client.force_login(UserFactory())
    response = client.post("/portal/company/create/", {**COMPANY, "founded_on": founded})
    assert response.status_code == 200
    page = html(response)
    assert 'id="id_founded_on_error"' in page
    assert "too early for a founding date" in page
    assert not Company.objects.exists()


def test_an_employee_count_past_the_human_maximum_is_refused_readably(client):
    client.force_login(UserFactory())
    response = client.post(
        "/portal/company/create/", {**COMPANY, "employees": "99999999999999999999"}
    )
    page = html(response)
    assert 'max="100000"' in page
    error = page.split('id="id_employees_error">')[1].split("</p>")[0]
    assert error == "Enter a number from 0 to 100,000."
    assert not Company.objects.exists()


def errors_of(page: str, field: str) -> list[str]:
    return re.findall(rf'<p class="error" id="id_{field}_error">(.*?)</p>', page)


def test_a_negative_employee_count_gets_one_message(client, owner):
    client.force_login(owner)
    data = {**COMPANY, "employees": "-5"}
    for name in ("brn", "founded_on", "sector"):  # not on the profile page
        data.pop(name)
    page = html(client.post("/portal/company/edit/", data))
    assert errors_of(page, "employees") == ["Enter a number from 0 to 100,000."]


def test_a_registration_number_of_11_digits_gets_the_portal_s_message_only(client):
    client.force_login(UserFactory())
    page = html(client.post("/portal/company/create/", {**COMPANY, "brn": "124-81-009981"}))
    assert errors_of(page, "brn") == [
        "Enter a business registration number of 10 digits, like 124-81-00998."
    ]
    assert not Company.objects.exists()


def test_a_member_edits_the_profile_and_consent_outside_any_application(client, owner):
    # A resident has no draft to edit it in; screening's facts stay out of this page.
    company = owner.membership.company
    member = UserFactory()
    Membership.objects.create(company=company, user=member, role=Membership.Role.MEMBER)
    founded, brn = company.founded_on, company.brn
    client.force_login(member)
    assert "/portal/company/edit/" in html(client.get("/portal/company/"))
    form = html(client.get("/portal/company/edit/"))
    assert 'name="consent_to_partners"' in form
    assert 'name="brn"' not in form and 'name="founded_on"' not in form

    fields = {**COMPANY, "website": "https://orangsimhan.example", "consent_to_partners": "on"}
    fields.update(brn="134-86-72683", founded_on="2024-01-01")  # not the page's to change
    response = client.post("/portal/company/edit/", fields)

    assert response.status_code == 302 and response["Location"] == "/portal/company/"
    company.refresh_from_db()
    assert company.consent_to_partners and company.website == "https://orangsimhan.example"
    assert (company.founded_on, company.brn) == (founded, brn)
    record = AuditRecord.objects.get(verb="company.update")
    assert record.actor == member and "consent_to_partners" in record.changes


def test_a_profile_without_any_name_is_refused_and_keeps_what_was_stored(client, owner):
    company = owner.membership.company
    names = (company.name_ko, company.name_zh, company.name_en)
    client.force_login(owner)

    empty = {**COMPANY, "name_ko": "", "name_zh": "", "name_en": "", "website": "https://x.example"}
    response = client.post("/portal/company/edit/", empty)

    assert response.status_code == 200 and "form-errors" in html(response)
    company.refresh_from_db()
    assert (company.name_ko, company.name_zh, company.name_en) == names
    assert company.website != "https://x.example"
    assert not AuditRecord.objects.filter(verb="company.update").exists()


def test_the_owner_invites_a_colleague_who_signs_in_and_joins(
    client, owner, django_capture_on_commit_callbacks, mailoutbox, settings
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/company/members/invite/", {"email": "cto@example.kr"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="cto@example.kr")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["cto@example.kr"]
    # The link is made when the e-mail is rendered, from SITE_URL.
    site = re.escape(settings.SITE_URL.rstrip("/"))
    link = re.search(site + r"(/portal/invitations/[^/\s]+/)", mailoutbox[0].body)
    assert link and link.group(1) == f"/portal/invitations/{invitation.link_token}/"

    client.logout()
    colleague = UserFactory(email="cto@example.kr")
    response = client.get(link.group(1))
    assert response.status_code == 200
    assert f"/portal/sign-in/?next={link.group(1)}" in html(response).replace("%2F", "/")

    response = client.post(
        f"/portal/sign-in/?next={link.group(1)}",
        {"username": colleague.email, "password": PASSWORD, "next": link.group(1)},
    )
    assert response.status_code == 302 and response["Location"] == link.group(1)
    response = client.post(link.group(1), follow=True)
    assert response.status_code == 200
    assert Membership.objects.get(user=colleague).company == owner.membership.company
    assert owner.membership.company.name in html(response)


def test_someone_who_signs_up_after_an_invitation_finds_it_in_the_portal(client, owner):
    invitation = Invitation.objects.create(
        company=owner.membership.company, email="cto@example.kr", invited_by=owner
    )
    client.force_login(UserFactory(email="cto@example.kr"))
    page = html(client.get("/portal/company/"))
    assert f"/portal/invitations/{invitation.link_token}/" in page
    assert owner.membership.company.name in page


def test_someone_invited_who_signs_up_lands_on_the_invitation_once_confirmed(
    client, owner, django_capture_on_commit_callbacks, mailoutbox, settings
):
    from incubator.models import OutboxMessage

    invitation = Invitation.objects.create(
        company=owner.membership.company, email="cto@example.kr", invited_by=owner
    )
    invitation_page = f"/portal/invitations/{invitation.link_token}/"
    doors = html(client.get(invitation_page))
    sign_up = re.search(r'href="(/portal/sign-up/\?next=[^"]+)"', doors)
    # Through the sign-in page's "Create an account" the same.
    sign_in = re.search(r'href="(/portal/sign-in/\?next=[^"]+)"', doors)
    assert f'href="{sign_up.group(1)}"' in html(client.get(sign_in.group(1)))
    form = html(client.get(sign_up.group(1)))
    assert f'name="next" value="{invitation_page}"' in form

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            sign_up.group(1),
            {
                "email": "cto@example.kr",
                "full_name": "김민준",
                "language": "ko",
                "time_zone": "Asia/Seoul",
                "password1": "orangsimhan-2020!",
                "password2": "orangsimhan-2020!",
                "next": invitation_page,
            },
        )
    assert response.status_code == 200
    (mail,) = mailoutbox
    site = re.escape(settings.SITE_URL.rstrip("/"))
    link = re.search(site + r"(/portal/verify/\S+/)", mail.body).group(1)
    # The confirmation carries no other secret: neither the e-mail nor its outbox row holds
    # the invitation's link.
    assert invitation.link_token not in mail.body and invitation.link_token not in link
    assert invitation.link_token not in str(OutboxMessage.objects.get(kind="verify_email").payload)

    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == invitation_page
    # Signed in on the invitation's page: one click and they are in.
    client.post(invitation_page)
    assert Membership.objects.get(user__email="cto@example.kr").company == invitation.company


def test_the_database_alone_opens_no_invitation(client, owner):
    # What a backup or a leaked row holds, the UUID, with or without a forged signature.
    invitation = Invitation.objects.create(
        company=owner.membership.company, email="cto@example.kr", invited_by=owner
    )
    client.force_login(UserFactory(email="cto@example.kr"))
    forged = invitation.link_token[:-2] + (
        "AA" if not invitation.link_token.endswith("AA") else "BB"
    )
    for token in (str(invitation.token), invitation.token.hex, forged):
        assert client.get(f"/portal/invitations/{token}/").status_code == 404
        assert client.post(f"/portal/invitations/{token}/").status_code == 404
    assert Membership.objects.count() == 1
    assert client.get(f"/portal/invitations/{invitation.link_token}/").status_code == 200


def test_an_invitation_for_another_address_is_refused(client, owner):
    invitation = Invitation.objects.create(
        company=owner.membership.company, email="cto@example.kr", invited_by=owner
    )
    client.force_login(UserFactory(email="someone@example.kr"))
    response = client.post(f"/portal/invitations/{invitation.link_token}/")
    assert response.status_code == 400
    assert "another e-mail address" in html(response)
    assert Membership.objects.count() == 1


def test_a_member_who_is_not_owner_cannot_invite(client, owner):
    colleague = UserFactory()
    Membership.objects.create(user=colleague, company=owner.membership.company)
    client.force_login(colleague)
    response = client.post("/portal/company/members/invite/", {"email": "x@example.kr"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


# --- E-mails ------------------------------------------------------------------------------


def test_a_lead_receives_an_invitation_with_the_sign_up_link(
    django_capture_on_commit_callbacks, mailoutbox
):
    from companies.models import Lead

    lead = Lead.objects.create(
        company_name="Seoul Robotics & Co",
        contact_name="김학봉",
        contact_email="lead@example.kr",
        source=Lead.Source.DELEGATION,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.lead_invite(
            lead=lead,
            actor=staff_in(roles.PROGRAM_OFFICER),
            sign_up_url="https://portal.example/portal/sign-up/",
        )
    (mail,) = mailoutbox
    assert mail.to == ["lead@example.kr"]
    assert "https://portal.example/portal/sign-up/" in mail.body
    assert "Seoul Robotics & Co" in mail.body  # not escaped in the text part
    assert "김학봉" in mail.body


@pytest.mark.parametrize("who", ["partner", "judge"])
def test_partners_and_judges_do_not_create_a_startup_company(client, who):
    from events.models import CompetitionEntry, CompetitionRound, Event, JudgeAssignment
    from tests.events.factories import EventFactory, PartnerPersonFactory

    if who == "partner":
        user = PartnerPersonFactory().user
    else:
        user = UserFactory()
        round_ = CompetitionRound.objects.create(
            event=EventFactory(kind=Event.Kind.COMPETITION), name_en="Final"
        )
        entry = CompetitionEntry.objects.create(
            round=round_, company=CompanyFactory(), title="Alpha robot"
        )
        JudgeAssignment.objects.create(entry=entry, judge=user)
    companies_before = Company.objects.count()
    client.force_login(user)
    assert client.get("/portal/company/create/").status_code == 403
    assert client.post("/portal/company/create/", COMPANY).status_code == 403
    assert "/portal/company/create/" not in client.get("/portal/company/").content.decode()
    assert Company.objects.count() == companies_before
    assert not Membership.objects.filter(user=user).exists()
    with pytest.raises(PermissionDenied):
        services.company_create(owner=user, **{**COMPANY, "employees": 12})
