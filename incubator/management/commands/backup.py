"""`manage.py backup`: the database and the private files in one archive (incubator/backups.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from incubator import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, Django's jsonl elsewhere or with "
        "--portable) and every file under MEDIA_ROOT into one .tar.gz with a manifest of "
        "row counts and checksums. The archive holds personal data: it is written with "
        "mode 0600."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write the archive (default: var/backups/portal-<UTC time>.tar.gz).",
        )
        parser.add_argument(
            "--portable",
            action="store_true",
            help="Django's jsonl even on PostgreSQL: restorable into another engine, or "
            "where no pg_dump of the server's version is installed.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output, portable, database, **options):
        if output is None:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
            output = settings.VAR_DIR / "backups" / f"portal-{stamp}.tar.gz"
        try:
            manifest = backups.backup_write(
                path=output, media_root=settings.MEDIA_ROOT, using=database, portable=portable
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        tables, files = manifest["tables"], manifest["files"]
        self.stdout.write(
            self.style.SUCCESS(f"Backed up to {output} ({output.stat().st_size:,} bytes):")
        )
        self.stdout.write(
            f"  database ({manifest['database']['format']}): {len(tables)} tables, "
            f"{sum(tables.values()):,} rows (sessions left out)"
        )
        self.stdout.write(
            f"  files: {len(files)}, {sum(seen['size'] for seen in files.values()):,} bytes"
        )
        for name in manifest["missing_files"]:
            self.stderr.write(f"  warning: a row names {name}, which is not in MEDIA_ROOT")
        self.stdout.write(backups.NOTICE)
