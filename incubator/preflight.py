"""Turn an unreachable database or broker into one line that names the variable.

A newcomer who mistypes DATABASE_URL should read which setting is wrong, not a
forty-line psycopg2 traceback.
"""

import contextlib
import sys
from urllib.parse import urlsplit, urlunsplit


def redact(url: str) -> str:
    """Return the URL without its password, fit to print."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def database_error_line(error: Exception) -> str:
    from django.conf import settings

    url = settings.DATABASE_URL_IN_USE
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"Cannot reach the database set by DATABASE_URL ({redact(url)}): {first}"


def broker_error_line(error: Exception) -> str:
    from django.conf import settings

    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return (
        f"Cannot reach the broker set by REDIS_URL ({redact(settings.CELERY_BROKER_URL)}): {first}"
    )


def check_broker(timeout: float = 2.0) -> None:
    """Raise if the Celery broker does not answer within `timeout` seconds.

    One retry, at once: kombu's default pause of 2 s before it only made the answer late
    (a refused connection is refused again).
    """
    from django.conf import settings
    from kombu import Connection

    with Connection(
        settings.CELERY_BROKER_URL, connect_timeout=timeout, **broker_options()
    ) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)


def broker_options() -> dict:
    from django.conf import settings

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    return {"transport_options": options} if options else {}


@contextlib.contextmanager
def explain_service_errors():
    from django.db.utils import OperationalError

    try:
        yield
    except OperationalError as error:
        sys.exit(database_error_line(error))
