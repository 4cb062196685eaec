"""What the database benchmarks share: Django on the project's settings, and a database of
their own: a throwaway database (`throwaway_database`), or a PostgreSQL database kept
between runs with its data (`set_up`, `prepare`).

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.database import setup_django, throwaway_database
setup_django()
"""

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

# Held while a template is built or copied, so that two benchmarks started at once (or two
# people's on one server) neither build the same template twice nor copy a half-built one.
TEMPLATE_LOCK = 0x62656E6368  # "bench"
TEMPLATE_PREFIX = "incubator_bench_template_"


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "incubator.settings"
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


@contextlib.contextmanager
def throwaway_database(name: str, *, sqlite_file: bool = False):
    """Create an empty migrated database from DATABASE_URL, named after `name`; drop it at the end.

    Not the name pytest uses, so a test run on the same server is not disturbed. On
    PostgreSQL it is a copy of a migrated template (`migrated_template`), a tenth of a second
    instead of the 10-20 s of running every migration. On the SQLite fallback, `sqlite_file`
    puts it in a file rather than in this process's memory.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with _postgresql_copy(f"test_{name}_{os.getpid()}") as database:
            yield database
        return

    from django.test.utils import setup_databases, teardown_databases

    with tempfile.TemporaryDirectory() as folder:
        test = connection.settings_dict.setdefault("TEST", {})
        if sqlite_file:
            test["NAME"] = f"{folder}/{name}.sqlite3"
        old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
        try:
            yield connection.settings_dict["NAME"]
        finally:
            teardown_databases(old_config, verbosity=0)


# What decides the rows and schema of a migrated database: the migrations, the code that
# post_migrate runs (roles, periodic jobs, the first policy...) and the libraries with
# their own migrations. Every .py file outside the tests and the benchmarks, and the
# requirements, so that any change to them makes a new template.
NOT_SCHEMA = {"tests", "bench", "var", "docs", "static", "staticfiles", "templates", "locale"}


def schema_fingerprint(root=None) -> str:
    """Return the digest of what makes a migrated database (the tests' and the benchmarks'
    templates are keyed by it)."""
    root = Path(root or Path(__file__).resolve().parents[1])
    digest = hashlib.sha256()
    files = [root / name for name in ("requirements.txt", "requirements-dev.txt")]
    # Folder by folder: not into .venv, whose files the requirements stand for.
    for top in sorted(root.iterdir()):
        if top.name in NOT_SCHEMA or top.name.startswith("."):
            continue
        files += sorted(top.rglob("*.py")) if top.is_dir() else [top] * (top.suffix == ".py")
    for path in files:
        if path.exists():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _use(name: str) -> None:
    """Point Django's default connection at database `name` (closing the current one)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name


def migrated_template(cursor) -> str:
    """Return the name of a migrated template of the current migrations; build it if missing.

    The name carries `schema_fingerprint`, so a change of any migration or of the code
    post_migrate runs (another branch's, a new version of a library) gets a template of its
    own; templates of other digests are dropped. Call with TEMPLATE_LOCK held on `cursor`'s
    connection.
    """
    from django.core.management import call_command
    from django.db import connection
    from psycopg2 import sql

    template = TEMPLATE_PREFIX + schema_fingerprint()[:16]
    cursor.execute(
        "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [TEMPLATE_PREFIX]
    )
    found = {row[0] for row in cursor.fetchall()}
    for stale in sorted(found - {template}):
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(stale))
        )
    if template in found:
        return template
    # Built under another name and renamed once migrated: a failed build is never copied.
    building = template[: len(TEMPLATE_PREFIX)] + "build_" + template[len(TEMPLATE_PREFIX) :]
    cursor.execute(
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(building))
    )
    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
    print(f"database: migrating a template for the benchmarks' databases ({template})")
    original = connection.settings_dict["NAME"]
    try:
        _use(building)
        call_command("migrate", verbosity=0, interactive=False)
    finally:
        _use(original)
    cursor.execute(
        sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
            sql.Identifier(building), sql.Identifier(template)
        )
    )
    return template


@contextlib.contextmanager
def _postgresql_copy(name: str):
    from django.db import connection
    from psycopg2 import sql

    original = connection.settings_dict["NAME"]
    database = sql.Identifier(name)
    with contextlib.closing(server_connection(connection.settings_dict)) as server:
        with server.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [TEMPLATE_LOCK])
            try:
                template = migrated_template(cursor)
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        database, sql.Identifier(template)
                    )
                )
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [TEMPLATE_LOCK])
            _use(name)
            try:
                yield name
            finally:
                _use(original)
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))


def database_url() -> str:
    """Return the URL of the database Django's default connection uses now (for a server)."""
    from urllib.parse import quote

    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings.get("PASSWORD") else ""
    user = f"{quote(settings['USER'] or '', safe='')}{password}@" if settings.get("USER") else ""
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{user}{settings['HOST'] or ''}{port}/{settings['NAME']}"


def print_target(text: str, met: bool, detail: str) -> None:
    """Print one target line: what, OK or MISSED, and the figures."""
    print(f"target: {text}: {'OK' if met else 'MISSED'} ({detail})")


# --- PostgreSQL servers and the bench databases kept between runs -----------------------


def server_connection(config: dict):
    """Return an autocommit psycopg2 connection to the server's `postgres` database.

    `config` is a Django settings dict (NAME, USER, PASSWORD, HOST, PORT).
    """
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        connect_timeout=5,
    )
    connection.autocommit = True
    return connection


def _postgresql_config(url: str) -> dict:
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"The bench database must be a PostgreSQL one: {url}")
    return config


def ensure_database(url: str) -> bool:
    """Create the bench database when missing; return whether it was created."""
    from psycopg2 import sql

    config = _postgresql_config(url)
    with contextlib.closing(server_connection(config)) as connection:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            return True


def prepare(model, expected: int, fill, what: str) -> None:
    """Migrate, and `fill()` the database unless a previous run left `expected` rows of `model`."""

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    found = model.objects.count()
    if found == expected:
        print(f"data: reusing the {found:,} {what} of {connection.settings_dict['NAME']}")
        return
    if found:
        print(f"data: {found:,} {what} found, not {expected:,}: emptying the bench database")
        call_command("flush", verbosity=0, interactive=False)
    fill_now(fill)


def fill_now(fill) -> None:
    """Run `fill()` in one transaction, then VACUUM ANALYZE (on PostgreSQL), timed."""
    import time

    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic():
        fill()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"\rfill: {time.perf_counter() - start:.1f} s{' ' * 60}")


def set_up(url: str, name: str, *, keep: bool = True) -> int | None:
    """Set Django up on the PostgreSQL server of `url`; return an exit code when not run.

    With `keep`, the database of `url` is created when missing (a database kept between
    runs); without, the server is only reached (the caller makes a throwaway database).
    PostgreSQL out of reach is a skip (0), except with REQUIRE_SERVICES=1, as in CI (1).
    """
    try:
        if keep:
            created = ensure_database(url)
        else:
            created = False
            server_connection(_postgresql_config(url)).close()
    except Exception as error:  # noqa: BLE001 - any connection failure means: not run
        reason = str(error).strip().splitlines()[0]
        print(f"{name} NOT RUN: PostgreSQL unreachable at {url} ({reason})")
        return 1 if os.environ.get("REQUIRE_SERVICES") == "1" else 0
    import django

    django.setup()
    print(f"{name} on {url}{' (created)' if created else ''}")
    return None
