"""What the database benchmarks share: Django on the project's settings, and a database of
their own: a throwaway test database (`throwaway_database`), or a PostgreSQL database kept
between runs with its data (`set_up`, `prepare`).

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.database import setup_django, throwaway_database
setup_django()
"""

import contextlib
import os
import tempfile


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "incubator.settings"
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


@contextlib.contextmanager
def throwaway_database(name: str, *, sqlite_file: bool = False):
    """Create a test database from DATABASE_URL, named after `name`; drop it at the end.

    Not the name pytest uses, so a test run on the same server is not disturbed. On the
    SQLite fallback, `sqlite_file` puts it in a file rather than in this process's memory.
    """
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    with tempfile.TemporaryDirectory() as folder:
        test = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor != "sqlite":
            test["NAME"] = f"test_{name}_{os.getpid()}"
        elif sqlite_file:
            test["NAME"] = f"{folder}/{name}.sqlite3"
        old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
        try:
            yield connection.settings_dict["NAME"]
        finally:
            teardown_databases(old_config, verbosity=0)


def print_target(text: str, met: bool, detail: str) -> None:
    """Print one target line: what, OK or MISSED, and the figures."""
    print(f"target: {text}: {'OK' if met else 'MISSED'} ({detail})")


# --- Bench databases kept between runs (PostgreSQL) ------------------------------------


def ensure_database(url: str) -> bool:
    """Create the bench database when missing; return whether it was created."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"The bench database must be a PostgreSQL one: {url}")
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        connect_timeout=5,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            return True
    finally:
        connection.close()


def prepare(model, expected: int, fill, what: str) -> None:
    """Migrate, and `fill()` the database unless a previous run left `expected` rows of `model`."""
    import time

    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0, interactive=False)
    found = model.objects.count()
    if found == expected:
        print(f"data: reusing the {found:,} {what} of {connection.settings_dict['NAME']}")
        return
    if found:
        print(f"data: {found:,} {what} found, not {expected:,}: emptying the bench database")
        call_command("flush", verbosity=0, interactive=False)
    start = time.perf_counter()
    with transaction.atomic():
        fill()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"\rfill: {time.perf_counter() - start:.1f} s{' ' * 60}")


def set_up(url: str, name: str) -> int | None:
    """Create the database when missing and set Django up; return an exit code when not run.

    PostgreSQL out of reach is a skip (0), except with REQUIRE_SERVICES=1, as in CI (1).
    """
    import os

    try:
        created = ensure_database(url)
    except Exception as error:  # noqa: BLE001 - any connection failure means: not run
        reason = str(error).strip().splitlines()[0]
        print(f"{name} NOT RUN: PostgreSQL unreachable at {url} ({reason})")
        return 1 if os.environ.get("REQUIRE_SERVICES") == "1" else 0
    import django

    django.setup()
    print(f"{name} on {url}{' (created)' if created else ''}")
    return None
