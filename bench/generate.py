"""Fill a database with seeded, valid data at scale: companies with evidence, members,
partners, leads, applications, enrollments, service requests, the fund, events,
registrations, matching sessions with meetings, technology listings (bench/datagen).

Run from the repository root, on the database of DATABASE_URL (SQLite when unset):

    .venv/bin/python bench/generate.py                    # issue 13's sizes: 10,000 companies...
    .venv/bin/python bench/generate.py --small            # a few seconds
    .venv/bin/python bench/generate.py --scale 0.1 --seed 7
    .venv/bin/python bench/generate.py --companies 2000 --events 500 --registrations 20000

Prints a progress bar and the rows and seconds of each table. The same as
`DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python manage.py generate ...`; benchmarks
call `bench.datagen.generate(...)`.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incubator.settings")
os.environ.setdefault("DEBUG", "1")  # a dev tool: the generated dev key will do


def main() -> None:
    import django

    django.setup()
    from bench.datagen import cli

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cli.add_arguments(parser)
    cli.main(vars(parser.parse_args()), print)


if __name__ == "__main__":
    main()
