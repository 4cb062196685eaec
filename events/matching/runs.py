"""The scheduler's runs of a matching session: queued by staff, computed by a worker, written.

A run is queued under the event lock and computed outside any transaction; its result
replaces the unlocked meetings in one transaction under the event lock again. While a run is
queued or computing, the other writes of the schedule (slots, meetings by hand) are refused
(`refuse_while_running`): the run would overwrite them. A run no worker took or finished in
time fails, so that it does not block the event for ever.
"""

import datetime as dt
import logging
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.matching import bound, matchmaking, messages, policies
from events.matching.models import Meeting, ScheduleRun
from events.matching.selectors import Loaded, load_schedule_problem
from events.models import Event, Registration
from events.services import lock_event
from incubator.audit import audit_record
from incubator.services import task_enqueue_on_commit

logger = logging.getLogger(__name__)

SCHEDULE_TASK = "events.matching.tasks.schedule_meetings_task"
PROGRESS_STEP = 5  # percent between two progress writes
SCHEDULE_SHARE = 90  # percent of the progress bar for the schedule, the rest for its bound
BOUND_TIME_LIMIT = 20.0  # seconds; about 1 s of LP at fair size (300 x 200 people)
STALE_QUEUED = dt.timedelta(minutes=15)
STALE_RUNNING = dt.timedelta(minutes=30)


# --- Guards ----------------------------------------------------------------------------------


def _expire_stale_runs(event: Event) -> None:
    """Fail the runs no worker took or finished in time (the broker was down, a worker died),
    so that they do not block the event's schedule for ever."""
    now = timezone.now()
    ScheduleRun.objects.filter(
        Q(status=ScheduleRun.Status.QUEUED, created_at__lt=now - STALE_QUEUED)
        | Q(status=ScheduleRun.Status.RUNNING, started_at__lt=now - STALE_RUNNING),
        event=event,
        status__in=ScheduleRun.statuses_leading_to(ScheduleRun.Status.FAILED),
    ).update(
        status=ScheduleRun.Status.FAILED,
        finished_at=now,
        error=_("No worker finished this run in time; generate the schedule again."),
    )


def refuse_while_running(event: Event) -> None:
    """Refuse a change while a run computes; the event row is locked by the caller."""
    _expire_stale_runs(event)
    if ScheduleRun.objects.filter(event=event, status__in=ScheduleRun.ACTIVE).exists():
        raise ValidationError(
            _("A schedule is being computed for this event; wait until it is done."),
            code="scheduling",
        )


def refuse_unless_open(event: Event) -> None:
    """Refuse a change of the meetings of an event that is not an open matching session."""
    reason = policies.matching_closed_because(event)
    if reason:
        # The code is the partner API's `reason` (docs/api.md), in the policy's order.
        if not event.is_matching_session:
            code = "not_matching"
        else:
            code = "cancelled" if event.status == Event.Status.CANCELLED else "over"
        raise ValidationError(reason, code=code)


def free_number(taken: set[int], capacity: int) -> int | None:
    """The lowest table or interpreter of 1..capacity not in `taken`, or None."""
    return next((n for n in range(1, capacity + 1) if n not in taken), None)


# --- Runs ----------------------------------------------------------------------------------


def schedule_run_start(*, event: Event, actor, pin_previous: bool = True) -> ScheduleRun:
    """Queue a schedule computation for a matching session; a worker runs it."""
    if not policies.can_schedule(actor, event):
        raise PermissionDenied
    with transaction.atomic():
        event = lock_event(event)
        refuse_unless_open(event)
        refuse_while_running(event)
        slots = list(event.slots.all())
        for slot in slots:
            slot.event = event
        if not slots:
            raise ValidationError(_("Add the meeting time slots of the event first."))
        if not any(slot.table_count for slot in slots):
            raise ValidationError(_("Give the number of meeting tables first."))
        try:
            with transaction.atomic():
                run = ScheduleRun.objects.create(
                    event=event, requested_by=actor, pin_previous=pin_previous
                )
        except IntegrityError:
            raise ValidationError(
                _("A schedule is being computed for this event; wait until it is done.")
            ) from None
        audit_record(
            actor=actor,
            verb="schedule.generate",
            obj=run,
            changes={"event": event.pk, "pin_previous": pin_previous},
        )
        task_enqueue_on_commit(SCHEDULE_TASK, run.pk)
    return run


