import os
import shutil

import pytest


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
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(autouse=True, scope="session")
def celery_runs_tasks_inline():
    # Tasks enqueued by services run in the test process; the reliability
    # tests send to a real worker by name, which this does not affect.
    from incubator.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


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
