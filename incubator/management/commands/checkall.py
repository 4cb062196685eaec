"""`make test`'s Django checks in one process: each `manage.py` run sets Django up again."""

import warnings
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run `check`, `makemigrations --check --dry-run` and `spectacular --validate "
        "--fail-on-warn --file var/openapi.yml` in one process; fail on the first that fails."
    )
    # `check` below is the system check, once.
    requires_system_checks = []

    def handle(self, *args, **options):
        call_command("check", stdout=self.stdout, stderr=self.stderr)
        # Exits with status 1 when a model change has no migration. Models against
        # migrations needs no database: on a fresh clone DATABASE_URL's does not exist
        # yet (the tests make their own), and Django's warning that it could not compare
        # the applied history there was the one alarming line of a green run.
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", "Got an error checking a consistent migration history", RuntimeWarning
            )
            call_command("makemigrations", check=True, dry_run=True, stdout=self.stdout)
        Path("var").mkdir(exist_ok=True)
        call_command(
            "spectacular",
            validate=True,
            fail_on_warn=True,
            file="var/openapi.yml",
            stdout=self.stdout,
            stderr=self.stderr,
        )
