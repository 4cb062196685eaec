"""GET /api/v1/reports/kpi: the KPI report for a key with `reports:read`."""

import pytest

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
