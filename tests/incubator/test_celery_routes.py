from celery import shared_task
from django.conf import settings

from incubator.celery import app, route_by_task_queue
from incubator.permissions import DenyAll


@shared_task(name="tests.heavy_probe_task", queue="heavy")
def heavy_probe_task():
    return None


def test_a_task_goes_to_the_queue_it_declares_even_when_sent_by_name():
    assert route_by_task_queue("tests.heavy_probe_task", (), {}, {}) == {"queue": "heavy"}
    assert route_by_task_queue("incubator.tasks.outbox_deliver_task", (), {}, {}) == {
        "queue": "default"
    }
    router = app.amqp.router
    assert router.route({}, "tests.heavy_probe_task")["queue"].name == "heavy"
    assert router.route({}, "incubator.tasks.outbox_sweep_task")["queue"].name == "default"


def test_the_api_denies_unless_a_view_says_otherwise():
    assert settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] == [
        "incubator.permissions.DenyAll"
    ]
    assert DenyAll().has_permission(None, None) is False
