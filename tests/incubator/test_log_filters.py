"""The request logs leave out the secrets of links (the dev server's, Django's request
warnings, gunicorn's access log) and the traceback of a refusal (incubator/log_filters.py,
incubator/gunicorn_config.py)."""

import datetime as dt
import io
import logging
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.contrib.auth.tokens import default_token_generator
from django.core.servers.basehttp import WSGIRequestHandler
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from gunicorn.app.base import Application

from incubator import gunicorn_config, links
from incubator.log_filters import MASK, mask_secrets
from tests.companies.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-T0ken_k3pt0ut"


def routes(patterns=None, prefix="", namespace=""):
    """Yield (name, route, converters' kwargs) of every URL pattern, includes walked."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", route, re.findall(r"<(?:\w+:)?(\w+)>", route)


def secret_routes():
    return [(name, kwargs) for name, _route, kwargs in routes() if "token" in kwargs]


def test_every_route_with_a_token_is_masked_and_nothing_else():
    found = dict(secret_routes())
    # The four links that carry a secret, and no fewer: the walk is not empty.
    assert {
        "events:calendar-feed",
        "companies:invitation-accept",
        "portal:verify-email",
        "portal:password_reset_confirm",
    } <= set(found)
    for name, kwargs in found.items():
        path = reverse(name, kwargs={kw: SECRET if kw == "token" else "Ng" for kw in kwargs})
        for line in (
            f"GET {path} HTTP/1.1",
            f"https://portal.example{path}",  # a Referer
            f"GET /portal/sign-in/?next={path} HTTP/1.1",
            "GET /portal/sign-in/?next=" + path.replace("/", "%2F") + " HTTP/1.1",
        ):
            masked = mask_secrets(line)
            assert SECRET not in masked and MASK in masked, (name, masked)

    # The pages around them keep their address whole.
    for path in (
        "/portal/calendar/",
        "/portal/calendar/regenerate/",
        "/portal/verify/resend/",
        "/portal/verify/resend/?next=/portal/journey/",
        "/portal/password-reset/",
        "/portal/password-reset/sent/",
        "/portal/password-reset/done/",
        "/portal/password-reset/Ng/set-password/",  # the token is in the session by then
        "/portal/company/edit/",
    ):
        assert mask_secrets(f"GET {path} HTTP/1.1") == f"GET {path} HTTP/1.1"


def test_real_links_are_masked():
    user = UserFactory()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    reset = default_token_generator.make_token(user)
    confirm = links.email_verification_token.make_token(user)
    invitation = MembershipFactory().company.invitations.create(
        email="colleague@startup.example", invited_by=user
    )
    for path, token in (
        (reverse("portal:password_reset_confirm", args=[uid, reset]), reset),
        (reverse("portal:verify-email", args=[uid, confirm]), confirm),
        (
            reverse("companies:invitation-accept", args=[invitation.link_token]),
            invitation.link_token,
        ),
    ):
        assert token not in mask_secrets(f"GET {path} HTTP/1.1")


def server_log_line(requestline: str, code: int = 200) -> str:
    """Log `requestline` as the dev server does; return the line its handler writes."""
    logger = logging.getLogger("django.server")
    seen = []
    capture = logging.Handler()
    capture.emit = seen.append
    logger.addHandler(capture)
    try:
        handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
        handler.request, handler.requestline = None, requestline
        handler.log_request(code, 1234)
    finally:
        logger.removeHandler(capture)
    (record,) = seen
    return logger.handlers[0].format(record)  # the dev server's own format


def test_the_dev_servers_request_log_masks_the_feed_and_the_links():
    line = server_log_line(f"GET /portal/calendar/{SECRET}.ics HTTP/1.1")
    assert line.endswith('"GET /portal/calendar/….ics HTTP/1.1" 200 1234')
    line = server_log_line(f"GET /portal/password-reset/Ng/{SECRET}/ HTTP/1.1", 302)
    assert SECRET not in line and "/portal/password-reset/Ng/…/" in line
    assert "/portal/journey/" in server_log_line("GET /portal/journey/ HTTP/1.1")


def test_djangos_not_found_warning_masks_a_wrong_feed_address(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/portal/calendar/{SECRET}.ics").status_code == 404
    assert "Not Found: /portal/calendar/….ics" in caplog.text
    assert SECRET not in caplog.text


class Loaded(Application):
    """gunicorn with the command line's config module, loaded as gunicorn loads it."""

    def load_config(self):
        self.load_config_from_module_name_or_filename("python:incubator.gunicorn_config")
        self.cfg.set("accesslog", "-")

    def load(self):
        return None


def command_lines() -> list[list[str]]:
    text = (ROOT / "Dockerfile").read_text()
    start = text.index("\nCMD ") + len("\nCMD ")
    dockerfile = yaml.safe_load(text[start : text.index("]", start) + 1].replace("\\\n", " "))
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return [dockerfile, compose["services"]["web"]["command"]]


def test_gunicorns_access_log_masks_path_query_and_referer(capsys):
    for command in command_lines():
        assert command[:2] == ["gunicorn", "incubator.wsgi"]
        assert "--config=python:incubator.gunicorn_config" in command
        assert "--access-logfile=-" in command
    app = Loaded()
    assert app.cfg.logger_class is gunicorn_config.AccessLogger
    log = app.cfg.logger_class(app.cfg)

    # What gunicorn's worker hands over after a request (gunicorn/workers/sync.py).
    referer = f"https://portal.example/portal/invitations/{SECRET}/"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/portal/calendar/{SECRET}.ics?lang=ko",
        "PATH_INFO": f"/portal/calendar/{SECRET}.ics",
        "QUERY_STRING": f"next=/portal/invitations/{SECRET}/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "Google-Calendar-Importer",
    }
    request = SimpleNamespace(headers=[("REFERER", referer), ("HOST", "portal.example")])
    response = SimpleNamespace(
        status="200 OK", sent=1234, headers=[("Content-Type", "text/calendar")]
    )
    log.access(response, request, environ, dt.timedelta(milliseconds=12))
    log.cfg.set("access_log_format", "%(U)s %(q)s %({referer}i)s %({path_info}e)s")
    log.access(response, request, environ, dt.timedelta(milliseconds=12))

    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert len(lines) == 2, out
    assert '"GET /portal/calendar/….ics?lang=ko HTTP/1.1" 200 1234' in lines[0]
    assert '"https://portal.example/portal/invitations/…/"' in lines[0]
    assert "Google-Calendar-Importer" in lines[0]
    assert SECRET not in out


def test_a_refusal_is_logged_in_one_line_without_its_traceback(client, caplog):
    client.force_login(UserFactory())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/portal/staff/events/1/check-in/").status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Forbidden (Permission denied): /portal/staff/events/1/check-in/"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_axes_sign_in_line_masks_the_confirmation_link(client, caplog):
    """django-axes logs the path of each sign-in; opening the e-mail confirmation link signs
    in, so the line it writes holds the link unless the root's handler masks it."""
    (console,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    user = UserFactory(email_verified=False)
    path = links.verify_email_path({"user_id": user.pk})
    token = path.rstrip("/").rsplit("/", 1)[1]
    written = io.StringIO()
    stream = console.setStream(written)
    try:
        with caplog.at_level(logging.INFO, logger="axes"):
            assert client.get(path).status_code == 302
    finally:
        console.setStream(stream)
    (line,) = [line for line in written.getvalue().splitlines() if "Successful login" in line]
    assert "/portal/verify/" in line and MASK in line
    assert token not in written.getvalue()
