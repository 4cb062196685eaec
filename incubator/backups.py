"""Backups: the database and the private files (MEDIA_ROOT) in one archive, and its restore.

An archive is a .tar.gz of

- `manifest.json`, its first member: when it was made, from which engine, the migrations
  applied, every table's row count and every private file's size and SHA-256;
- the database: `database.pgdump` (pg_dump's custom format) or `database.jsonl` (Django's
  serialization, one object per line);
- `media/<path>`: every file under MEDIA_ROOT.

Why two forms of the database. On PostgreSQL the archive holds pg_dump's: pg_dump copies
the schema as it is (generated columns, indexes, extensions, constraints) and every
sequence at its value, reads one consistent snapshot without blocking the portal's writes,
and pg_restore loads it in seconds where loaddata saves row by row. The manifest's counts
are taken in the very snapshot pg_dump reads (`pg_export_snapshot`), so a restore is
checked against what was dumped, not against a moment later. On SQLite, or with
`--portable` (to move a database between engines, or where no pg_dump of the server's
major version is installed, as in the web image), it holds Django's `dumpdata` in the
jsonl format: every model of every app through its base manager, primary keys included,
written to a file and loaded back line by line, not held in memory. Natural keys are not
used: ids are written into other rows as text (an audit record's object id, an outbox
message's dedupe key), so every row, content types and permissions included, keeps its
id. Restore then migrates the empty database, erases what the migrations wrote (content
types, permissions, role groups, schedules, defaults) without letting post_migrate make
it again, loads the rows and resets every sequence (what `sqlsequencereset` prints); the
database computes generated columns again (Django leaves them out of an insert). That
form needs the code of the backup's version (the same migrations); a pg_dump archive
restores as it was, and `migrate` then takes it forward.

Sessions are left out (their table is dumped empty): a session key is a bearer credential,
and after a restore everyone signs in again.

Secrets: an archive holds the portal's personal data (names, e-mail addresses, phone
numbers, companies' documents and evidence files, sign-in failures with addresses), the
hashes of passwords, API keys and calendar feed tokens. It is written with mode 0600 and
must be kept like the database itself. SECRET_KEY is not in it: keep that apart (webhook
secrets and invitation links derive from it).
"""

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import signals
from django.utils import timezone

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
PG_DUMP_FILE = "database.pgdump"
JSONL_FILE = "database.jsonl"
CHUNK = 1024 * 1024
NOTICE = (
    "This archive holds personal data and password and key hashes: "
    "keep it like the database (mode 0600, encrypted off the server)."
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# --- Backup -------------------------------------------------------------------------------


def backup_write(*, path: Path, media_root: Path, using: str = DEFAULT_DB_ALIAS, portable=False):
    """Archive the database and MEDIA_ROOT at `path` (mode 0600); return the manifest."""
    path, media_root = Path(path), Path(media_root)
    if path.exists():
        raise BackupError(f"{path} exists already: name a new file.")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    connection = connections[using]
    native = connection.vendor == "postgresql" and not portable
    if native and connection.in_atomic_block:
        raise BackupError("pg_dump reads what is committed: back up outside a transaction.")
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=path.parent))
    try:
        # One snapshot for the counts, the dump and the file names (inside a caller's
        # transaction, that transaction's).
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic(using=using):
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            tables = table_counts(connection)
            tables[Session._meta.db_table] = 0
            if native:
                dump = work / PG_DUMP_FILE
                _pg_dump(connection, dump)
            else:
                dump = work / JSONL_FILE
                call_command(
                    "dumpdata",
                    format="jsonl",
                    output=str(dump),
                    exclude=["sessions"],
                    use_base_manager=True,
                    database=using,
                    verbosity=0,
                )
            migrations = sorted(
                f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
            )
            referenced = _referenced_files(using)
        files = media_files(media_root)
        manifest = {
            "format": ARCHIVE_FORMAT,
            "created_at": timezone.now().isoformat(),
            "notice": NOTICE,
            "database": {
                "engine": connection.vendor,
                "format": "pg_dump" if native else "jsonl",
                "file": dump.name,
                "size": dump.stat().st_size,
                "sha256": _sha256_of(dump),
            },
            "migrations": migrations,
            "tables": tables,
            "files": files,
            "missing_files": sorted(referenced - set(files)),
        }
        partial = path.with_name(path.name + ".partial")
        try:
            _write_archive(partial, manifest, dump, media_root)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def _write_archive(path: Path, manifest: dict, dump: Path, media_root: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)  # whatever the umask
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
        data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
        tar.addfile(_member(MANIFEST, len(data)), io.BytesIO(data))
        _add_file(tar, dump.name, dump, manifest["database"]["sha256"])
        for name, seen in manifest["files"].items():
            _add_file(tar, MEDIA + name, media_root / name, seen["sha256"])
        raw.flush()
        os.fsync(raw.fileno())


def _member(name: str, size: int) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.size, member.mode, member.mtime = size, 0o600, int(time.time())
    return member