def _progress_writer(run_id: int):
    last = [0]

    def report(done: int, total: int) -> None:
        # 100 is written with the result; a bar at 100% must mean "done".
        value = min(99, done * SCHEDULE_SHARE // max(total, 1))
        if value >= last[0] + PROGRESS_STEP:
            last[0] = value
            ScheduleRun.objects.filter(pk=run_id, status=ScheduleRun.Status.RUNNING).update(
                progress=value
            )

    return report


def _fail(run_id: int, message: str) -> None:
    failing = ScheduleRun.statuses_leading_to(ScheduleRun.Status.FAILED)
    ScheduleRun.objects.filter(pk=run_id, status__in=failing).update(
        status=ScheduleRun.Status.FAILED, finished_at=timezone.now(), error=message[:4000]
    )


def schedule_run_execute(*, run_id: int, time_limit: float = 4.0) -> ScheduleRun | None:
    """Compute the schedule of a queued run and write it; return the run.

    Idempotent: a finished run is left alone (a redelivered task does nothing). Locked
    meetings stay; the meetings of the last schedule keep their slot and table unless they
    no longer fit (with `run.pin_previous`). The result replaces the unlocked meetings in one
    transaction under the event lock, and each participant whose agenda changed gets it by
    e-mail in their language and time zone.
    """
    with transaction.atomic():
        run = (
            ScheduleRun.objects.select_for_update(of=("self",))
            .select_related("event")
            .filter(pk=run_id)
            .first()
        )
        if run is None or not run.begin():
            return run
    try:
        loaded = load_schedule_problem(run.event)
        result = matchmaking.schedule(
            loaded.problem,
            _progress_writer(run.pk),
            time_limit=time_limit,
            pin_previous=run.pin_previous,
        )
        upper = _upper_bound(loaded.problem, result, run.pin_previous)
    except Exception as error:  # noqa: BLE001 - any failure is shown on the run's page
        logger.exception("Schedule run %s failed", run_id)
        _fail(run.pk, f"{type(error).__name__}: {error}")
        run.refresh_from_db()
        return run
    try:
        with transaction.atomic():
            _write_result(run, loaded, result, upper)
    except ValidationError as error:
        _fail(run.pk, " ".join(error.messages))
    except Exception as error:  # noqa: BLE001 - the old schedule stays; the page says why
        logger.exception("Schedule run %s could not be written", run_id)
        _fail(run.pk, f"{type(error).__name__}: {error}")
    run.refresh_from_db()
    return run


def _upper_bound(
    problem: matchmaking.Problem, result: matchmaking.ScheduleResult, pin_previous: bool
) -> int | None:
    """The bound of the problem the run solved: with its locked meetings, and the previous
    meetings it kept in their slot when it was asked to keep them. None if the LP fails: the
    schedule stands without it."""
    kept = {}
    if pin_previous:
        slot_of = {
            matchmaking.pair_key(*pair): place[0] for pair, place in result.assignments.items()
        }
        kept = {
            pair: slot
            for pair, (slot, _table) in problem.previous.items()
            if slot_of.get(matchmaking.pair_key(*pair)) == slot
        }
    try:
        value = bound.upper_bound(problem, fixed=kept, time_limit=BOUND_TIME_LIMIT).value
    except Exception:  # noqa: BLE001 - the bound only describes the schedule
        logger.exception("The upper bound of a schedule could not be computed")
        return None
    if value < result.total_weight:
        logger.error("Upper bound %s below the schedule's weight %s", value, result.total_weight)
        return None
    return value


def _signature(meetings) -> set:
    return {
        (m.registration_a_id, m.registration_b_id, m.slot_id, m.table, m.interpreter)
        for m in meetings
        if m.locked
    }


def _write_result(
    run: ScheduleRun, loaded: Loaded, result: matchmaking.ScheduleResult, upper: int | None
):
    event = lock_event(run.event)
    run = ScheduleRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ScheduleRun.Status.RUNNING:
        return
    current = list(Meeting.objects.filter(event=event))
    if _signature(current) != _signature(loaded.meetings):
        raise ValidationError(_("Locked meetings changed while the schedule was computed."))
    locked = {(m.registration_a_id, m.registration_b_id): m for m in current if m.locked}
    before = {(m.registration_a_id, m.registration_b_id): m for m in loaded.meetings}
    interpreters_taken: dict[int, set[int]] = defaultdict(set)
    for m in locked.values():
        if m.interpreter:
            interpreters_taken[m.slot_id].add(m.interpreter)

    # Who cancelled while the run computed has had their meetings taken off: keep it so.
    standing = set(
        Registration.objects.filter(
            event=event, status=Registration.Status.REGISTERED, pk__in=list(loaded.people)
        ).values_list("pk", flat=True)
    )
    Meeting.objects.filter(event=event, locked=False).delete()
    new = []
    for pair, (slot_id, table) in sorted(
        result.assignments.items(), key=lambda item: (item[1], sorted(item[0]))
    ):
        a, b = sorted(pair)
        if (a, b) in locked or not {a, b} <= standing:
            continue
        interpreter = None
        if pair in result.interpreters:
            slot = loaded.slots[slot_id]
            interpreter = free_number(interpreters_taken[slot_id], slot.interpreter_count)
            interpreters_taken[slot_id].add(interpreter)
        new.append(
            Meeting(
                event=event,
                registration_a_id=a,
                registration_b_id=b,
                slot_id=slot_id,
                table=table + 1,
                interpreter=interpreter,
                schedule_run=run,
            )
        )
    Meeting.objects.bulk_create(new)
    after = {**{(m.registration_a_id, m.registration_b_id): m for m in new}, **locked}
    moved = sum(
        1
        for pair, old in before.items()
        if not old.locked
        and (
            pair not in after
            or (after[pair].slot_id, after[pair].table) != (old.slot_id, old.table)
        )
    )
    unscheduled = [
        {"a": min(pair), "b": max(pair), "reason": reason}
        for pair, reason in sorted(result.unscheduled.items(), key=lambda item: sorted(item[0]))
    ]
    first_run = not ScheduleRun.objects.filter(event=event, status=ScheduleRun.Status.DONE).exists()
    run.move_to(ScheduleRun.Status.DONE)
    run.progress = 100
    run.finished_at = timezone.now()
    run.requests_count = len(loaded.priorities)
    run.scheduled_count = len(after)
    run.unscheduled_count = len(unscheduled)
    run.moved_count = moved
    run.total_weight = result.total_weight
    run.idle_gaps = result.idle_gaps
    run.upper_bound = upper
    run.bound_share = None if upper is None else ScheduleRun.share_of(result.total_weight, upper)
    run.unscheduled = unscheduled
    run.error = ""
    run.save()
    audit_record(
        actor=run.requested_by,
        verb="schedule.apply",
        obj=run,
        changes={
            "event": event.pk,
            "scheduled": run.scheduled_count,
            "unscheduled": run.unscheduled_count,
            "moved": moved,
            "upper_bound": upper,
        },
    )
    messages.send_agendas(run, loaded, before.values(), after.values(), first_run)
    messages.webhooks_after_run(run, loaded, before.values(), after.values())
