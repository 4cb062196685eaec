"""`make test`'s Django checks in one process: each `manage.py` run sets Django up again."""

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
        # Exits with status 1 when a model change has no migration.
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
