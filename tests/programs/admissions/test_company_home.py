"""A company's home reflects where it is in its journey: enrolled, applied, or not yet."""

import pytest

from programs.journey import services as journey
from tests.companies.factories import ApplicationFactory, IntakeFactory
from tests.companies.portal import html
from tests.programs.factories import CohortFactory

pytestmark = pytest.mark.django_db


def test_a_resident_company_sees_its_journey_not_an_invitation_to_apply(signed_in, owner):
    intake = IntakeFactory()
    journey.enrollment_create(
        company=owner.membership.company, cohort=CohortFactory(), actor=None, reason="Resident."
    )
    page = html(signed_in.get("/portal/company/"))
    assert 'id="journey-summary"' in page and 'data-stage="incubation"' in page
    assert "You have not applied yet." not in page
    assert f"/portal/intakes/{intake.pk}/apply/" not in page


def test_an_applicant_sees_its_application_and_a_newcomer_the_open_calls(signed_in, owner):
    intake = IntakeFactory()
    page = html(signed_in.get("/portal/company/"))
    assert "You have not applied yet." in page
    assert f"/portal/intakes/{intake.pk}/apply/" in page
    assert 'id="journey-summary"' not in page

    application = ApplicationFactory(company=owner.membership.company, intake=intake)
    page = html(signed_in.get("/portal/company/"))
    assert f"/portal/applications/{application.pk}/continue/" in page
    assert f"/portal/intakes/{intake.pk}/apply/" not in page  # applied already


def test_a_company_that_applied_to_every_open_call_is_shown_its_application(signed_in, owner):
    intake = IntakeFactory()
    application = ApplicationFactory(
        company=owner.membership.company, intake=intake, status="withdrawn"
    )

    page = html(signed_in.get("/portal/company/"))

    # The call is open: the page does not say none is, nor promise an e-mail that none sends.
    intakes = page.split('id="intakes-title"')[1].split("</section>")[0]
    assert "No program is open" not in intakes and "e-mail" not in intakes
    applied = intakes.split('id="applied-open"')[1].split("</ul>")[0]
    assert str(intake) in applied and "withdrawn" in applied
    assert f"/portal/applications/{application.pk}/" in applied


def test_with_no_open_call_the_page_says_where_the_next_one_appears(signed_in, owner):
    page = html(signed_in.get("/portal/company/"))
    assert "No program is open for applications right now." in page
    intakes = page.split('id="intakes-title"')[1].split("</section>")[0]
    assert "appear on this page" in intakes and "e-mail" not in intakes
