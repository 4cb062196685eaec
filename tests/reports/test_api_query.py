"""GET /api/v1/reports/kpi's query: each error under the parameter it is about."""

from incubator.reports.api import KpiQuery


def _errors(query: dict) -> dict:
    serializer = KpiQuery(data=query)
    assert not serializer.is_valid()
    return serializer.errors


def test_an_out_of_range_from_is_reported_under_from():
    errors = _errors({"from": "1999-12-31", "to": "2024-03-31"})
    assert list(errors) == ["from"]
    assert "2000-01-01" in str(errors["from"][0])


def test_an_out_of_range_to_and_a_reversed_period_are_reported_under_to():
    assert list(_errors({"from": "2024-03-01", "to": "2100-01-01"})) == ["to"]
    assert list(_errors({"from": "2024-03-31", "to": "2024-03-01"})) == ["to"]


def test_two_days_out_of_range_are_both_reported():
    assert sorted(_errors({"from": "0001-01-01", "to": "0001-01-02"})) == ["from", "to"]
