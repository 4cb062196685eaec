import subprocess
from typing import NamedTuple

import pytest
from django.conf import settings
from django.db import connection

from tests.companies.portal import policy_v1  # noqa: F401
from tests.conftest import need
from tests.reliability.harness import (
    Mailbox,
    PrivateRedis,
    database_url,
    end_worker,
    start_worker,
)


@pytest.fixture
def shared_database(transactional_db):
    """The test's database, committed as it goes, so that worker processes see its rows."""
    # SQLite's test database lives in this process's memory, out of a worker's reach.
    need(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def mailbox():
    box = Mailbox()
    yield box
    box.close()


@pytest.fixture
def workers(shared_database, private_redis, mailbox):
    """Start real workers of the portal on the test's database, the test's own Redis and an
    address of the mailbox each; those still running are ended at the end."""
    shared = {
        "DATABASE_URL": database_url(connection),
        "REDIS_URL": private_redis.url,
        "SITE_URL": settings.SITE_URL,
    }
    started = []

    def start(*, env: dict | None = None, **options) -> Worker:
        address = mailbox.address()
        process = start_worker(env={**shared, "EMAIL_URL": address, **(env or {})}, **options)
        started.append(Worker(process, int(address.rsplit(":", 1)[1])))
        return started[-1]

    yield start
    for worker in started:
        end_worker(worker.process)


class Worker(NamedTuple):
    process: subprocess.Popen
    mail_port: int  # its address at the mailbox
