"""Who may own a service request, and what the center is told of its answer: sent to the
company's members, or only kept on the request when the company has no portal account."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from incubator import roles
from incubator.models import AuditRecord, OutboxMessage
from programs.concierge import policies as concierge_policies
from programs.concierge import selectors as concierge_selectors
from programs.concierge import services as concierge_services
from programs.models import ServiceRequest
from tests.companies.factories import CompanyFactory, MembershipFactory, StaffFactory, staff_in

pytestmark = pytest.mark.django_db

NOT_AN_OWNER = "Choose an owner whose role handles service requests"
SENT = "Your answer is sent to the company."
ONLY_SAVED = "Your answer is saved on the request, but nobody was told"


def conversation_url(service_request):
    return reverse("admin:programs_servicerequest_conversation", args=[service_request.pk])


def offered_owners(page, name: str) -> set[int]:
    """Return the user ids a page's owner <select> offers (its empty choice left out)."""
    select = re.search(rf'<select name="{name}".*?</select>', page.content.decode(), re.S)
    assert select, f"no {name} on the page"
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', select.group())}


@pytest.fixture
def service_request(member):
    return concierge_services.service_request_open(
        company=member.membership.company,
        kind=ServiceRequest.Kind.VISA,
        subject="D-8 visa",
        body="Which documents?",
        actor=member,
    )


@pytest.fixture
def staff(officer, manager, viewer, coordinator):
    """Every kind of staff account, and who of them may own a request."""
    gone = staff_in(roles.PROGRAM_OFFICER, is_active=False)
    superuser = StaffFactory(is_superuser=True)
    return {
        "handle": {officer, manager, superuser},
        "do_not": {viewer, coordinator, gone},
    }


# --- The owner of a request ------------------------------------------------------------------


def test_the_owner_choices_and_the_policy_agree(staff, member):
    choices = set(concierge_selectors.request_owner_choices())
    assert choices == staff["handle"]
    for user in staff["handle"] | staff["do_not"] | {member}:
        assert concierge_policies.can_own_request(user) == (user in choices), user
    assert not concierge_policies.can_own_request(None)


def test_the_conversation_offers_only_the_staff_who_handle_requests(
    staff_client, officer, staff, service_request
):
    page = staff_client(officer).get(conversation_url(service_request))
    assert offered_owners(page, "assign-owner") == {user.pk for user in staff["handle"]}


def test_the_add_page_offers_only_the_staff_who_handle_requests(staff_client, officer, staff):
    page = staff_client(officer).get(reverse("admin:programs_servicerequest_add"))
    assert offered_owners(page, "owner") == {user.pk for user in staff["handle"]}


def test_a_viewer_is_not_saved_as_the_owner_from_the_conversation(
    staff_client, officer, viewer, service_request
):
    response = staff_client(officer).post(
        conversation_url(service_request), {"assign-owner": viewer.pk, "_assign": "1"}
    )
    assert response.status_code == 200
    assert NOT_AN_OWNER in response.content.decode()
    service_request.refresh_from_db()
    assert (service_request.owner, service_request.status) == (None, "open")


def test_the_service_refuses_an_owner_who_does_not_handle_requests(
    officer, staff, member, service_request
):
    for user in staff["do_not"] | {member, None}:
        with pytest.raises(ValidationError) as error:
            concierge_services.service_request_assign(
                service_request=service_request, owner=user, actor=officer
            )
        assert NOT_AN_OWNER in error.value.message_dict["owner"][0], user
    service_request.refresh_from_db()
    assert service_request.owner is None
    assert not AuditRecord.objects.filter(verb="service_request.assign").exists()

    for user in staff["handle"]:
        concierge_services.service_request_assign(
            service_request=service_request, owner=user, actor=officer
        )
        service_request.refresh_from_db()
        assert service_request.owner == user


def test_a_request_is_not_opened_with_an_owner_who_does_not_handle_requests(
    officer, viewer, company
):
    with pytest.raises(ValidationError) as error:
        concierge_services.service_request_open(
            company=company,
            kind=ServiceRequest.Kind.OFFICE,
            subject="Your desks",
            body="Room 305.",
            actor=officer,
            owner=viewer,
        )
    assert NOT_AN_OWNER in error.value.message_dict["owner"][0]
    assert not ServiceRequest.objects.exists()


# --- What the center is told of its answer ---------------------------------------------------


def test_the_reply_says_how_many_people_are_told(officer, manager, viewer, member, service_request):
    MembershipFactory(company=member.membership.company, user__is_active=False)
    MembershipFactory(company=member.membership.company)
    # Two active members of the company hear of the center's answer.
    assert (
        concierge_services.service_request_reply(
            service_request=service_request, actor=officer, body="A passport copy."
        ).told
        == 2
    )
    # The company answers a request with no owner yet: the staff who take requests (the
    # officer and the manager, not the viewer) are told.
    reply = concierge_services.service_request_reply(
        service_request=service_request, actor=member, body="Attached."
    )
    assert (reply.told, reply.message.body) == (2, "Attached.")
    concierge_services.service_request_assign(
        service_request=service_request, owner=officer, actor=officer
    )
    told = concierge_services.service_request_reply(
        service_request=service_request, actor=member, body="Thanks!"
    ).told
    assert told == 1


def test_an_answer_to_a_company_without_portal_accounts_says_it_is_only_saved(
    staff_client, officer
):
    # As the demo's Malsseum AI: a company the center keeps, nobody of it signed up.
    company = CompanyFactory(name_en="Malsseum AI")
    service_request = concierge_services.service_request_open(
        company=company, kind=ServiceRequest.Kind.VISA, subject="Visa", body="Hi.", actor=officer
    )
    response = staff_client(officer).post(
        conversation_url(service_request),
        {"reply-body": "请提供护照复印件。", "_reply": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert ONLY_SAVED in page and SENT not in page
    assert service_request.messages.filter(body="请提供护照复印件。").exists()
    assert not OutboxMessage.objects.filter(kind="service_request_message").exists()


def test_an_answer_the_members_receive_says_it_is_sent_in_the_viewers_language(
    staff_client, officer, member, service_request
):
    client = staff_client(officer)
    client.cookies["lang"] = "zh-hans"
    response = client.post(
        conversation_url(service_request),
        {"reply-body": "请提供护照复印件。", "_reply": "1"},
        follow=True,
    )
    assert "您的答复已发送给该公司。" in response.content.decode()
    assert OutboxMessage.objects.get(kind="service_request_message").recipient == member.email
