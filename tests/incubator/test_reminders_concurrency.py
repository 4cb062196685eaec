"""Two reminder sweeps at the same moment on PostgreSQL write and deliver each reminder once,
and neither fails on the other's rows (INSERT ... ON CONFLICT DO NOTHING).

In a file of its own: a transactional test empties the tables the migrations filled.
"""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core import mail

from incubator import reminders
from incubator.models import OutboxMessage
from tests.conftest import need
from tests.events.factories import EventFactory, StartupRegistrationFactory

POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]
pytestmark = [pytest.mark.services] + (
    [pytest.mark.django_db(transaction=True)] if POSTGRESQL else []
)
PEOPLE = 40


def test_two_sweeps_at_once_write_and_send_each_reminder_once():
    need(POSTGRESQL, "PostgreSQL")
    start = dt.datetime(2026, 12, 10, 1, 0, tzinfo=dt.UTC)
    event = EventFactory(starts_at=start, ends_at=start + dt.timedelta(hours=8))
    for _ in range(PEOPLE):
        StartupRegistrationFactory(event=event)
    mail.outbox.clear()
    at = start - dt.timedelta(hours=24)
    barrier = threading.Barrier(2)
    written, errors = [], []

    def sweep():
        from django.db import connection

        try:
            barrier.wait()
            written.append(reminders.reminders_sweep(now=at, codes=["event_24h"]).written)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(written) == PEOPLE
    rows = OutboxMessage.objects.filter(kind="event_reminder")
    assert rows.count() == PEOPLE
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(rows.values_list("recipient", flat=True))
    # A third sweep, later within the grace period, finds everything written.
    assert (
        reminders.reminders_sweep(now=at + dt.timedelta(hours=1), codes=["event_24h"]).written == 0
    )
