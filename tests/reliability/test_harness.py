from incubator.tasks import ping_task
from tests.reliability.harness import portal_broker


def test_eager_tasks_still_run_after_a_test_enqueued_to_another_broker():
    # kombu shares one pool per broker URL across the process: the harness must leave it
    # usable, or every later eager task on this xdist worker fails "Acquire on closed pool".
    assert ping_task.delay("before").get() == "pong: before"
    with portal_broker("redis://127.0.0.1:1/0"):  # nothing is sent: no connection opens
        pass
    assert ping_task.delay("after").get() == "pong: after"