def _add_file(tar: tarfile.TarFile, name: str, source: Path, sha256: str) -> None:
    with source.open("rb") as handle:
        reader = _Hashing(handle)
        tar.addfile(_member(name, os.fstat(handle.fileno()).st_size), reader)
    if reader.digest.hexdigest() != sha256:
        raise BackupError(f"{source} changed while it was being backed up: run the backup again.")


class _Hashing:
    """A reader that hashes what it hands on, so the archive holds what the manifest says."""

    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _referenced_files(using: str) -> set[str]:
    """Return the names of the files the rows point to (FileFields)."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._base_manager.using(using).exclude(**{field.attname: ""})
                names.update(
                    rows.filter(**{f"{field.attname}__isnull": False})
                    .values_list(field.attname, flat=True)
                    .iterator()
                )
    return names


# --- Restore ------------------------------------------------------------------------------


def backup_restore(*, path: Path, media_root: Path, using: str = DEFAULT_DB_ALIAS, replace=False):
    """Restore the archive at `path` into an empty database and MEDIA_ROOT, then verify it.

    With `replace`, erase the database's rows (or, for a pg_dump, the objects it holds) and
    MEDIA_ROOT's files first. Return the manifest and the differences found (none when the
    restore is exact).
    """
    path, media_root = Path(path), Path(media_root)
    connection = connections[using]
    work = Path(tempfile.mkdtemp(prefix="portal-restore-"))
    try:
        with tarfile.open(path, "r:gz") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST:
                raise BackupError(f"{path} is not a backup of the portal (no {MANIFEST} first).")
            manifest = json.load(tar.extractfile(first))
            _check_restorable(manifest, connection)
            if not replace:
                _check_empty(connection, media_root)
            database = manifest["database"]
            restored = False
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if member.name == database["file"] and member.isfile():
                    dump = work / database["file"]
                    _extract(tar, member, dump, database["sha256"])
                    if database["format"] == "pg_dump":
                        _pg_restore(connection, dump, clean=replace)
                    else:
                        _load_jsonl(connection, dump)
                    dump.unlink()
                    if replace:
                        _empty_folder(media_root)
                    restored = True
                elif restored and member.name.startswith(MEDIA) and member.isfile():
                    name = member.name.removeprefix(MEDIA)
                    if name not in manifest["files"]:
                        raise BackupError(f"{member.name} is in the archive, not in its manifest.")
                    target = _inside(media_root, name)
                    _extract(tar, member, target, manifest["files"][name]["sha256"])
                else:
                    raise BackupError(f"Unexpected member in the archive: {member.name}.")
            if not restored:
                raise BackupError(f"The archive holds no {database['file']}.")
    except (tarfile.TarError, OSError, EOFError, json.JSONDecodeError) as error:
        raise BackupError(f"The restore of {path} stopped: {error}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ContentType.objects.clear_cache()
    return manifest, backup_verify(manifest=manifest, media_root=media_root, using=using)


def _check_restorable(manifest: dict, connection) -> None:
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError(f"Archive format {manifest.get('format')!r} is not {ARCHIVE_FORMAT}.")
    kind = manifest["database"]["format"]
    if kind == "pg_dump" and connection.vendor != "postgresql":
        raise BackupError(
            "This archive holds a pg_dump of PostgreSQL: restore it into PostgreSQL, or make "
            "one with `backup --portable` to restore into another engine."
        )
    if kind == "jsonl":
        if connection.alias != DEFAULT_DB_ALIAS:
            # The migrations' data steps and post_migrate write through the default connection.
            raise BackupError("A portable archive restores into the default database only.")
        ours = _migrations_a_migrate_records()
        theirs = set(manifest["migrations"])
        if ours != theirs:
            differ = sorted(ours ^ theirs)
            raise BackupError(
                f"The archive was made at other migrations ({len(differ)} differ, e.g. "
                f"{', '.join(differ[:3])}): restore it with the code of its version."
            )


def _migrations_a_migrate_records() -> set[str]:
    """Return the rows `migrate` writes into django_migrations on an empty database."""
    nodes = MigrationLoader(None).graph.nodes
    # A squashed migration is recorded as the migrations it replaces.
    return {f"{app}.{name}" for key in nodes for app, name in (nodes[key].replaces or [key])}


def _check_empty(connection, media_root: Path) -> None:
    counts = table_counts(connection)
    if counts:
        rows = sum(counts.values())
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty: it has "
            f"{len(counts)} tables holding {rows:,} rows. Restore into an empty database "
            "(createdb on PostgreSQL, a new file on SQLite), or pass --replace to erase "
            "this one first."
        )
    files = media_files(media_root, checksums=False)
    if files:
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) holds {len(files)} files. Restore into an empty "
            "folder, or pass --replace to erase them first."
        )


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, sha256: str) -> None:
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tar.extractfile(member) as source, target.open("wb") as out:
        while data := source.read(CHUNK):
            digest.update(data)
            out.write(data)
    if digest.hexdigest() != sha256:
        raise BackupError(f"{member.name} does not match its checksum: the archive is damaged.")


def _inside(root: Path, name: str) -> Path:
    """Return where `name` goes under `root`, refusing a name that would leave it."""
    parts = PurePosixPath(name)
    if parts.is_absolute() or ".." in parts.parts or not parts.parts:
        raise BackupError(f"Refused a file name outside MEDIA_ROOT: {name}.")
    return root.joinpath(*parts.parts)


def _empty_folder(folder: Path) -> None:
    # The folder itself stays: it is often a mounted volume.
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _load_jsonl(connection, dump: Path) -> None:
    using = connection.alias
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", database=using, interactive=False, verbosity=0)
    # What the migrations wrote goes: the archive's rows replace it, ids and all.
    call_command("flush", database=using, interactive=False, inhibit_post_migrate=True, verbosity=0)
    with _beat_change_marks_muted():
        call_command("loaddata", str(dump), database=using, verbosity=0)
    statements = connection.ops.sequence_reset_sql(
        no_style(), apps.get_models(include_auto_created=True)
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@contextlib.contextmanager
def _beat_change_marks_muted():
    """Keep django-celery-beat from adding its "schedule changed" row while rows load.

    Its receivers mark the schedule changed on every save of a task or schedule, raw ones
    included: a row of PeriodicTasks that the archive may not have. The archive's own
    mark, if any, is loaded with the rest.
    """
    from django_celery_beat import models as beat
    from django_celery_beat.signals import signals_connect

    senders = (
        beat.PeriodicTask,
        beat.IntervalSchedule,
        beat.CrontabSchedule,
        beat.SolarSchedule,
        beat.ClockedSchedule,
    )
    for signal in (signals.pre_save, signals.post_save, signals.pre_delete, signals.post_delete):
        for sender in senders:
            for receiver in (beat.PeriodicTasks.changed, beat.PeriodicTasks.update_changed):
                signal.disconnect(receiver, sender=sender)
    try:
        yield
    finally:
        signals_connect()


# --- Verification -------------------------------------------------------------------------


def backup_verify(*, manifest: dict, media_root: Path, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Return how the database and MEDIA_ROOT differ from the manifest (empty: they match)."""
    problems = []
    counts = table_counts(connections[using])
    for table in sorted(set(manifest["tables"]) | set(counts)):
        expected, found = manifest["tables"].get(table), counts.get(table)
        if expected != found:
            problems.append(f"table {table}: {found} rows, the manifest says {expected}")
    files = media_files(Path(media_root))
    for name in sorted(set(manifest["files"]) | set(files)):
        expected, found = manifest["files"].get(name), files.get(name)
        if expected is None:
            problems.append(f"file {name}: not in the manifest")
        elif found is None:
            problems.append(f"file {name}: missing")
        elif found != expected:
            problems.append(f"file {name}: its content differs from the manifest's")
    return problems


