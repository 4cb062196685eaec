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
