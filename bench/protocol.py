"""The benchmarks' protocol (issue 13, "One benchmark table"), shared by bench/run.py and
every bench/bench_*.py: the two options and the figures file.

    --size {small,full}   full (the default) is the stated size; small runs the same code
                          on a few thousand rows in well under a minute (CI runs it)
    --figures PATH        write the figures to PATH, as a JSON list of
                          {"figure", "value", "unit", "target", "met"}

A target comes from an issue, as text ("<= 3", "< 150 MB"); a figure without one has
target "" and met null. A script exits non-zero on an error (an exception, a wrong result,
a query count that grows), not because a time missed its target: the table says "not met".
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

SIZES = ("small", "full")
KEYS = ("figure", "value", "unit", "target", "met")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--size", choices=SIZES, default="full", help="full (default) or small (CI's)"
    )
    parser.add_argument("--figures", type=Path, help="write the figures to this JSON file")


class Figures(list):
    """The figures of one run, in the order the table shows them."""

    def add(
        self, figure: str, value, unit: str = "", target: str = "", met: bool | None = None
    ) -> bool | None:
        """Add one figure; return `met` (None without a target)."""
        if not target and met is not None:
            raise ValueError(f"{figure!r}: met is {met} but there is no target")
        if isinstance(value, float):
            value = float(f"{value:.6g}")  # the table shows 3 or 4 digits
        self.append(
            {
                "figure": figure,
                "value": value,
                "unit": unit,
                "target": target,
                "met": None if met is None else bool(met),
            }
        )
        return met

    def write(self, path: Path | None) -> None:
        """Write the figures to `path` (nothing without one)."""
        if path is not None:
            Path(path).write_text(json.dumps(self, ensure_ascii=False, indent=1) + "\n")


def problems(data) -> list[str]:
    """Return what is wrong with a figures file's content (nothing when it is well formed)."""
    if not isinstance(data, list):
        return ["not a JSON list"]
    found = []
    for n, row in enumerate(data):
        if not isinstance(row, dict) or set(row) != set(KEYS):
            found.append(f"figure {n}: not an object with exactly the keys {', '.join(KEYS)}")
            continue
        if not isinstance(row["figure"], str) or not row["figure"]:
            found.append(f"figure {n}: no name")
        if isinstance(row["value"], bool) or not isinstance(row["value"], int | float | str):
            found.append(f"figure {n} ({row['figure']}): value is not a number or a string")
        if not isinstance(row["unit"], str) or not isinstance(row["target"], str):
            found.append(f"figure {n} ({row['figure']}): unit and target must be text")
        if row["met"] not in (True, False, None):
            found.append(f"figure {n} ({row['figure']}): met must be true, false or null")
        elif bool(row["target"]) != (row["met"] is not None):
            found.append(f"figure {n} ({row['figure']}): met is null exactly when target is ''")
    return found
