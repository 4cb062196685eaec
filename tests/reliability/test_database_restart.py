"""PostgreSQL restarted between two requests: the second succeeds.

A restart (a fast shutdown) ends every session of the server with FATAL 57P01
(admin_shutdown); pg_terminate_backend ends one session, the requests' own, with the same
error, so the shared server is never restarted. The requests go through Django's WSGI
handler as gunicorn calls it: the test client leaves out the check at the start of each
request (it disconnects close_old_connections), where CONN_HEALTH_CHECKS does its work.
"""

from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections

from tests.companies.factories import UserFactory
from tests.reliability.harness import settings_with


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def end_session(pid: int) -> None:
    """End a session from a second connection, as a restart ends them all; wait until it is."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()


def get(handler: WSGIHandler, path: str, cookie: str) -> str:
    """Answer a GET through the WSGI handler, signals and all; return the status line."""
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_COOKIE": cookie}
    setup_testing_defaults(environ)
    status = []
    response = handler(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        b"".join(response)
    finally:
        response.close()  # request_finished, as a server sends it
    return status[0]


def test_postgresql_connections_persist_and_are_checked_before_each_request():
    configured = settings_with(DATABASE_URL="postgres://u@db.example:5432/incubator").DATABASES
    assert configured["default"]["CONN_HEALTH_CHECKS"] is True
    assert configured["default"]["CONN_MAX_AGE"] > 0


@pytest.mark.services
@pytest.mark.parametrize(
    ("health_checks", "second"),
    # Without the check the same sequence fails: what the test does breaks the connection.
    [(True, "200 OK"), (False, "500 Internal Server Error")],
)
def test_the_request_after_the_database_restarted_succeeds(
    shared_database, client, health_checks, second
):
    assert connection.settings_dict["CONN_MAX_AGE"] > 0  # persistent, as configured
    configured = connection.settings_dict["CONN_HEALTH_CHECKS"]
    connection.settings_dict["CONN_HEALTH_CHECKS"] = health_checks
    connection.close()  # the next connection takes the setting
    try:
        client.force_login(UserFactory())
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        handler = WSGIHandler()
        assert get(handler, "/portal/preferences/", cookie) == "200 OK"
        assert connection.connection is not None, "the connection outlives the request"
        first = backend_pid()

        end_session(first)
        assert get(handler, "/portal/preferences/", cookie) == second
        if health_checks:
            assert backend_pid() != first
    finally:
        connection.settings_dict["CONN_HEALTH_CHECKS"] = configured
        connection.close()
