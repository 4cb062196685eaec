"""The API takes what its schema says and nothing else: a parameter, a field or a value it
does not take is a 400 that names it, where DRF and django-filter passed it over."""

import pytest
from django.utils import timezone

from companies.webhooks.models import WebhookEndpoint
from events.models import Registration
from incubator.api.schema import PublicSchemaGenerator
from programs.models import Enrollment
from tests.api.keys import EVERY_SCOPE
from tests.companies.factories import CompanyFactory
from tests.events.factories import EventFactory
from tests.programs.factories import CohortFactory

pytestmark = pytest.mark.django_db
COMPANIES = "/api/v1/companies/"


def _enrolled():
    company = CompanyFactory(consent_to_partners=True, sector="ai")
    Enrollment.objects.create(
        company=company, cohort=CohortFactory(), stage="incubation", started_on=timezone.localdate()
    )
    return company


def _parameters(path: str, method: str = "get") -> dict:
    operation = PublicSchemaGenerator().get_schema(public=True)["paths"][path][method]
    return {parameter["name"]: parameter for parameter in operation.get("parameters", [])}


def test_an_unknown_query_parameter_is_a_400_naming_it_and_those_the_list_takes(api_client):
    _enrolled()
    client = api_client(EVERY_SCOPE)

    typo = client.get(COMPANIES, {"sectr": "education"})  # answered every company

    assert typo.status_code == 400
    message = typo.json()["fields"]["sectr"][0]
    assert message.startswith("Unknown parameter: this endpoint takes ")
    for name in ("sector", "stage", "search", "ordering", "page", "page_size"):
        assert name in message
    assert client.get(COMPANIES, {"sector": "ai", "format": "json"}).status_code == 200
    # One object's address reads no page; a list without filters takes no `status`.
    assert client.get(f"{COMPANIES}{_enrolled().pk}/", {"page": "2"}).status_code == 400
    assert client.get("/api/v1/inquiries/", {"status": "x"}).status_code == 400
    agenda = client.get("/api/v1/meeting-agenda/", {"event": 1, "person": 1, "evnt": 1})
    assert agenda.status_code == 400 and set(agenda.json()["fields"]) == {"evnt"}
    kpi = client.get("/api/v1/reports/kpi", {"from": "2021-01-01", "to": "2021-01-31", "x": 1})
    assert kpi.status_code == 400 and set(kpi.json()["fields"]) == {"x"}


@pytest.mark.parametrize("size", ["abc", "0", "-5", "1.5"])
def test_a_page_size_that_is_not_a_whole_number_from_1_is_a_400(api_client, size):
    refused = api_client(EVERY_SCOPE).get(COMPANIES, {"page_size": size})
    assert refused.status_code == 400
    assert refused.json()["fields"] == {"page_size": ["A page holds from 1 to 100 rows."]}


def test_the_schema_bounds_page_and_page_size():
    parameters = _parameters("/api/v1/companies/")
    assert parameters["page"]["schema"]["minimum"] == 1
    assert {"minimum": 1, "maximum": 100}.items() <= parameters["page_size"]["schema"].items()


def test_ordering_is_offered_only_by_the_lists_that_order_by_something(api_client):
    client = api_client(EVERY_SCOPE)
    for path in ("/api/v1/people/", "/api/v1/inquiries/", "/api/v1/interests/"):
        assert "ordering" not in _parameters(path), path
        refused = client.get(path, {"ordering": "id"})
        assert refused.status_code == 400 and set(refused.json()["fields"]) == {"ordering"}, path
    listings = _parameters("/api/v1/technologies/")["ordering"]
    assert listings["description"].startswith("Order by one of published_at, id;")
    assert client.get("/api/v1/technologies/", {"ordering": "-published_at"}).status_code == 200


def test_a_format_the_api_does_not_answer_in_is_a_406_not_a_404(api_client):
    refused = api_client(EVERY_SCOPE).get(COMPANIES, {"format": "xlsx"})
    assert refused.status_code == 406
    assert refused.json() == {
        "code": "not_acceptable",
        "message": "This API answers in JSON only.",
        "fields": {},
    }


def test_an_unknown_or_read_only_body_field_is_a_400_naming_it(api_client, person):
    client = api_client(EVERY_SCOPE)
    event = EventFactory()

    extra = client.post(
        "/api/v1/registrations/",
        {"event": event.pk, "person": person.pk, "status": "registered", "hack": 1},
    )
    endpoint = client.post(
        "/api/v1/webhooks/",
        {"url": "https://127.0.0.1:8443/h", "event_types": ["meeting.moved"]},
    ).json()
    patched = client.patch(
        f"/api/v1/webhooks/{endpoint['id']}/",
        {"descripton": "CRM", "secret": "whsec_mine", "id": 99, "created_at": "2020-01-01"},
    )

    assert extra.status_code == 400
    assert set(extra.json()["fields"]) == {"status", "hack"}
    assert extra.json()["fields"]["hack"] == ["Unknown field: this call takes event, person."]
    assert not Registration.objects.exists()
    assert patched.status_code == 400
    fields = patched.json()["fields"]
    assert set(fields) == {"descripton", "secret", "id", "created_at"}
    assert fields["id"] == ["This field is read only: it cannot be set."]
    assert WebhookEndpoint.objects.get().description == ""


def test_a_value_of_another_json_type_than_the_schemas_is_a_400(api_client, person):
    client = api_client(EVERY_SCOPE)
    event = EventFactory()
    endpoint = client.post(
        "/api/v1/webhooks/", {"url": "https://127.0.0.1:8443/h", "event_types": ["meeting.moved"]}
    ).json()

    answers = {
        "id as text": client.post(
            "/api/v1/registrations/", {"event": str(event.pk), "person": person.pk}
        ),
        "id as a float": client.post(
            "/api/v1/registrations/", {"event": float(event.pk), "person": person.pk}
        ),
        "id as true": client.post("/api/v1/registrations/", {"event": True, "person": person.pk}),
        "yes for true": client.patch(f"/api/v1/webhooks/{endpoint['id']}/", {"is_active": "yes"}),
        "1 for true": client.patch(f"/api/v1/webhooks/{endpoint['id']}/", {"is_active": 1}),
        "a number as text": client.patch(
            f"/api/v1/webhooks/{endpoint['id']}/", {"description": 42}
        ),
        "a type not a list": client.patch(
            f"/api/v1/webhooks/{endpoint['id']}/", {"event_types": "meeting.moved"}
        ),
    }

    assert {name: answer.status_code for name, answer in answers.items()} == dict.fromkeys(
        answers, 400
    )
    assert answers["id as text"].json()["fields"] == {"event": ["A valid integer is required."]}
    assert answers["yes for true"].json()["fields"] == {"is_active": ["Must be a valid boolean."]}
    assert not Registration.objects.exists()
    assert WebhookEndpoint.objects.get().description == ""
    registered = client.post("/api/v1/registrations/", {"event": event.pk, "person": person.pk})
    assert registered.status_code == 201


def test_the_request_bodies_of_the_schema_take_no_other_property():
    schemas = PublicSchemaGenerator().get_schema(public=True)["components"]["schemas"]
    for name in ("RegistrationCreateRequest", "WebhookEndpointRequest", "InterestRequest"):
        assert schemas[name]["additionalProperties"] is False, name
    assert schemas["WebhookEndpointRequest"]["properties"]["event_types"]["minItems"] == 1
