"""The benchmarks' PostgreSQL databases: each bench has one of its own."""


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