def table_counts(connection) -> dict[str, int]:
    """Return {table: rows} for every table of the database (its search path's on PostgreSQL)."""
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def media_files(root: Path, *, checksums: bool = True) -> dict[str, dict]:
    """Return {path under root: {"size", "sha256"}} for every file under `root`."""
    files = {}
    if not root.is_dir():
        return files
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            full = Path(folder, name)
            if full.is_file():
                seen = {"size": full.stat().st_size}
                if checksums:
                    seen["sha256"] = _sha256_of(full)
                files[full.relative_to(root).as_posix()] = seen
    return files


def _sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# --- pg_dump and pg_restore ---------------------------------------------------------------


def _pg_dump(connection, target: Path) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
    _pg_run(
        "pg_dump",
        connection,
        "--format=custom",
        f"--snapshot={snapshot}",
        f"--exclude-table-data={Session._meta.db_table}",
        f"--file={target}",
        connection.settings_dict["NAME"],
    )


def _pg_restore(connection, dump: Path, *, clean: bool) -> None:
    connection.close()
    options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if clean:
        options += ["--clean", "--if-exists"]
    name = connection.settings_dict["NAME"]
    _pg_run("pg_restore", connection, f"--dbname={name}", *options, str(dump))


def _pg_run(program: str, connection, *arguments: str) -> None:
    """Run pg_dump or pg_restore on the connection's database, with its credentials."""
    from django.db.backends.postgresql.client import DatabaseClient

    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} is not installed: install the PostgreSQL client of the server's "
            "major version, or use `backup --portable`."
        )
    settings = connection.settings_dict
    # The password, SSL files, service and passfile, as psql (dbshell) would get them.
    _args, env = DatabaseClient.settings_to_cmd_args_env(settings, [])
    env = {**os.environ, **(env or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings.get(key):
            env[variable] = str(settings[key])
    done = subprocess.run(
        [executable, *arguments], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise BackupError(f"{program} failed: {done.stderr.strip()}")
