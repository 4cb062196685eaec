"""The benchmark runner (bench/run.py) and its protocol (bench/protocol.py): what fails a run
(an error, no figures, malformed ones, a timeout) and what only misses a target."""

import json
import textwrap

import pytest

from bench import run
from bench.protocol import Figures, problems

# A benchmark script of the protocol, without Django: the test's part follows.
PREAMBLE = """
import argparse, json, sys
parser = argparse.ArgumentParser()
parser.add_argument("--size", choices=["small", "full"], default="full")
parser.add_argument("--figures")
options = parser.parse_args()
def write(rows):
    with open(options.figures, "w") as out:
        json.dump(rows, out)
"""
SLOW = {"figure": "time", "value": 1.5, "unit": "s", "target": "< 1 s", "met": False}


def outcome_of(tmp_path, body: str, *, timeout: float = 0):
    path = tmp_path / "bench_fake.py"
    path.write_text(PREAMBLE + textwrap.dedent(body))
    return run.run_one("fake", path, "small", timeout, tmp_path / "fake.log")


def test_a_missed_target_is_not_met_and_fails_nothing(tmp_path, capsys):
    outcome = outcome_of(
        tmp_path,
        f"""
        print("measuring at", options.size)
        write([{SLOW!r}, {{"figure": "size", "value": options.size, "unit": "",
                          "target": "", "met": None}}])
        """,
    )

    assert outcome.failure == ""
    assert run.rows([outcome]) == [
        ("fake", "time", "1.50 s", "< 1 s", "not met"),
        ("fake", "size", "small", "", ""),
    ]
    assert "measuring at small" in (tmp_path / "fake.log").read_text()
    assert run.report([outcome], "small", 1.0, tmp_path) == 0
    assert "| fake | time | 1.50 s | < 1 s | not met |" in (tmp_path / "table.md").read_text()
    assert json.loads((tmp_path / "figures.json").read_text())["fake"][0] == SLOW
    assert "measuring at small" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("body", "failure"),
    [
        (f"write([{SLOW!r}])\nsys.exit(3)", "exit status 3"),
        ("print('nothing to say')", "no figures written"),
        ("write([])", "no figures written"),
        ("open(options.figures, 'w').write('{')", "figures file is not JSON"),
        (
            "write([{'figure': 'x', 'value': 1, 'unit': '', 'target': '', 'met': True}])",
            "met is null exactly when target is ''",
        ),
        ("write([{'figure': 'x', 'value': 1}])", "not an object with exactly the keys"),
    ],
)
def test_an_error_or_missing_figures_fail_the_run(tmp_path, body, failure):
    outcome = outcome_of(tmp_path, body)

    assert failure in outcome.failure
    table = run.rows([outcome])
    assert table[-1][0] == "fake" and table[-1][-1] == "FAILED"
    assert run.report([outcome], "small", 1.0, tmp_path) == 1


def test_a_script_with_an_error_still_shows_the_figures_it_wrote(tmp_path):
    outcome = outcome_of(tmp_path, f"write([{SLOW!r}])\nraise SystemExit('queries grew')")

    assert outcome.failure == "exit status 1"
    assert [cells[-1] for cells in run.rows([outcome])] == ["not met", "FAILED"]
    assert "queries grew" in (tmp_path / "fake.log").read_text()


def test_a_script_past_its_timeout_is_stopped_and_fails(tmp_path):
    outcome = outcome_of(tmp_path, "import time\ntime.sleep(60)", timeout=0.3)

    assert outcome.failure == "stopped after the 0.3 s timeout"
    assert outcome.seconds < 30


def test_every_benchmark_of_bench_is_found_and_one_can_be_chosen():
    found = dict(run.scripts([]))
    on_disk = {path.stem.removeprefix("bench_") for path in run.BENCH.glob("bench_*.py")}

    assert set(found) == on_disk >= {"api", "screening", "reports", "exports", "datagen"}
    assert [name for name, _path in run.scripts(["reports", "api"])] == ["reports", "api"]
    with pytest.raises(SystemExit, match="no bench/bench_nothing.py"):
        run.scripts(["nothing"])


def test_figures_are_checked_when_added_and_when_read():
    figures = Figures()
    figures.add("ratio", 2.0, "x", "<= 3", True)
    figures.add("rows", 100)

    assert problems(json.loads(json.dumps(figures))) == []
    assert figures[1] == {"figure": "rows", "value": 100, "unit": "", "target": "", "met": None}
    with pytest.raises(ValueError, match="no target"):
        figures.add("time", 1.0, "s", "", False)
    assert problems({"figure": "x"}) == ["not a JSON list"]


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (12_345, "rows", "12,345 rows"),
        (2.718, "x", "2.72x"),
        (1234.5, "/s", "1,234/s"),
        (0.01234, "ms", "0.0123 ms"),
        ("4 / 4", "", "4 / 4"),
    ],
)
def test_values_are_shown_with_their_unit_and_a_few_digits(value, unit, text):
    assert run.shown(value, unit) == text
