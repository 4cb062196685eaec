"""`manage.py restore`: an archive of `manage.py backup` into an empty database, verified."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from incubator import backups


class Command(BaseCommand):
    help = (
        "Restore an archive of `manage.py backup` into an empty database and an empty "
        "MEDIA_ROOT, then check every table's row count and every file's checksum against "
        "its manifest. Stop the web server, workers and beat first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Erase the database and the files under MEDIA_ROOT first, instead of "
            "refusing a target that is not empty.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, archive, replace, database, **options):
        try:
            manifest, problems = backups.backup_restore(
                path=archive, media_root=settings.MEDIA_ROOT, using=database, replace=replace
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"The restore differs from the archive in {len(problems)} ways.")
        tables, files = manifest["tables"], manifest["files"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {archive} (made {manifest['created_at']}) and verified: "
                f"{len(tables)} tables with {sum(tables.values()):,} rows and {len(files)} "
                "files match the manifest."
            )
        )
        if manifest["database"]["format"] == "pg_dump":
            self.stdout.write("Run `manage.py migrate` if the code is newer than the backup.")
