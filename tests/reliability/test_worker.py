import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_worker():
    """A real Celery worker process on the real Redis, on a queue of its own."""
    need(bool(os.environ.get("REDIS_URL")), "Redis (REDIS_URL)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "incubator",
            "--result-backend",
            os.environ["REDIS_URL"],
            "worker",
            "-Q",
            queue,
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1"},
    )
    yield queue
    # A cold shutdown (SIGQUIT): the worker has nothing left to finish, and a warm one
    # (SIGTERM) spends 8-10 s leaving.
    worker.send_signal(signal.SIGQUIT)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.mark.services
def test_a_task_goes_through_redis_to_a_worker_and_back(redis_worker):
    from celery import Celery

    # A client of its own with a result backend: the portal needs none.
    client = Celery(broker=os.environ["REDIS_URL"], backend=os.environ["REDIS_URL"])
    result = client.send_task(
        "incubator.tasks.ping_task", args=["안녕 你好"], queue=redis_worker, ignore_result=False
    )
    assert result.get(timeout=60) == "pong: 안녕 你好"
