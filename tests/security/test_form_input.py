"""Input that fuzzing once turned into a 500 is a clear field error and saves nothing."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from companies.models import Invitation
from events.judging import services as judging
from events.matching import services as meetings
from events.models import MeetingRequest, Score
from incubator import roles
from incubator.models import OutboxMessage
from programs import stages
from programs.models import QuarterlyReport
from tests.companies.factories import CompanyFactory, StaffFactory
from tests.events.factories import (
    EventFactory,
    GuestRegistrationFactory,
    PartnerRegistrationFactory,
    RegistrationFactory,
)
from tests.security.conftest import signed_in

pytestmark = pytest.mark.django_db

FORTY_NINES = "9" * 40


def test_a_score_of_forty_nines_is_a_field_error(client, sheet):
    assignment, (technology, market) = sheet
    signed_in(client, assignment.judge)
    response = client.post(
        reverse("events:judging-score", args=[assignment.pk]),
        {f"score_{technology.pk}": FORTY_NINES, f"score_{market.pk}": "4", "action": "submit"},
    )
    assert response.status_code == 400
    assert "Ensure that there are no more than 5 digits in total." in response.content.decode()
    assert not Score.objects.exists()


def test_the_score_service_refuses_forty_nines_as_out_of_range(sheet):
    assignment, (technology, market) = sheet
    with pytest.raises(ValidationError) as error:
        judging.score_submit(
            assignment=assignment,
            scores={technology.pk: (FORTY_NINES, ""), market.pk: ("4", "")},
            judge=assignment.judge,
        )
    assert error.value.message_dict == {str(technology.pk): ["Give a score from 0 to 10."]}


@pytest.mark.parametrize("raw", ["1.234", "1E-99999999"])
def test_the_score_service_counts_decimal_places_without_rounding(sheet, raw):
    assignment, (technology, market) = sheet
    with pytest.raises(ValidationError) as error:
        judging.score_submit(
            assignment=assignment,
            scores={technology.pk: (raw, ""), market.pk: ("4", "")},
            judge=assignment.judge,
        )
    assert error.value.message_dict == {str(technology.pk): ["Use at most two decimal places."]}


def test_trailing_zeros_are_not_decimal_places(sheet):
    assignment, (technology, market) = sheet
    judging.score_submit(
        assignment=assignment,
        scores={technology.pk: ("7.500", ""), market.pk: ("4", "")},
        judge=assignment.judge,
        submit=False,
    )
    assert Score.objects.get(criterion=technology).value == Decimal("7.5")


def test_a_nul_byte_in_a_judging_comment_is_a_field_error(client, sheet):
    assignment, (technology, market) = sheet
    signed_in(client, assignment.judge)
    response = client.post(
        reverse("events:judging-score", args=[assignment.pk]),
        {
            f"score_{technology.pk}": "8",
            f"score_{market.pk}": "4",
            f"comment_{technology.pk}": "Strong\x00patents",
            "action": "submit",
        },
    )
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    assert not Score.objects.exists()
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_an_invitation_address_over_254_characters_is_a_field_error(client, member):
    address = "a" * 250 + "@example.kr"
    signed_in(client, member)
    outbox = OutboxMessage.objects.count()
    response = client.post(reverse("programs:member-invite"), {"email": address})
    assert response.status_code == 200
    assert "Ensure this value has at most 254 characters (it has 261)." in response.content.decode()
    assert not Invitation.objects.exists()
    assert OutboxMessage.objects.count() == outbox


def test_a_count_past_the_integer_column_is_a_field_error(client, member, enrolled_on):
    signed_in(client, member)
    quarter = stages.quarter_of(enrolled_on)
    response = client.post(
        reverse("programs:report-create"),
        {
            "period": f"{quarter.year}-{quarter.quarter}",
            "revenue": "1000",
            "revenue_currency": "CNY",
            "employees_china": "3",
            "employees_korea": "2",
            "funding_raised": "0",
            "funding_currency": "CNY",
            "customers_china": str(2**63),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a number from 0 to 1,000,000." in page and "2147483647" not in page
    assert not QuarterlyReport.objects.exists()


@pytest.mark.parametrize("posted", ["abc", "1\x00", "9" * 40, ""])
def test_a_forged_check_in_id_is_a_404_and_checks_nobody_in(client, posted):
    registration = GuestRegistrationFactory(event=EventFactory())
    door = StaffFactory()
    door.groups.add(Group.objects.get(name=roles.EVENT_COORDINATOR))
    signed_in(client, door)
    url = reverse("events:check-in", args=[registration.event.pk])
    assert client.post(url, {"registration": posted}).status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


@pytest.mark.parametrize("answer", ["yes", "accept\x00", ""])
def test_an_answer_no_button_sends_leaves_the_request_pending(client, answer):
    startup = RegistrationFactory(membership__company=CompanyFactory(consent_to_partners=True))
    partner = PartnerRegistrationFactory(event=startup.event)
    request = meetings.meeting_request_create(from_registration=startup, to_registration=partner)
    signed_in(client, partner.user)
    url = reverse("events:meeting-request-respond", args=[request.pk])
    response = client.post(url, {"answer": answer}, follow=True)
    assert "The form could not be read; nothing was changed." in response.content.decode()
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.PENDING
