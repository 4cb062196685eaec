"""Run every benchmark of bench/ and print one table of their figures (issue 13).

Run from the repository root:

    .venv/bin/python bench/run.py                  # full sizes (`make bench`)
    .venv/bin/python bench/run.py --size small     # the same in a few minutes (CI's)
    .venv/bin/python bench/run.py api reports      # only bench_api.py and bench_reports.py

Finds every bench/bench_*.py (in ORDER, then any other by name) and runs each in its own
process with `--size SIZE --figures FILE` (bench/protocol.py), showing its output as it
comes and keeping it in var/bench/SIZE/NAME.log. Then prints one table, benchmark | figure
| value | target | met, and writes it to var/bench/SIZE/table.md (Markdown) and
figures.json. A script that exits non-zero, writes no figures or malformed ones, or runs
past --timeout has FAILED, and the run exits 1; a figure that misses its target is "not
met" and fails nothing (a time on a busy machine is noisy).

With DATABASE_URL unset the benchmarks run on PostgreSQL at DEFAULT_DATABASE_URL: their
targets are PostgreSQL's, the production database, not the SQLite fallback's.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.protocol import SIZES, problems  # noqa: E402

BENCH = ROOT / "bench"
# The cheap ones first, so that a broken set-up shows within seconds.
ORDER = (
    "screening_pure",
    "screening",
    "reminders",
    "exports",
    "datagen",
    "reports",
    "api",
    "load",
    "matchmaking",
)
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/incubator_bench"
TIMEOUTS = {"small": 300, "full": 0}  # seconds per script; 0: none
NO_TARGET, MET, NOT_MET, FAILED = "", "met", "not met", "FAILED"


def scripts(names: list[str]) -> list[tuple[str, Path]]:
    """Return (name, path) of the benchmarks to run: `names`, or every bench_*.py."""
    found = {path.stem.removeprefix("bench_"): path for path in BENCH.glob("bench_*.py")}
    unknown = sorted(set(names) - set(found))
    if unknown:
        raise SystemExit(f"no bench/bench_{unknown[0]}.py (there are: {', '.join(sorted(found))})")
    ordered = [name for name in ORDER if name in found] + sorted(set(found) - set(ORDER))
    return [(name, found[name]) for name in ordered if not names or name in names]


class Outcome:
    def __init__(self, name: str):
        self.name = name
        self.figures: list[dict] = []
        self.failure = ""  # why the script failed; "" when it did not
        self.seconds = 0.0


def run_one(name: str, path: Path, size: str, timeout: float, log: Path) -> Outcome:
    """Run one benchmark, its output to the terminal and to `log`; return its outcome."""
    outcome = Outcome(name)
    command = [sys.executable, str(shown_path(path)), "--size", size]
    print(f"\n=== {' '.join(command[1:])}  (log: {shown_path(log)})", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as folder, log.open("wb") as kept:
        figures = Path(folder) / "figures.json"
        started = time.perf_counter()
        # A session of its own: a timeout stops the script and what it started (gunicorn).
        child = subprocess.Popen(
            [*command, "--figures", str(figures)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            os.killpg(child.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, stop) if timeout else None
        if timer:
            timer.start()
        try:
            while chunk := child.stdout.read1(65536):
                sys.stdout.buffer.write(chunk)
                sys.stdout.buffer.flush()
                kept.write(chunk)
            code = child.wait()
        except KeyboardInterrupt:
            os.killpg(child.pid, signal.SIGKILL)
            raise
        finally:
            if timer:
                timer.cancel()
        outcome.seconds = time.perf_counter() - started
        if figures.exists():
            try:
                data = json.loads(figures.read_text())
            except ValueError as error:
                data, wrong = [], [f"figures file is not JSON ({error})"]
            else:
                wrong = problems(data)
            if wrong:
                outcome.failure = "; ".join(wrong[:3])
            else:
                outcome.figures = data
    if timed_out.is_set():
        outcome.failure = f"stopped after the {timeout:g} s timeout"
    elif code != 0:
        outcome.failure = f"exit status {code}" + (
            f"; {outcome.failure}" if outcome.failure else ""
        )
    elif not outcome.failure and not outcome.figures:
        outcome.failure = "no figures written"
    print(f"=== {name}: {outcome.failure or 'done'} in {outcome.seconds:.1f} s", flush=True)
    return outcome


def shown_path(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def without_password(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


def shown(value, unit: str) -> str:
    """Return a value as the table shows it: thousands separated, 3-4 significant digits."""
    if isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        size = abs(value)
        if size >= 100:
            text = f"{value:,.0f}"
        elif size >= 10:
            text = f"{value:.1f}"
        elif size >= 0.1 or value == 0:
            text = f"{value:.2f}"
        else:
            text = f"{value:.3g}"
    else:
        text = str(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "x", "×", "/s") else f"{text} {unit}"


def rows(outcomes: list[Outcome]) -> list[tuple[str, str, str, str, str]]:
    """Return the table's rows: benchmark, figure, value, target, met."""
    table = []
    for outcome in outcomes:
        for row in outcome.figures:
            met = {True: MET, False: NOT_MET, None: NO_TARGET}[row["met"]]
            value = shown(row["value"], row["unit"])
            table.append((outcome.name, row["figure"], value, row["target"], met))
        if outcome.failure:
            table.append((outcome.name, f"(the script failed: {outcome.failure})", "", "", FAILED))
    return table


