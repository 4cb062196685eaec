"""Time the tests that existed when issue 9 was filed, as they are today.

Issue 9 asks `make test` to take at most half of its wall time then (137.8 s for 660 tests,
measured again on 2026-12-04 on the 2-core CI machine, from a checkout of that commit with
its own requirements). The suite has grown since (each feature brings its tests), so the
whole suite's time no longer compares: this script takes the tests of that commit, finds
each one today (by file and name, or by name alone where it moved with its code), runs them
the way `make test` does and prints the wall time and the ratio.

Run from the repository root, with the services `make test` uses (DATABASE_URL...):

    .venv/bin/python bench/suite_of_before.py

It is not one of the benchmarks `make bench` runs (not a bench_*.py): it runs pytest.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The last commit before issue 9's work, and `make test`'s wall time there.
THEN = "266ea59"
THEN_SECONDS = 137.8
PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]


def collected(folder: Path) -> list[str]:
    out = subprocess.run(
        [*PYTEST, "--collect-only", "-q"], cwd=folder, capture_output=True, text=True, check=True
    ).stdout
    return [line.strip() for line in out.splitlines() if "::" in line]


def tests_then() -> list[str]:
    archive = subprocess.run(
        ["git", "archive", THEN], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        return collected(Path(folder))


def found_today(then: list[str], now: list[str]) -> tuple[list[str], list[str]]:
    """Return (today's ids of the tests of then, those of then not found)."""
    present = set(now)
    by_name = defaultdict(list)
    for test in now:
        by_name[test.split("::", 1)[1]].append(test)
    found, lost = [], []
    for test in then:
        path, name = test.split("::", 1)
        candidates = by_name[name]
        if len(candidates) > 1:  # the same name in several files: the one of the same file
            candidates = [c for c in candidates if Path(c.split("::")[0]).name == Path(path).name]
        if test in present:
            found.append(test)
        elif len(candidates) == 1:
            found.append(candidates[0])
        else:
            lost.append(test)
    return sorted(set(found)), lost


def main() -> int:
    then = tests_then()
    found, lost = found_today(then, collected(ROOT))
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as ids:
        ids.write("\n".join(found) + "\n")
        ids.flush()
        started = time.monotonic()
        run = subprocess.run([*PYTEST, "-n", "2", "--dist", "loadfile", "-q", f"@{ids.name}"])
        seconds = time.monotonic() - started
    print(f"tests at {THEN}: {len(then)}; found today: {len(found)}; not found: {len(lost)}")
    for test in lost:
        print(f"  not found (folded into a wider test or removed): {test}")
    print(
        f"their wall time today: {seconds:.1f} s, against {THEN_SECONDS} s then: "
        f"{seconds / THEN_SECONDS:.2f} of it (target: at most 0.50)"
    )
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
