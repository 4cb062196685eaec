"""The load test's verdicts (bench/bench_load.py `report`): a page's p50 is held to 5x (the
API's to 3x) a floor of 100 rows, and only judged when the floors list their 100 rows."""

import pytest

from bench import bench_load
from bench.protocol import problems
from bench.server import Load


def loads(page_ms: float) -> tuple[dict, tuple[Load, int]]:
    results = {page.name: Load(seconds=[0.010], wall=1.0) for page in bench_load.FLOORS.values()}
    for page in bench_load.PAGES:
        results[page.name] = Load(seconds=[page_ms / 1000], wall=1.0)
    return results, (Load(seconds=[page_ms / 1000], wall=1.0), 50)


def verdicts(figures: list[dict]) -> dict[str, bool | None]:
    return {f["figure"]: f["met"] for f in figures if f["figure"].endswith(", p50")}


@pytest.mark.parametrize(("page_ms", "met"), [(25.0, True), (60.0, False)])
def test_with_100_row_floors_each_p50_is_judged_against_its_floor(page_ms, met, capsys):
    results, board = loads(page_ms)
    figures = bench_load.report(results, bench_load.PAGES, board, floor_rows=100)
    assert problems(figures) == []
    judged = verdicts(figures)
    html = [name for name in judged if "API" not in name and "floor" not in name]
    assert {judged[name] for name in html} == {met}
    # 25 ms is 2.5x the JSON floor, 60 ms 6x: the API's 3x gives the same verdicts.
    assert judged["load: API company list, p50"] is met
    assert ("MISSED" in capsys.readouterr().out) is not met


def test_with_floors_of_fewer_rows_no_p50_is_judged_and_the_errors_still_are(capsys):
    results, board = loads(60.0)
    results["landing page"].errors.append("GET /: 500")
    figures = bench_load.report(results, bench_load.PAGES, board, floor_rows=14)
    assert problems(figures) == []  # no target where there is no verdict
    assert set(verdicts(figures).values()) == {None}
    errors = next(f for f in figures if f["figure"] == "load: errors")
    assert errors["met"] is False
    out = capsys.readouterr().out
    assert "the floors list 14 rows, not 100: the p50 ratios are printed, not judged" in out
    assert "MISSED" in out  # the error, not a time
