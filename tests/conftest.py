import gc
import os
import shutil

import pytest

from bench.database import schema_fingerprint

# `make test` runs Django's system checks once (manage.py checkall); celery's Django fix-up
# would run them again in every worker the tests start and at the first task run inline,
# about a second of CPU each time.
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")


def _flush_by_delete() -> None:
    """Empty the tables after a transactional test with DELETE, not PostgreSQL's TRUNCATE.

    pytest-django flushes every table after each transactional test (the browser tests,
    the outbox's, the races). One TRUNCATE of the 70 tables makes new files for each
    table and index: 0.16-0.24 s on an idle machine here, and over a second when it is
    busy, against 0.013 s for a DELETE of each nearly empty table. The foreign keys
    Django makes on PostgreSQL are checked at commit (DEFERRABLE INITIALLY DEFERRED), so
    the order of the DELETEs does not matter. Only when every Django table is flushed
    without resetting sequences; otherwise TRUNCATE as before (CASCADE reaches tables
    outside the list, RESTART IDENTITY resets the sequences).
    """
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no PostgreSQL driver: nothing to speed up
        return
    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        every_table = set(self.connection.introspection.django_table_names(only_existing=True))
        if reset_sequences or not tables or set(tables) != every_table:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush


_flush_by_delete()

# The schema of a PostgreSQL test database that keeps the rows its migrations made.
MIGRATED = "migrated_rows"


def _keep_what_the_migrations_made() -> None:
    """After a transactional test, put the migrations' rows back instead of re-making them.

    The flush after a transactional test emptied every table, then sent post_migrate,
    whose receivers made the content types, permissions, role groups, periodic tasks and
    first screening policy again: 0.15-0.4 s after each of some twenty tests. Now, right
    after a test database is migrated, its non-empty tables are copied to a schema of
    their own; a flush deletes every row, copies those rows back in the same transaction
    and sends no post_migrate. The database is the migrated one again, ids and all, as
    before a worker's first test. Other flushes (TRUNCATE, see above) are as they were.
    """
    try:
        from django.db.backends.postgresql.creation import DatabaseCreation
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no PostgreSQL driver
        return
    from django.core.management.commands import flush

    migrate = DatabaseCreation.create_test_db

    def create_test_db(self, *args, **kwargs):
        name = migrate(self, *args, **kwargs)
        connection, quote = self.connection, self.connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {MIGRATED} CASCADE")
            cursor.execute(f"CREATE SCHEMA {MIGRATED}")
            for table in connection.introspection.django_table_names(only_existing=True):
                cursor.execute(f"SELECT EXISTS (SELECT FROM {quote(table)})")
                if cursor.fetchone()[0]:
                    cursor.execute(
                        f"CREATE TABLE {MIGRATED}.{quote(table)} AS SELECT * FROM {quote(table)}"
                    )
        return name

    delete = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = delete(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not statements or not all(sql.startswith("DELETE FROM ") for sql in statements):
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                [MIGRATED],
            )
            kept = [table for (table,) in cursor.fetchall() if table in set(tables)]
        if not kept:
            return statements
        self.connection.migrated_rows_put_back = True
        return statements + [
            f"INSERT INTO {self.quote_name(t)} SELECT * FROM {MIGRATED}.{self.quote_name(t)};"
            for t in kept
        ]

    send_post_migrate = flush.emit_post_migrate_signal

    def emit_post_migrate_signal(verbosity, interactive, db, **kwargs):
        from django.db import connections

        if getattr(connections[db], "migrated_rows_put_back", False):
            connections[db].migrated_rows_put_back = False
            return
        send_post_migrate(verbosity, interactive, db, **kwargs)

    DatabaseCreation.create_test_db = create_test_db
    DatabaseOperations.sql_flush = sql_flush
    flush.emit_post_migrate_signal = emit_post_migrate_signal


_keep_what_the_migrations_made()


def _drop_test_databases_by_force() -> None:
    """Drop a PostgreSQL test database even while a connection to it is still closing.

    A live server's request thread, or a test's thread, may still be between its response
    and the close of its connection when the last test ends; the DROP DATABASE then failed
    with "is being accessed by other users" and left the database behind. WITH (FORCE)
    (PostgreSQL 13+) ends those sessions first.
    """
    try:
        from django.db.backends.postgresql.creation import DatabaseCreation
    except ImportError:  # no PostgreSQL driver
        return

    def _destroy_test_db(self, test_database_name, verbosity):
        name = self.connection.ops.quote_name(test_database_name)
        with self._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE {name} WITH (FORCE)")

    DatabaseCreation._destroy_test_db = _destroy_test_db


_drop_test_databases_by_force()


