"""The real processes of the fault tests: a Redis server of the test's own, an SMTP server
that keeps what it receives, and Celery workers on the test's database.

Each runs on a free port of its own, so that a test may stop, kill or hold it without
touching the shared Redis (other people's) or another test running beside it.
"""

import asyncio
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import NamedTuple
from unittest import mock
from urllib.parse import quote

import pytest
from kombu import pools

from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, what: str, timeout: float = 30.0, every: float = 0.02):
    """Poll `condition` until it returns something true; return that, or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        if result := condition():
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout:.0f} s: {what}")
        time.sleep(every)


def settings_with(**environ):
    """Return incubator/settings.py run again with these variables: what production reads."""
    spec = importlib.util.spec_from_file_location("settings_with", ROOT / "incubator/settings.py")
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, environ):
        spec.loader.exec_module(module)
    return module


class PrivateRedis:
    """A redis-server of the test's own, in a temporary folder, to stop and start at will."""

    def __init__(self, folder: Path):
        need(shutil.which("redis-server") is not None, "redis-server")
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # It keeps nothing on disk, like the machine's own: what it held is lost when it stops.
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.folder), "--logfile", "redis.log"],
            cwd=self.folder,
        )
        wait_until(self.answers, what=f"redis-server on port {self.port} answers", timeout=10)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def queued(self, queue: str) -> int:
        """How many messages wait in a queue, not yet taken by a worker."""
        import redis

        with redis.Redis.from_url(self.url) as client:
            return client.llen(queue)

    def stop(self) -> None:
        """Kill the server, as a crash or an out-of-memory kill would."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class Mailbox:
    """SMTP servers in a thread of the test that keep every message they accept.

    Each worker gets an address of its own (`address()`), so that an e-mail tells which
    worker sent it. `hold()` makes the mailbox keep the next message without answering
    its sender until `release()`: the moment after a mail server has taken a message and
    before the sender knows, where a sender that dies leaves it to be sent again.
    """

    def __init__(self):
        self.received: list[Received] = []
        self._changed = threading.Condition()
        self._controllers = []
        self._hold = self._release = None

    def address(self) -> str:
        from aiosmtpd.controller import Controller

        controller = Controller(self, hostname="127.0.0.1", port=free_port())
        controller.start()
        self._controllers.append(controller)
        return f"smtp://127.0.0.1:{controller.port}"

    def close(self) -> None:
        self.release()
        for controller in self._controllers:
            controller.stop()

    async def handle_DATA(self, server, session, envelope):
        port = server.transport.get_extra_info("sockname")[1]
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        with self._changed:
            self.received.append(Received(port, message["Message-ID"], message))
            self._changed.notify_all()
            release, self._hold = self._hold, None
        if release is not None:
            self._release = (asyncio.get_running_loop(), release)
            await release.wait()
        return "250 OK"

    def hold(self) -> None:
        self._hold = asyncio.Event()

    def release(self) -> None:
        held, self._release, self._hold = self._release, None, None
        if held is not None:
            loop, release = held
            loop.call_soon_threadsafe(release.set)

    def wait_for(self, count: int, *, timeout: float = 30.0) -> list["Received"]:
        """Wait until at least `count` messages arrived; return them."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.received) >= count, timeout):
                pytest.fail(f"{len(self.received)} of {count} e-mails within {timeout:.0f} s")
            return list(self.received)

    def message_ids(self) -> Counter:
        with self._changed:
            return Counter(received.message_id for received in self.received)


class Received(NamedTuple):
    port: int  # the address it came to: which worker sent it
    message_id: str
    message: EmailMessage


def database_url(connection) -> str:
    """The URL of the test's own database, for a worker to share it."""
    s = connection.settings_dict
    user, password = quote(s["USER"] or ""), quote(s["PASSWORD"] or "")
    return (
        f"postgres://{user}:{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


def start_worker(
    *, env: dict | None = None, queue: str = "default", pool: str = "solo", options=()
):
    """Start a real Celery worker of the portal (`options` go before `worker`)."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "incubator", *options, "worker", "-Q", queue]
        + [f"--pool={pool}", "--concurrency=1", "--loglevel=WARNING"]
        + ["--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", **(env or {})},
        # A group of its own: the worker and its pool processes end together (`end_worker`).
        start_new_session=True,
    )


def end_worker(worker: subprocess.Popen) -> None:
    """Kill a worker and its pool processes at once, when nothing of theirs is needed any more.

    A warm shutdown (SIGTERM) spends 8-10 s leaving, a cold one (SIGQUIT) 2 s, a prefork
    pool's more.
    """
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


@contextmanager
def portal_broker(url: str):
    """Make this test process enqueue like the web processes: to the broker at `url`, with
    the transport options production gives Redis, not eagerly."""
    from incubator.celery import app

    names = ("broker_url", "broker_transport_options", "task_always_eager")
    saved = [app.conf[name] for name in names]
    options = settings_with(REDIS_URL=url).CELERY_BROKER_TRANSPORT_OPTIONS
    for name, value in zip(names, (url, options, False), strict=True):
        app.conf[name] = value
    forget_connections(app)
    try:
        yield app
    finally:
        for name, value in zip(names, saved, strict=True):
            app.conf[name] = value
        forget_connections(app)


def forget_connections(app) -> None:
    """Make the next publish take new pools, for the broker now configured.

    kombu hands out one connection pool and one producer pool per broker URL to the whole
    process, so closing only the app's pool would leave that closed pool in kombu's registry
    and make every later send to that broker, eager ones included, fail with "Acquire on
    closed pool". reset() closes every pool and empties the registry.
    """
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def beat_sends(url: str, name: str, *args) -> None:
    """Send a task as beat does: from a process (here a client) of its own, with retries."""
    from celery import Celery

    with Celery(broker=url, set_as_current=False) as client:
        client.send_task(name, args=args, queue="default")