def text_table(table: list[tuple[str, ...]]) -> str:
    header = ("benchmark", "figure", "value", "target", "met")
    widths = [max(len(cells[i]) for cells in [header, *table]) for i in range(len(header))]

    def line(cells) -> str:
        name, figure, value, target, met = cells
        parts = (
            f"{name:<{widths[0]}}",
            f"{figure:<{widths[1]}}",
            f"{value:>{widths[2]}}",
            f"{target:<{widths[3]}}",
            met,
        )
        return " | ".join(parts).rstrip()

    return "\n".join([line(header), "-+-".join("-" * w for w in widths), *map(line, table)])


def markdown_table(table: list[tuple[str, ...]]) -> str:
    def escape(cell: str) -> str:
        return cell.replace("|", "\\|")

    lines = ["| benchmark | figure | value | target | met |", "| --- | --- | ---: | --- | --- |"]
    lines += ["| " + " | ".join(escape(cell) for cell in cells) + " |" for cells in table]
    return "\n".join(lines) + "\n"


def duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{seconds:.1f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size",
        choices=SIZES,
        default=os.environ.get("BENCH_SIZE") or "full",
        help="full (default; BENCH_SIZE) or small",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        help=f"seconds per script, 0 for none (default {TIMEOUTS})",
    )
    parser.add_argument("names", nargs="*", help="run only these (api for bench_api.py...)")
    options = parser.parse_args()
    timeout = TIMEOUTS[options.size] if options.timeout is None else options.timeout

    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["PYTHONUNBUFFERED"] = "1"  # the scripts' output as it comes, not at exit
    out = ROOT / "var" / "bench" / options.size
    out.mkdir(parents=True, exist_ok=True)
    chosen = scripts(options.names)
    print(
        f"bench: {len(chosen)} benchmarks at size {options.size} "
        f"({', '.join(name for name, _ in chosen)}) on {os.cpu_count()} cores; "
        f"DATABASE_URL={without_password(os.environ['DATABASE_URL'])}"
    )
    started = time.perf_counter()
    outcomes = [
        run_one(name, path, options.size, timeout, out / f"{name}.log") for name, path in chosen
    ]
    return report(outcomes, options.size, time.perf_counter() - started, out)


def report(outcomes: list[Outcome], size: str, total: float, out: Path) -> int:
    """Print the table and write it to `out`; return the exit status (1 when one failed)."""
    table = rows(outcomes)
    (out / "table.md").write_text(markdown_table(table))
    (out / "figures.json").write_text(
        json.dumps(
            {outcome.name: outcome.figures for outcome in outcomes}, ensure_ascii=False, indent=1
        )
        + "\n"
    )
    failed = [outcome for outcome in outcomes if outcome.failure]
    counts = {kind: sum(1 for *_cells, met in table if met == kind) for kind in (MET, NOT_MET)}
    figures = sum(len(outcome.figures) for outcome in outcomes)
    print(f"\nBenchmarks at size {size}, {duration(total)} in all\n")
    print(text_table(table))
    print(
        f"\n{figures} figures: {counts[MET]} met, {counts[NOT_MET]} not met, "
        f"{figures - counts[MET] - counts[NOT_MET]} without a target; "
        + ", ".join(f"{o.name} {duration(o.seconds)}" for o in outcomes)
    )
    print(f"table: {shown_path(out / 'table.md')}; logs: {shown_path(out)}/")
    if failed:
        print("FAILED: " + "; ".join(f"{o.name} ({o.failure})" for o in failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
