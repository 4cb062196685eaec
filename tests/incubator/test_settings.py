import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env, "DJANGO_SETTINGS_MODULE": "incubator.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_manage(*args, **env) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "portal.example.org",
}
PRINT_ENGINE = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"


def test_database_url_selects_postgresql():
    result = run_python(
        PRINT_ENGINE, DEBUG="1", DATABASE_URL="postgres://u:p@db.example:5432/incubator"
    )
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr


def test_no_database_url_selects_sqlite_under_var():
    result = run_python(PRINT_ENGINE, DEBUG="1")
    assert result.stdout.strip() == "django.db.backends.sqlite3", result.stderr


def test_the_suite_runs_on_the_database_ci_names():
    url = os.environ.get("DATABASE_URL", "")
    need(url.startswith("postgres"), "PostgreSQL (DATABASE_URL)")
    assert connection.vendor == "postgresql"


def test_production_without_secret_key_refuses_to_start_with_one_line():
    result = run_python("import django; django.setup()", DEBUG="0")
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_names_the_variable():
    result = run_manage(
        "migrate", DEBUG="1", DATABASE_URL="postgres://postgres:secret@127.0.0.1:1/nowhere"
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "secret" not in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_broker_names_the_variable():
    result = run_python(
        "import django; django.setup()\n"
        "from incubator.preflight import broker_error_line, check_broker\n"
        "try:\n    check_broker(timeout=1)\n"
        "except Exception as e:\n    print(broker_error_line(e))",
        DEBUG="1",
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    assert "REDIS_URL" in result.stdout, result.stderr


@pytest.mark.django_db
def test_check_deploy_with_production_settings_prints_no_warning():
    result = run_manage("check", "--deploy", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in (result.stdout + result.stderr)
    assert "no issues" in result.stdout


def test_the_embedded_broker_names_a_host_so_kombu_does_not_warn():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from kombu import Connection; "
        "print(Connection(settings.CELERY_BROKER_URL).hostname)"
    )
    result = run_python(code, DEBUG="1")
    assert result.stdout.strip() == "localhost", result.stderr


def test_the_processes_of_a_local_run_share_one_secret_key():
    # `make run` is a web server, a worker and beat: a link the worker signs must open in
    # the server, and a session must outlive the server's reload.
    keys = [
        run_python("from django.conf import settings; print(settings.SECRET_KEY)", DEBUG="1")
        for _ in range(2)
    ]
    assert [k.returncode for k in keys] == [0, 0], keys[0].stderr
    assert keys[0].stdout == keys[1].stdout
    assert keys[0].stdout.strip() == (ROOT / "var" / "secret_key").read_text().strip()


def test_the_development_key_is_made_once_and_readable_by_its_owner_alone(tmp_path):
    from incubator.settings import development_secret_key

    path = tmp_path / "var" / "secret_key"
    first = development_secret_key(path)
    assert first.startswith("dev-") and len(first) > 50
    assert development_secret_key(path) == first
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]  # no draft left