def _clone_a_migrated_template(config):
    """Make each xdist worker's PostgreSQL test database a copy of one migrated template.

    Each worker migrated a database of its own: the two did the same work at the same time
    on a machine of two cores. The first worker to ask migrates a template; every worker
    then copies it with CREATE DATABASE ... TEMPLATE (a third of a second). An advisory
    lock makes the others wait for the template instead of racing it. The template stays
    on the server after the run, marked with the fingerprint of what made it
    (`schema_fingerprint`): the next run of the same code copies it without migrating
    (a fresh migrate is 8 s of CPU here, plus the server's), a run of other code migrates
    it again. Return None where pytest-django's own setup stays (one process, SQLite,
    --reuse-db, --nomigrations).
    """
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None or config.getvalue("reuse_db") or config.getvalue("nomigrations"):
        return None
    from django.conf import settings
    from django.db import connections

    connection = connections["default"]
    if connection.vendor != "postgresql":
        return None
    creation, fingerprint = connection.creation, schema_fingerprint()
    migrate_a_new_database = creation.create_test_db
    target = creation._get_test_db_name()  # test_<name>_gw0: pytest-django's suffix
    template = target.removesuffix("_" + workerinput["workerid"]) + "_template"
    name = connection.ops.quote_name

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        with creation._nodb_cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
            try:
                cursor.execute(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = %s",
                    [template],
                )
                if cursor.fetchone() != (fingerprint,):
                    connection.settings_dict["TEST"]["NAME"] = template
                    try:
                        migrate_a_new_database(verbosity, autoclobber=True, serialize=False)
                    finally:
                        connection.settings_dict["TEST"]["NAME"] = target
                    connection.close()
                    cursor.execute(f"COMMENT ON DATABASE {name(template)} IS %s", [fingerprint])
                cursor.execute(f"DROP DATABASE IF EXISTS {name(target)}")
                cursor.execute(f"CREATE DATABASE {name(target)} TEMPLATE {name(template)}")
            finally:
                cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])
        settings.DATABASES[connection.alias]["NAME"] = target
        connection.settings_dict["NAME"] = target
        if serialize:
            connection._test_serialized_contents = creation.serialize_db_to_string()
        connection.ensure_connection()
        return target

    creation.create_test_db = create_test_db
    return template


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    _clone_a_migrated_template(request.config)


# xdist hands out files with the most tests first: the matrix files (one test each, the
# longest files of the suite) went last, and one worker was left with them while the other
# had finished. These go first, in this order; the rest keeps xdist's order. The browser
# tests are one unit, so that one Chromium (a package fixture) serves them all; the
# settings tests, subprocesses without a database, let the other worker start while the
# first migrates the template database.
# The other files of 10 s and more follow, so that none of them starts in the last minute.
FIRST = (
    "tests/browser/",
    "tests/incubator/test_settings.py",
    "tests/authz/test_matrix_",
    "tests/budgets/",
    "tests/security/test_fuzz_forms.py",
    "tests/reliability/test_delivery_faults.py",
    "tests/authz/test_admin_in_korean_and_chinese.py",
    "tests/events/matching/test_meetings.py",
)


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    def rank(scope: str) -> int:
        return next((n for n, start in enumerate(FIRST) if scope.startswith(start)), len(FIRST))

    class LongestFirst(LoadFileScheduling):
        ordered = False

        def _split_scope(self, nodeid):
            if nodeid.startswith("tests/browser/"):
                return "tests/browser/"
            return super()._split_scope(nodeid)

        def _assign_work_unit(self, node):
            if not self.ordered:
                self.ordered = True
                units = sorted(self.workqueue.items(), key=lambda unit: rank(unit[0]))
                self.workqueue.clear()
                self.workqueue.update(units)
            super()._assign_work_unit(node)

    return LongestFirst(config, log)


def pytest_configure(config):
    # The cyclic garbage collector ran every 700 new objects, going through every live
    # object of the generations it collects: Django, the project, the migrations' state
    # and the collected tests, a million objects. Every 50,000, and (below) what is alive
    # once the tests are collected is left out of its rounds for good.
    gc.set_threshold(50_000, 20, 100)


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def need(condition: bool, what: str) -> None:
    """Skip when a service is missing on a developer's machine; fail in CI."""
    if condition:
        return
    if services_required():
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but missing")
    pytest.skip(f"{what} is not available here")


def chromium_path() -> str | None:
    # The headless shell where it is installed: a third of the whole browser's CPU.
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium-headless-shell")
        or shutil.which("chromium")
    )


@pytest.fixture(autouse=True, scope="session")
def celery_runs_tasks_inline():
    # Tasks enqueued by services run in the test process; the reliability
    # tests send to a real worker by name, which this does not affect.
    from incubator.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def staff_client(client):
    """Sign `client` in as a staff user, its pages in English (the tests read English)."""

    def sign_in(user):
        client.force_login(user)
        client.cookies["lang"] = "en"
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # Services called directly by tests speak English (the catalogues' source);
    # pages choose their language per request, as for a real visitor.
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


def shows_time(text: str, time: str, zone_abbreviation: str) -> bool:
    """Return whether `text` gives `time` ("09:00–17:00") in the zone named by its
    abbreviation ("CST"), whatever words name the zone around it."""
    import re

    return re.search(re.escape(time) + r"[^·\n]*\b" + zone_abbreviation + r"\b", text) is not None
