"""Charts drawn on the server as inline SVG: no script, no library, no CDN.

Each chart has a <title> (its accessible name) and a <desc>; the page shows the same
numbers in a table next to it, each linked to its admin list.
"""

import unicodedata

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_HEIGHT, BAR_GAP, BAR_AREA, VALUE_WIDTH = 22, 8, 220, 50
# A bar's label is set right of nothing and left of its bar: the column is as wide as the
# longest label (12 px type: about 7 px a Latin letter, 12 an ideograph or a Hangul
# syllable), within these bounds; a label still longer ends in an ellipsis (the table
# under the chart has it whole).
LABEL_WIDTH_MIN, LABEL_WIDTH_MAX = 120, 400
# Above the columns, under the legend, a line for the tallest column's number.
COLUMN_AREA_HEIGHT, AXIS_HEIGHT, LEGEND_HEIGHT, NUMBER_HEIGHT = 160, 36, 24, 14
SERIES_CLASSES = ("dash-series-a", "dash-series-b", "dash-series-c")


def _svg(chart_id: str, title, desc, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="dash-chart" role="img" aria-labelledby="{0}-title {0}-desc" '
        'viewBox="0 0 {1} {2}" width="{1}" height="{2}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>{5}</svg>',
        chart_id,
        width,
        height,
        title,
        desc,
        body,
    )


def _scale(values) -> int:
    return max([v or 0 for v in values] + [1])


def _text_width(text: str) -> int:
    return sum(12 if unicodedata.east_asian_width(c) in "WF" else 7 for c in text)


def _fitted(text: str, width: int) -> str:
    while _text_width(text) > width and len(text) > 1:
        text = text[:-2] + "…"
    return text


def bar_chart(chart_id: str, title, rows: list[tuple[object, int]]) -> SafeString:
    """Return horizontal bars, one per (label, value), longest for the largest value."""
    top = _scale(value for _label, value in rows)
    longest = max([_text_width(str(label)) for label, _value in rows] + [0])
    label_width = min(max(longest + 12, LABEL_WIDTH_MIN), LABEL_WIDTH_MAX)
    step = BAR_HEIGHT + BAR_GAP
    cells = []
    for n, (label, value) in enumerate(rows):
        y, length = n * step, round(BAR_AREA * (value or 0) / top)
        text_y = y + round(BAR_HEIGHT * 0.7)
        label = _fitted(str(label), label_width - 12)
        cells.append(
            (label_width - 8, text_y, label, label_width, y, max(length, 1), BAR_HEIGHT)
            + (label_width + length + 6, text_y, value)
        )
    body = format_html_join(
        "",
        '<text class="dash-label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect class="dash-bar" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text class="dash-value" x="{}" y="{}">{}</text>',
        cells,
    )
    desc = "; ".join(f"{label}: {value}" for label, value in rows)
    width = label_width + BAR_AREA + VALUE_WIDTH
    return _svg(chart_id, title, desc, width, max(len(rows) * step, step), body)


def column_chart(
    chart_id: str, title, categories: list[str], series: list[tuple[object, list[int]]]
) -> SafeString:
    """Return grouped columns: one group per category, one column per series, a legend."""
    top = _scale(v for _name, values in series for v in values)
    group = 44
    width = max(len(categories), 1) * group + 20
    column = (group - 8) / max(len(series), 1)
    baseline = LEGEND_HEIGHT + NUMBER_HEIGHT + COLUMN_AREA_HEIGHT
    parts, numbers = [], []
    for s, (_name, values) in enumerate(series):
        css = SERIES_CLASSES[s % len(SERIES_CLASSES)]
        for c, value in enumerate(values):
            height = round(COLUMN_AREA_HEIGHT * (value or 0) / top)
            x = 10 + c * group + 4 + s * column
            parts.append((css, round(x, 1), baseline - height, round(column - 2, 1), height))
            if value:
                # Each column says its number: a series of 2s beside one of 16 reads as
                # nothing but a line otherwise.
                numbers.append((round(x + (column - 2) / 2, 1), baseline - height - 3, value))
    columns = format_html_join(
        "", '<rect class="{}" x="{}" y="{}" width="{}" height="{}"></rect>', parts
    ) + format_html_join(
        "",
        '<text class="dash-value dash-number" x="{}" y="{}" text-anchor="middle">{}</text>',
        numbers,
    )
    axis = format_html_join(
        "",
        '<text class="dash-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((10 + c * group + group / 2, baseline + 16, label) for c, label in enumerate(categories)),
    )
    legend = format_html_join(
        "",
        '<rect class="{}" x="{}" y="4" width="12" height="12"></rect>'
        '<text class="dash-legend" x="{}" y="15">{}</text>',
        (
            (SERIES_CLASSES[s % len(SERIES_CLASSES)], 10 + s * 180, 28 + s * 180, name)
            for s, (name, _values) in enumerate(series)
        ),
    )
    body = format_html(
        '{}<line class="dash-baseline" x1="10" y1="{}" x2="{}" y2="{}"></line>{}{}',
        legend,
        baseline,
        width - 10,
        baseline,
        columns,
        axis,
    )
    desc = "; ".join(
        f"{name}: " + ", ".join(f"{c} {v}" for c, v in zip(categories, values, strict=True))
        for name, values in series
    )
    return _svg(chart_id, title, desc, width, baseline + AXIS_HEIGHT, body)
