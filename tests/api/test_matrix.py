"""Every operation of the partner API under the seven callers of tests/api/matrix.txt.

    API_MATRIX_RECORD=var/api-matrix.recorded.txt pytest tests/api/test_matrix.py

records what the code answers, in the table's layout, to diff against matrix.txt.
"""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from companies.exchange import partner_services
from companies.exchange.models import TechnologyListing
from companies.models import Company
from companies.webhooks.services import webhook_endpoint_create
from events.matching import services as meetings
from programs.models import Enrollment
from tests.api import matrix
from tests.api.keys import client_with
from tests.companies.factories import (
    CompanyFactory,
    MembershipFactory,
    TechnologyListingFactory,
)
from tests.events.factories import (
    EventFactory,
    PartnerOrganisationFactory,
    PartnerPersonFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
    meeting_slots,
)
from tests.programs.factories import CohortFactory

pytestmark = pytest.mark.django_db
WEBHOOK = {"url": "https://127.0.0.1:8443/hooks", "event_types": ["meeting.confirmed"]}


def build_world() -> dict:
    """Partner A's objects (and public ones); returns the ids the paths take."""
    organisation = PartnerOrganisationFactory(name_en="Partner A")
    organisation_b = PartnerOrganisationFactory(name_en="Partner B")
    person = PartnerPersonFactory(organisation=organisation)
    PartnerPersonFactory(organisation=organisation_b)
    # The second one for a new interest: marking the first again changes it (200).
    company, unmarked = (CompanyFactory(consent_to_partners=True) for _ in range(2))
    for enrolled in (company, unmarked):
        Enrollment.objects.create(
            company=enrolled,
            cohort=CohortFactory(),
            stage="acceleration",
            started_on=timezone.localdate(),
        )
    MembershipFactory(company=company)
    listing, other_listing = (
        TechnologyListingFactory(company=company, status=TechnologyListing.Status.APPROVED)
        for _ in range(2)
    )
    inquiry = partner_services.inquiry_send(actor=person.user, listing=listing, message="Terms?")
    interest = partner_services.interest_mark(actor=person.user, company=company)
    event = EventFactory(meeting_tables=4, interpreters_per_slot=1)
    meeting_slots(event, count=2)
    registration = PartnerRegistrationFactory(event=event, person=person)
    other_event = EventFactory()
    startup = StartupRegistrationFactory(event=event)
    Company.objects.filter(pk=startup.company_id).update(consent_to_partners=True)
    asked = meetings.meeting_request_create(
        from_registration=registration, to_registration=startup, priority="must"
    )
    second_startup = StartupRegistrationFactory(event=event)
    # A startup's request to partner A's person, for them to accept or decline.
    received = meetings.meeting_request_create(
        from_registration=StartupRegistrationFactory(event=event), to_registration=registration
    )
    Company.objects.filter(pk=second_startup.company_id).update(consent_to_partners=True)
    endpoint, _secret = webhook_endpoint_create(
        actor=organisation,
        organisation=organisation,
        url=WEBHOOK["url"],
        event_types=WEBHOOK["event_types"],
    )
    ids = {
        "id": company.pk,
        ("/api/v1/companies/{id}/", "id"): company.pk,
        ("/api/v1/webhooks/{id}/", "id"): endpoint.pk,
        ("/api/v1/webhooks/{id}/rotate-secret/", "id"): endpoint.pk,
        ("/api/v1/technologies/{id}/", "id"): listing.pk,
        ("/api/v1/inquiries/{id}/", "id"): inquiry.pk,
        ("/api/v1/interests/{id}/", "id"): interest.pk,
        ("/api/v1/people/{id}/", "id"): person.pk,
        ("/api/v1/events/{id}/", "id"): event.pk,
        ("/api/v1/events/{id}/ics", "id"): event.pk,
        ("/api/v1/registrations/{id}/", "id"): registration.pk,
        ("/api/v1/registrations/{id}/cancel/", "id"): registration.pk,
        ("/api/v1/meeting-requests/{id}/", "id"): asked.pk,
        ("/api/v1/meeting-requests/{id}/withdraw/", "id"): asked.pk,
        ("/api/v1/meeting-requests/{id}/accept/", "id"): received.pk,
        ("/api/v1/meeting-requests/{id}/decline/", "id"): received.pk,
    }
    bodies = {
        # Another URL than the endpoint's of the world: one endpoint per URL (409).
        ("POST", "/api/v1/webhooks/"): {**WEBHOOK, "url": "https://127.0.0.1:8443/other"},
        ("PUT", "/api/v1/webhooks/{id}/"): WEBHOOK,
        ("PATCH", "/api/v1/webhooks/{id}/"): {"description": "CRM"},
        ("POST", "/api/v1/inquiries/"): {
            "listing": other_listing.pk,
            "person": person.pk,
            "message": "Licence terms?",
        },
        ("POST", "/api/v1/interests/"): {"company": unmarked.pk, "person": person.pk},
        ("POST", "/api/v1/registrations/"): {"event": other_event.pk, "person": person.pk},
        ("POST", "/api/v1/meeting-requests/"): {
            "event": event.pk,
            "from_person": person.pk,
            "to_participant": second_startup.pk,
            "priority": "would_like",
            "message": "Hello",
        },
        ("GET", "/api/v1/meeting-participants/"): f"?event={event.pk}&person={person.pk}",
        ("GET", "/api/v1/meeting-agenda/"): f"?event={event.pk}&person={person.pk}",
        ("GET", "/api/v1/reports/kpi"): "?from=2024-01-01&to=2024-12-31",
    }
    return {
        "keys": matrix.make_keys(organisation, organisation_b),
        "ids": ids,
        "bodies": bodies,
        "person": person,
    }


