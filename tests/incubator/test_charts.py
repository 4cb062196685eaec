"""The dashboard's bar charts: every label shows, within the chart, whatever its language."""

import re

from incubator.dashboard.charts import LABEL_WIDTH_MAX, bar_chart

STAGE = "industrialization (industry export, local production)"


def _labels_and_bars(svg: str) -> list[tuple[str, int, int]]:
    labels = re.findall(r'<text class="dash-label" x="(\d+)"[^>]*>([^<]*)</text>', svg)
    bars = re.findall(r'<rect class="dash-bar" x="(\d+)"', svg)
    return [(text, int(x), int(bar)) for (x, text), bar in zip(labels, bars, strict=True)]


def test_a_long_label_widens_its_column_instead_of_running_off_the_chart():
    svg = bar_chart("stages", "Stages", [("incubation", 6), (STAGE, 1)])
    (short, x, bar), (long, long_x, _bar) = _labels_and_bars(svg)
    assert (short, long) == ("incubation", STAGE)
    assert x == long_x and bar > x  # right-aligned at the bars' edge
    assert len(STAGE) * 7 <= x  # room for the whole label at the left of that edge
    assert f"{STAGE}: 1" in svg  # the description names it too


def test_a_label_longer_than_the_widest_column_ends_in_an_ellipsis():
    name = "산업화(산업 수출, 현지 생산) " * 4
    svg = bar_chart("stages", "단계", [(name, 1)])
    [(text, x, _bar)] = _labels_and_bars(svg)
    assert text.endswith("…") and name.startswith(text[:-1])
    assert x <= LABEL_WIDTH_MAX
    assert f"{name}: 1" in svg  # whole in the description


def test_short_labels_keep_a_column_of_the_least_width():
    [(_text, x, _bar)] = _labels_and_bars(bar_chart("c", "C", [("AI", 5)]))
    assert x >= 100


def test_each_column_says_its_number_above_it_and_an_empty_one_says_nothing():
    from incubator.dashboard.charts import column_chart

    svg = column_chart(
        "activity", "A", ["26.01", "26.02"], [("Events", [2, 0]), ("Meetings", [16, 9])]
    )
    numbers = re.findall(
        r'<text class="dash-value dash-number" x="[\d.]+" y="(\d+)"[^>]*>(\d+)</text>', svg
    )
    assert [n for _y, n in numbers] == ["2", "16", "9"]
    rects = re.findall(r'<rect class="dash-series-[ab]" x="[\d.]+" y="(\d+)"', svg)
    tops = [int(y) for y in rects[2:]]  # after the legend's two: 2, 0, 16, 9
    assert [int(y) for y, _n in numbers] == [tops[0] - 3, tops[2] - 3, tops[3] - 3]
    assert min(int(y) for y, _n in numbers) > 16  # under the legend
