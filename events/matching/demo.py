"""Demo data of 1:1 meetings, on top of `events.demo`.

The demo matching session gets meeting requests (most accepted, a few waiting for an
answer) and a first schedule. Idempotent: nothing is added twice, and a schedule is
computed only when the session has none.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from events.matching import runs, services
from events.matching.models import MeetingRequest, ScheduleRun
from events.models import Event, Registration

logger = logging.getLogger(__name__)

SIGN_INS: list[tuple[str, str]] = []


def _matching_session() -> Event | None:
    try:
        from events.demo import matching_session

        return matching_session()
    except (ImportError, Event.DoesNotExist):
        return Event.objects.filter(kind=Event.Kind.MATCHING_SESSION).order_by("pk").first()


def _requests(event: Event) -> None:
    """Each consenting startup asks two partners; partners accept all but the last request."""
    if MeetingRequest.objects.filter(event=event).exists():
        return
    people = list(
        Registration.objects.filter(event=event, status=Registration.Status.REGISTERED)
        .select_related("company", "event")
        .order_by("pk")
    )
    startups = [r for r in people if r.kind == "startup" and r.company.consent_to_partners]
    partners = [r for r in people if r.kind == "partner"]
    if not startups or not partners:
        return
    made = []
    for index, startup in enumerate(startups):
        for step, priority in ((0, "must"), (1, "would_like")):
            partner = partners[(index + step) % len(partners)]
            try:
                made.append(
                    services.meeting_request_create(
                        from_registration=startup,
                        to_registration=partner,
                        priority=priority,
                        message="",
                    )
                )
            except ValidationError as error:
                logger.info("Demo meeting request skipped: %s", error.messages)
    for request in made[:-1]:
        if request.status == MeetingRequest.Status.PENDING:
            services.meeting_request_respond(
                request=request, actor=request.to_registration.user, accept=True
            )


def _schedule(event: Event) -> None:
    if ScheduleRun.objects.filter(event=event).exists() or not event.slots.exists():
        return
    # Computed here, not by a worker, so that the agendas are there as soon as the demo loads.
    run = ScheduleRun.objects.create(event=event, requested_by=None)
    runs.schedule_run_execute(run_id=run.pk, time_limit=2.0)


@transaction.atomic
def load() -> None:
    event = _matching_session()
    if event is not None:
        _requests(event)
        _schedule(event)