def test_every_operation_answers_each_caller_as_the_table_says(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"partner_key": "100000/minute"},
    }
    world = build_world()
    table = matrix.read_table()
    operations = matrix.operations()
    missing = [f"{m} {p}" for m, p in operations if (m, p) not in table]
    gone = [f"{m} {p}" for m, p in table if (m, p) not in operations]
    record = os.environ.get("API_MATRIX_RECORD")
    seen = {}
    for method, path in operations:
        line = table.get((method, path)) or matrix.Line(method, path, "?", {})
        seen[(method, path)] = matrix.observe(line, world["keys"], world["ids"], world["bodies"])
    if record:
        rows = [
            f"{m:<7}{p:<61}{table.get((m, p), matrix.Line(m, p, '?', {})).scope:<20}"
            + "".join(f"{seen[(m, p)][c]:>{len(c) + 1}}" for c in matrix.CALLERS)
            for m, p in operations
        ]
        Path(record).write_text("\n".join(rows) + "\n")
    assert not missing, "operations without their line in tests/api/matrix.txt:\n" + "\n".join(
        missing
    )
    assert not gone, "lines of tests/api/matrix.txt for no operation:\n" + "\n".join(gone)
    differ = [
        f"{m} {p} {caller}: expected {table[(m, p)].statuses[caller]}, got {status}"
        for (m, p), by_caller in seen.items()
        for caller, status in by_caller.items()
        if status != table[(m, p)].statuses[caller]
    ]
    cells = len(operations) * len(matrix.CALLERS)
    print(f"API matrix: {len(operations)} operations x {len(matrix.CALLERS)} callers = {cells}")
    assert not differ, f"{len(differ)} of {cells} differ:\n" + "\n".join(differ)


OFFSET_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)$")


def _times(value, key=""):
    """Yield (key, time) for every time with an offset in a JSON answer."""
    if isinstance(value, dict):
        for name, inner in value.items():
            yield from _times(inner, name)
    elif isinstance(value, list):
        for inner in value:
            yield from _times(inner, key)
    elif isinstance(value, str) and OFFSET_TIME.match(value):
        yield key, value


def test_every_time_the_api_answers_is_in_utc_with_z_or_names_its_zone():
    # Inquiries, interests, listings and webhook endpoints wrote the server's +08:00 while
    # events and meetings wrote Z. A field in an event's own zone says so in its name.
    world = build_world()
    client = client_with(world["keys"].valid)
    wrong = []
    for method, path in matrix.operations():
        if method != "GET" or path.endswith("/ics"):
            continue
        url = matrix.url_of(path, world["ids"])
        query = world["bodies"].get((method, path))
        response = client.get(url + (query if isinstance(query, str) else ""))
        assert response.status_code == 200, (path, response.content)
        wrong += [
            f"{path} {key}: {moment}"
            for key, moment in _times(response.json())
            if not moment.endswith("Z") and not key.startswith("local_")
        ]
    assert not wrong, "\n".join(wrong)
