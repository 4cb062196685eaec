import os
import uuid

import pytest

from tests.conftest import need
from tests.reliability.harness import end_worker, start_worker


@pytest.fixture
def redis_worker():
    """A real Celery worker process on the real Redis, on a queue of its own."""
    need(bool(os.environ.get("REDIS_URL")), "Redis (REDIS_URL)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue=queue, options=["--result-backend", os.environ["REDIS_URL"]])
    yield queue
    end_worker(worker)


@pytest.mark.services
def test_a_task_goes_through_redis_to_a_worker_and_back(redis_worker):
    from celery import Celery

    # A client of its own with a result backend: the portal needs none.
    client = Celery(broker=os.environ["REDIS_URL"], backend=os.environ["REDIS_URL"])
    result = client.send_task(
        "incubator.tasks.ping_task", args=["안녕 你好"], queue=redis_worker, ignore_result=False
    )
    assert result.get(timeout=60) == "pong: 안녕 你好"
