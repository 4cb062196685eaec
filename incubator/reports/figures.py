"""The shapes of a report's figures: tables of labelled rows and columns.

A section computes its tables once, language-free; labels are lazy translations (or
plain codes such as a currency) that the workbook, the e-mail and the API turn into
text in their reader's language.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _

Number = int | Decimal | float | None

COUNT = _("Count")


@dataclass(frozen=True)
class Column:
    key: str
    label: object


@dataclass(frozen=True)
class Row:
    key: str
    label: object
    values: tuple[Number, ...]


@dataclass(frozen=True)
class Table:
    """A table of figures; `chart` ("column", "bar", "pie" or "") draws its first column."""

    key: str
    title: object
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    chart: str = ""

    def row(self, key: str) -> Row | None:
        return next((row for row in self.rows if row.key == key), None)

    def value(self, row: str, column: str | None = None) -> Number:
        """Return the figure at (row, column), the first column by default; 0 when absent."""
        found = self.row(row)
        if found is None:
            return 0
        index = 0 if column is None else [c.key for c in self.columns].index(column)
        return found.values[index]

    def total(self, column: str | None = None) -> Number:
        index = 0 if column is None else [c.key for c in self.columns].index(column)
        return sum((row.values[index] or 0) for row in self.rows)


@dataclass
class SectionResult:
    key: str
    title: object
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


def counts_table(
    key: str,
    title,
    choices,
    counts: dict,
    *,
    chart: str = "column",
    column=COUNT,
    keep_zero: bool = True,
) -> Table:
    """Return a one-column table with a row per choice (code, label), counts by code.

    Codes found in `counts` but not among the choices (an old value) keep their code as label.
    """
    rows = [
        Row(str(code), label, (counts.get(code, 0),))
        for code, label in choices
        if keep_zero or counts.get(code)
    ]
    known = {code for code, _label in choices}
    rows += [Row(str(code), str(code), (n,)) for code, n in counts.items() if code not in known]
    return Table(key, title, (Column("count", column),), tuple(rows), chart)


def figures_table(key: str, title, figures: list[tuple[str, object, Number]]) -> Table:
    """Return a one-column table of single figures: (key, label, value)."""
    return Table(
        key,
        title,
        (Column("value", _("Value")),),
        tuple(Row(k, label, (value,)) for k, label, value in figures),
    )


def grid_table(key: str, title, columns, rows, *, chart: str = "") -> Table:
    """Return a table from (key, label) columns and (key, label, values) rows."""
    return Table(
        key,
        title,
        tuple(Column(k, label) for k, label in columns),
        tuple(Row(k, label, tuple(values)) for k, label, values in rows),
        chart,
    )


def label_text(text) -> str:
    """Return a label in the active language: English ones start with a capital (a row
    labelled by a model's choice reads "accepted" beside "Delegation visit")."""
    text = str(text)
    if translation.get_language() == "en" and text[:1].islower():
        return text[0].upper() + text[1:]
    return text
