"""What /healthz checks: the database and the broker, each with a short timeout."""

from django.db import connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure is the answer
        return f"error: {type(error).__name__}"
    return "ok"


def broker_status() -> str:
    from incubator.preflight import check_broker

    try:
        check_broker(timeout=2.0)
    except Exception as error:  # noqa: BLE001
        return f"error: {type(error).__name__}"
    return "ok"
