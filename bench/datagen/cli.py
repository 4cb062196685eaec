"""The options of `python bench/generate.py` and `manage.py generate`, and the run they make."""

from __future__ import annotations

import argparse

from bench.datagen import FULL, SMALL, run, sizes


def add_arguments(parser: argparse.ArgumentParser) -> None:
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--small", action="store_true", help=f"the small world of the tests: {SMALL}")
    size.add_argument("--scale", type=float, default=1.0, help="the full sizes times this factor")
    for name, value in FULL.items():
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, type=int, dest=name, help=f"default {value:,} (times --scale)")
    parser.add_argument("--enrollments", type=int, help="default 40%% of the companies")
    parser.add_argument("--seed", type=int, default=42, help="default 42; one seed per database")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")


def main(options: dict, write):
    """Generate what the options ask; write one line per table and the total time.

    Return the run's context: rows per model (`model_counts`), seconds (`total_seconds`).
    """
    base = SMALL if options.get("small") else sizes(options.get("scale", 1.0))
    wanted = {
        key: value if options.get(key) is None else options[key] for key, value in base.items()
    }
    described = ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in wanted.items())
    write(f"Generating {described} (seed {options['seed']})")
    ctx = run(
        **wanted,
        enrollments=options.get("enrollments"),
        seed=options["seed"],
        progress=not options.get("no_progress"),
        today=None,
    )
    write(f"{'table':<32} {'rows':>9} {'seconds':>8}")
    for label, count in ctx.counts.items():
        write(f"{label:<32} {count:>9,} {ctx.seconds[label]:>8.2f}")
    write(f"{'total':<32} {sum(ctx.counts.values()):>9,} {ctx.total_seconds:>8.2f}")
    return ctx
