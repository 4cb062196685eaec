"""Every delay a task can wait out in Redis stays below Redis's visibility timeout.

Redis gives a message that a worker took and has not acknowledged to another worker once
the visibility timeout has passed; with acks_late a task is acknowledged when it ends. A
task with a countdown, an eta or a retry delay sits taken and unacknowledged in a worker
for the whole delay: a delay past the timeout hands it out again, and it runs twice.

The outbox's back-off (1, 2, 4... minutes between attempts) is not one of them: it is the
row's available_at, in the database, which the sweep reads; no message waits for it.
"""

import ast
import datetime as dt

from django.conf import settings

from incubator.celery import app
from tests.reliability.harness import ROOT, settings_with

PROJECT = ("incubator", "companies", "programs", "events")
DELAYS = {"countdown", "eta"}


def visibility_timeout() -> float:
    production = settings_with(REDIS_URL="redis://redis.example:6379/0")
    return production.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


def retry_delays() -> dict[str, float]:
    """The longest wait of each registered task's retries, from the tasks themselves."""
    app.loader.import_default_modules()
    delays = {}
    for name, task in app.tasks.items():
        if not name.startswith(tuple(package + "." for package in PROJECT)):
            continue
        delays[f"{name}: default_retry_delay"] = task.default_retry_delay
        # Set only where a task retries by itself (autoretry_for).
        if getattr(task, "retry_backoff", False):
            delays[f"{name}: retry_backoff_max"] = task.retry_backoff_max
        if "countdown" in (getattr(task, "retry_kwargs", None) or {}):
            delays[f"{name}: retry_kwargs countdown"] = task.retry_kwargs["countdown"]
    return delays


def seconds(node: ast.expr, constants: dict[str, ast.expr]) -> float | None:
    """The seconds a countdown states: a number, a timedelta of numbers, a constant of the
    module or a setting holding one of those; None for what only running the code tells."""
    if isinstance(node, ast.Name) and node.id in constants:
        return seconds(constants[node.id], constants)
    if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "settings":
        value = getattr(settings, node.attr, None)
        return value.total_seconds() if isinstance(value, dt.timedelta) else value
    try:
        return float(ast.literal_eval(node))
    except (ValueError, TypeError, SyntaxError):
        pass
    func = getattr(node, "func", None)
    if getattr(func, "attr", getattr(func, "id", None)) == "timedelta" and not node.args:
        try:
            named = {keyword.arg: ast.literal_eval(keyword.value) for keyword in node.keywords}
            return dt.timedelta(**named).total_seconds()
        except (ValueError, TypeError):
            return None
    return None


def delays_in(source: str, where: str) -> dict[str, float | None]:
    """Every countdown= and eta= of the calls in `source`."""
    module = ast.parse(source)
    constants = {
        target.id: statement.value
        for statement in module.body
        if isinstance(statement, ast.Assign)
        for target in statement.targets
        if isinstance(target, ast.Name)
    }
    return {
        f"{where}:{node.lineno} {keyword.arg}": seconds(keyword.value, constants)
        for node in ast.walk(module)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg in DELAYS
    }


def delays_in_code() -> dict[str, float | None]:
    paths = [p for package in PROJECT for p in sorted((ROOT / package).rglob("*.py"))]
    assert len(paths) > 100, "the portal's code is where it was"
    found = {}
    for path in paths:
        if "migrations" not in path.parts:
            found.update(delays_in(path.read_text(), str(path.relative_to(ROOT))))
    return found


def test_every_retry_and_countdown_of_the_code_is_below_the_visibility_timeout():
    timeout = visibility_timeout()
    delays = {**retry_delays(), **delays_in_code()}
    assert "incubator.tasks.outbox_deliver_task: default_retry_delay" in delays
    unknown = [where for where, value in delays.items() if value is None]
    assert unknown == [], "give these delays in seconds, or as a timedelta of numbers"
    assert {where: value for where, value in delays.items() if value >= timeout} == {}


def test_a_task_is_stopped_before_redis_hands_it_to_another_worker():
    production = settings_with(REDIS_URL="redis://redis.example:6379/0")
    assert production.CELERY_TASK_SOFT_TIME_LIMIT < production.CELERY_TASK_TIME_LIMIT
    assert production.CELERY_TASK_TIME_LIMIT < visibility_timeout()
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT  # read by Celery


def test_the_countdowns_are_read_as_the_code_would_write_them():
    source = (
        "LATER = timedelta(minutes=30)\n"
        "task.apply_async(args=[1], countdown=90)\n"
        "task_enqueue_on_commit(name, 1, countdown=dt.timedelta(hours=2))\n"
        "task_send(name, countdown=LATER)\n"
        "task_send(name, countdown=settings.WEBHOOKS_TIMEOUT_SECONDS)\n"
        "self.retry(countdown=self.request.retries * 60)\n"
        "task.apply_async(eta=timezone.now() + timedelta(minutes=5))\n"
    )
    assert delays_in(source, "x.py") == {
        "x.py:2 countdown": 90.0,
        "x.py:3 countdown": 7200.0,
        "x.py:4 countdown": 1800.0,
        "x.py:5 countdown": 10,
        "x.py:6 countdown": None,
        "x.py:7 eta": None,
    }
