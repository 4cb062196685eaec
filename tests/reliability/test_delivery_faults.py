"""E-mail delivery when Redis stops and when a worker is killed in the middle of sending.

Real processes throughout: a redis-server of the test's own (the shared one is never
stopped), real Celery workers of the portal on the test's database, and an SMTP server
that counts what it receives by Message-ID.
"""

import os
import signal
from pathlib import Path

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from events import services as event_services
from incubator import services
from incubator.models import OutboxMessage
from tests.companies.factories import ApplicationFactory
from tests.companies.portal import member
from tests.events.factories import EventFactory, PartnerPersonFactory
from tests.reliability.harness import beat_sends, kill, portal_broker, wait_until

pytestmark = pytest.mark.services

SWEEP = "incubator.tasks.outbox_sweep_task"
DELIVER = "incubator.tasks.outbox_deliver_task"


def all_sent(rows) -> bool:
    pks = [row.pk for row in rows]
    return not OutboxMessage.objects.filter(pk__in=pks).exclude(status="sent").exists()


def test_a_submission_and_a_registration_while_redis_is_down_are_mailed_once_it_is_back(
    client, workers, private_redis, mailbox, policy_v1
):
    workers()
    application = ApplicationFactory(company=member().membership.company)
    founder = application.company.memberships.get().user
    event, partner = EventFactory(), PartnerPersonFactory().user
    with portal_broker(private_redis.url) as app:
        # The web process has enqueued, and the worker has taken it: both hold connections
        # that the outage breaks. (A ping: a sweep running late could send the new rows.)
        app.send_task("incubator.tasks.ping_task", args=["before the outage"])
        wait_until(lambda: private_redis.queued("default") == 0, what="the worker takes a task")
        private_redis.stop()
        client.force_login(founder)
        submitted = client.post(f"/portal/applications/{application.pk}/submit/")
        client.force_login(partner)
        registered = client.post(
            reverse("events:event-register", args=[event.pk]), {"speaks_zh": "on"}
        )

    assert submitted.status_code == 302, submitted.content.decode()[:500]
    assert submitted["Location"] == f"/portal/applications/{application.pk}/"
    assert registered.status_code == 302, registered.content.decode()[:500]
    rows = list(OutboxMessage.objects.all())
    assert {(row.kind, row.recipient) for row in rows} >= {
        ("application_submitted", founder.email),
        ("event_registered", partner.email),
    }
    assert {row.status for row in rows} == {"pending"} and mailbox.received == []

    # Redis comes back empty (it keeps nothing on disk), and the two requests' tasks never
    # reached it. The worker reconnects by itself, and beat's next sweep sends the rows.
    private_redis.start()
    beat_sends(private_redis.url, SWEEP)
    wait_until(lambda: all_sent(rows), what="the outbox rows are sent")
    assert mailbox.message_ids() == {services.outbox_message_id(row): 1 for row in rows}


def pool_process(worker) -> int:
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


def unlocked(row) -> bool:
    """Whether no transaction holds the row (the killed worker's is rolled back)."""
    try:
        with transaction.atomic():
            return bool(
                list(OutboxMessage.objects.select_for_update(nowait=True).filter(pk=row.pk))
            )
    except DatabaseError:
        return False


def register_partners(event, count: int) -> list[OutboxMessage]:
    people = [PartnerPersonFactory().user for _ in range(count)]
    for user in people:
        event_services.registration_create(event=event, user=user)
    return list(OutboxMessage.objects.filter(recipient__in=[user.email for user in people]))


@pytest.mark.parametrize(
    "killed",
    [
        # A whole worker dies (its machine, its container): the other worker gets beat's
        # sweep, which finds the row still pending. The task itself stays with Redis until
        # the visibility timeout hands it back, an hour later.
        "worker",
        # A pool process dies (the kernel's out-of-memory killer): its worker finds it lost
        # and, with reject_on_worker_lost, puts the task back for its next pool process.
        "pool process",
    ],
)
def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_one_recognisable_duplicate(
    killed, workers, private_redis, mailbox
):
    # Two workers share the queue, as replicas do; the one that holds the first e-mail dies.
    if killed == "worker":
        started = [workers(), workers()]
    else:
        lost_wait = {"DJANGO_SETTINGS_MODULE": "tests.reliability.worker_settings"}
        started = [workers(pool="prefork", env=lost_wait)]
    event = EventFactory()
    mailbox.hold()
    with portal_broker(private_redis.url):
        rows = register_partners(event, 3)
        # The server has the first e-mail and has not answered: the row is not marked sent.
        taken = mailbox.wait_for(1)[0]
        first = next(r for r in rows if services.outbox_message_id(r) == taken.message_id)
        sender = next(worker for worker in started if worker.mail_port == taken.port).process
        if killed == "worker":
            kill(sender)
            mailbox.release()
            wait_until(lambda: unlocked(first), what="the killed delivery's transaction ends")
            first.refresh_from_db()
            assert first.status == "pending"
            beat_sends(private_redis.url, SWEEP)
        else:
            os.kill(pool_process(sender), signal.SIGKILL)
            mailbox.release()
        wait_until(lambda: all_sent(rows), what="every outbox row is sent")
        # Nothing lost, and the one message the server took twice has one Message-ID.
        ids = {row: services.outbox_message_id(row) for row in rows}
        twice = {ids[row]: 2 if row == first else 1 for row in rows}
        assert mailbox.message_ids() == twice

        # The task handed back later (by the visibility timeout) sends nothing: the next
        # e-mail arrives, and the duplicate is still the only one.
        beat_sends(private_redis.url, DELIVER, first.pk)
        (later,) = register_partners(event, 1)
        mailbox.wait_for(len(rows) + 2)
        assert mailbox.message_ids() == {**twice, services.outbox_message_id(later): 1}
