"""Record what every URL answers each role today, in the table's format.

    python -m tests.authz.record            # writes var/authz-matrix.recorded.txt
    diff tests/authz/matrix.txt var/authz-matrix.recorded.txt

The recorded table keeps matrix.txt's order and comments, so the diff shows only the
statuses that changed and the rows that are new or gone. It is what the code does, not
the rule: read every changed line against the roles table before copying it over.
"""

import os
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).parent
MATRIX_TESTS = sorted(str(path) for path in HERE.glob("test_matrix_*.py"))


def main(argv: list[str]) -> int:
    # Under var/ (ignored by git): a recording is material to review, not the rule.
    target = Path(argv[0]) if argv else HERE.parent.parent / "var" / "authz-matrix.recorded.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["AUTHZ_RECORD"] = folder
        code = pytest.main([*MATRIX_TESTS, "-q", "-p", "no:cacheprovider", "-k", "answers"])
        if code != 0:
            return int(code)
        # Django is set up by now (pytest-django did it).
        from tests.authz import matrix

        observed = matrix.read_observed(Path(folder))
    target.write_text(matrix.rewrite_table(matrix.TABLE.read_text(), observed))
    print(f"{len(observed)} rows recorded in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
