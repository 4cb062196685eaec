"""GET /api/v1/reports/kpi: the KPI report for a key with `reports:read`."""

import pytest
from rest_framework.test import APIClient

from companies.apikeys import demo
from tests.api.keys import client_with
from tests.reports.world import build

URL = "/api/v1/reports/kpi"
pytestmark = pytest.mark.django_db


def test_the_report_of_a_period_in_json(api_client):
    build()
    client = api_client("reports:read")
    response = client.get(URL, {"from": "2024-03-01", "to": "2024-03-31"})
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {"from": "2024-03-01", "to": "2024-03-31"}
    leads = data["sections"][0]
    assert leads["key"] == "leads" and leads["title"] == "Leads"
    by_source = {row["key"]: row["values"]["count"] for row in leads["tables"][0]["rows"]}
    # The world's 7 leads cycle through 5 sources and 5 moments, 3 of which are in March.
    assert sum(by_source.values()) == 4
    assert all(isinstance(n, int) for n in by_source.values())


def test_labels_in_the_language_of_accept_language(api_client):
    client = api_client("reports:read")
    response = client.get(
        URL, {"from": "2024-03-01", "to": "2024-03-31"}, HTTP_ACCEPT_LANGUAGE="ko"
    )
    events = next(s for s in response.json()["sections"] if s["key"] == "events")
    assert events["title"] == "행사"


def test_a_key_without_the_scope_is_refused(api_client):
    response = api_client("events:read").get(URL, {"from": "2024-03-01", "to": "2024-03-31"})
    assert response.status_code == 403
    assert response.json()["code"] == "scope_missing"


@pytest.mark.parametrize(
    "query, field",
    [
        ({}, "from"),
        ({"from": "2024-03-01"}, "to"),
        ({"from": "2024-3-1", "to": "2024-03-31"}, "from"),
        ({"from": "2024-03-31", "to": "2024-03-01"}, "to"),
        ({"from": "2015-01-01", "to": "2024-03-31"}, "to"),
        ({"from": "0001-01-01", "to": "0001-01-02"}, "to"),
        ({"from": "9999-12-30", "to": "9999-12-31"}, "to"),
    ],
)
def test_bad_dates_are_a_400_in_the_error_shape(api_client, query, field):
    response = api_client("reports:read").get(URL, query)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]


def test_a_day_the_calendar_has_not_is_told_as_such_in_the_callers_language(api_client):
    client = api_client("reports:read")
    query = {"from": "2024-02-30", "to": "2024-03-31"}
    english = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["fields"] == {"from": ["There is no such day: 2024-02-30."]}
    badly_written = client.get(URL, {**query, "from": "2024-3-1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert badly_written.json()["fields"]["from"] == [
        "Write the day as YYYY-MM-DD, e.g. 2024-03-01."
    ]
    korean = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="ko").json()
    assert "2024-02-30" in korean["fields"]["from"][0]
    assert korean["fields"]["from"] != english["fields"]["from"]


def test_a_day_given_twice_is_a_400_not_the_last_one_read(api_client):
    client = api_client("reports:read")
    response = client.get(URL + "?from=2024-03-01&from=2024-03-02&to=2024-03-31")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["from"]
    # A list filter that takes several values still takes them.
    events = api_client("events:read")
    assert events.get("/api/v1/events/?kind=roadshow&kind=competition").status_code == 200


def test_the_demo_gives_the_report_to_the_countys_key_and_not_to_the_investors(organisation):
    county = client_with(demo.ensure_county_key(organisation))
    investor = client_with(demo.ensure_demo_key(organisation))
    period = {"from": "2024-03-01", "to": "2024-03-31"}
    assert county.get(URL, period).status_code == 200
    refused = investor.get(URL, period)
    assert refused.status_code == 403 and refused.json()["code"] == "scope_missing"
    # Every other scope stays the investor's: its own events, meetings, exchange.
    assert investor.get("/api/v1/events/").status_code == 200


def test_without_accept_language_the_labels_are_korean_and_say_so(api_client):
    client = APIClient()  # no Accept-Language, as a plain HTTP library sends
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_client('reports:read').key}")
    response = client.get(URL, {"from": "2024-03-01", "to": "2024-03-31"})
    assert response.status_code == 200
    assert response["Content-Language"] == "ko"
    events = next(s for s in response.json()["sections"] if s["key"] == "events")
    assert events["title"] == "행사"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_lang_parameter_is_a_400_that_points_to_accept_language(api_client, language):
    client = api_client("reports:read")
    query = {"from": "2024-03-01", "to": "2024-03-31", "lang": "en"}
    response = client.get(URL, query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and set(body["fields"]) == {"lang"}
    unknown, hint = body["fields"]["lang"]
    assert "from" in unknown and "to" in unknown
    assert "Accept-Language" in hint and "?lang=" in hint
    # The header the hint names does what it says.
    english = client.get(URL, {"from": "2024-03-01", "to": "2024-03-31"})
    assert english["Content-Language"] == "en"
    assert english.json()["sections"][0]["title"] == "Leads"
