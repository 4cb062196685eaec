"""The sections of the KPI report, registered by the apps (from their AppConfig.ready)."""

from collections.abc import Callable
from dataclasses import dataclass

from incubator.reports.figures import Table
from incubator.reports.period import Period


@dataclass(frozen=True)
class Section:
    """A sheet of the report: `compute(period)` returns its tables in a fixed number of queries."""

    key: str
    title: object
    order: int
    compute: Callable[[Period], list[Table]]


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _SECTIONS[section.key] = section


def register_sections(found: list[Section]) -> None:
    for section in found:
        register_section(section)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))
