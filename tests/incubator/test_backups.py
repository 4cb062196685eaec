"""`manage.py backup` and `restore`: a round trip gives back every row and every file."""

import contextlib
import hashlib
import io
import json
import stat
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from companies.models import Company
from incubator import backups
from incubator.models import AuditRecord, User
from tests.authz import world
from tests.conftest import need

POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
SESSIONS = "django_session"


def row_counts(db) -> dict[str, int]:
    """Every table's rows, counted here rather than by the code under test."""
    with db.cursor() as cursor:
        tables = db.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {db.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@contextlib.contextmanager
def empty_postgresql_database():
    """A new database from CREATE DATABASE, under a connection alias of its own."""
    default = connections["default"]
    name = f"{default.settings_dict['NAME']}_restored"
    quoted = default.ops.quote_name(name)
    with default._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quoted}")
    # Made here, not from settings: Django lets a test use a connection created on the fly.
    connections["restored"] = type(default)({**default.settings_dict, "NAME": name}, "restored")
    try:
        yield "restored"
    finally:
        connections["restored"].close()
        del connections["restored"]
        with default._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def backup(archive: Path, **options) -> str:
    out = io.StringIO()
    call_command("backup", output=archive, stdout=out, stderr=out, **options)
    return out.getvalue()


@pytest.mark.services
# pg_dump reads what is committed. Elsewhere the test skips before writing anything.
@pytest.mark.django_db(transaction=POSTGRESQL)
def test_a_backup_restores_into_an_empty_postgresql_database_with_every_row_and_file(
    tmp_path, monkeypatch
):
    need(POSTGRESQL, "PostgreSQL")
    # The world's e-mails and webhook stay in the outbox, pending, as a backup finds some.
    monkeypatch.setattr("incubator.services.task_send", lambda *args, **options: None)
    with transaction.atomic():  # one commit, not one per row
        world.build()
    source_media = Path(settings.MEDIA_ROOT)
    archive = tmp_path / "backups" / "portal.tar.gz"
    printed = backup(archive)
    assert "personal data" in printed
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    before, files = row_counts(connection), checksums(source_media)
    assert len(files) == 4  # pitch deck, lease, passport, KPI workbook
    assert sum(before.values()) > 1000 and before["companies_company"] == 2

    with empty_postgresql_database() as alias:
        settings.MEDIA_ROOT = tmp_path / "restored"
        out = io.StringIO()
        call_command("restore", archive, database=alias, stdout=out)
        assert "verified" in out.getvalue()

        assert row_counts(connections[alias]) == {**before, SESSIONS: 0}
        assert checksums(settings.MEDIA_ROOT) == files
        # The sequences come back at their values: the next row gets the next id.
        newcomer = User.objects.db_manager(alias).create_user(email="after@restore.example")
        assert newcomer.pk > max(User.objects.values_list("pk", flat=True))

        with pytest.raises(CommandError, match="not empty"):
            call_command("restore", archive, database=alias)


@pytest.mark.django_db
def test_a_portable_backup_refuses_a_database_with_data_then_replaces_it_row_for_row(tmp_path):
    built = world.build()
    media = Path(settings.MEDIA_ROOT)
    archive = tmp_path / "portal.tar.gz"
    backup(archive, portable=True)
    before, files = row_counts(connection), checksums(media)

    with pytest.raises(CommandError, match="not empty.*--replace"):
        call_command("restore", archive)
    assert row_counts(connection) == before

    # What happened after the backup, for the restore to undo.
    User.objects.create_user(email="after@backup.example")
    built.lead.delete()
    Company.objects.filter(pk=built.company_b.pk).update(name_en="Renamed after the backup")
    (media / built.document.file.name).write_bytes(b"overwritten")
    (media / "stray.txt").write_text("not in the backup")
    if POSTGRESQL:
        # The test's own rows are in a transaction still open, whose deferred foreign-key
        # checks would keep the restore's TRUNCATE from running (a restore has none): run
        # them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    call_command("restore", archive, replace=True, stdout=io.StringIO())

    assert row_counts(connection) == {**before, SESSIONS: 0}
    assert checksums(media) == files
    assert Company.objects.get(pk=built.company_b.pk).name_en == "Beta Clinic"
    # loaddata wrote the ids as they were; the sequences follow them.
    latest = max(User.objects.values_list("pk", flat=True))
    assert User.objects.create_user(email="later@restore.example").pk == latest + 1

    # And the check that proves it fails when a row or a file is missing.
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    AuditRecord.objects.filter(pk=built.audit_record.pk).delete()
    (media / built.document.file.name).unlink()
    records = before["incubator_auditrecord"]
    assert backups.backup_verify(manifest=manifest, media_root=media) == [
        f"table incubator_auditrecord: {records - 1} rows, the manifest says {records}",
        f"table incubator_user: {before['incubator_user'] + 1} rows, the manifest says "
        f"{before['incubator_user']}",
        f"file {built.document.file.name}: missing",
    ]
