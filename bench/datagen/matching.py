"""Matching sessions: their participants, slots, availability, meeting requests, one done
scheduler run each, and the meetings it placed (each person once per slot, each pair once
per event, numbered tables, an interpreter where the two share no language)."""

from __future__ import annotations

import datetime as dt
import math

from bench.datagen.common import Context
from bench.datagen.events import Registrants
from events.models import (
    Availability,
    Event,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    Registration,
    ScheduleRun,
)

SLOTS = 8
TABLES = 25  # Event.meeting_tables of a generated session
PER_SLOT = 20  # placed per slot at most: some tables stay free, as after a real run
STARTUPS = PARTNERS = 40


def sessions_for(meetings: int) -> int:
    return math.ceil(meetings / (SLOTS * PER_SLOT)) if meetings > 0 else 0


def participants(
    ctx: Context, sessions: list[Event], who: Registrants, coordinators
) -> list[Registration]:
    """Return the registrations of the sessions' participants (insert them with the others)."""
    rng = ctx.rng
    rows = []
    for event in sessions:
        picked = [
            who.registration(event, "startup", s)
            for s in rng.sample(who.startups, min(STARTUPS, len(who.startups)))
        ]
        picked += [
            who.registration(event, "partner", p)
            for p in rng.sample(who.partners, min(PARTNERS, len(who.partners)))
        ]
        for r in picked:
            if event.status == "completed" and ctx.chance(0.9):
                r.checked_in_at = event.starts_at + dt.timedelta(minutes=rng.randint(-30, 30))
                r.checked_in_by = ctx.pick(coordinators)
        rows += picked
    return rows


def meetings(ctx: Context, sessions: list[Event], regs: list[Registration], total: int) -> None:
    """Create slots, availability, requests, runs and `total` meetings over the sessions."""
    rng = ctx.rng
    by_event: dict[int, list[Registration]] = {}
    for r in regs:
        by_event.setdefault(r.event_id, []).append(r)
    slots = []
    for event in sessions:
        for k in range(SLOTS):
            starts = event.starts_at + dt.timedelta(hours=1, minutes=30 * k)
            slots.append(
                MeetingSlot(
                    event=event, starts_at=starts, ends_at=starts + dt.timedelta(minutes=25)
                )
            )
    ctx.insert(MeetingSlot, slots)
    availability, requests, runs, placed = [], [], [], []
    targets = (
        [
            total // len(sessions) + (1 if i < total % len(sessions) else 0)
            for i in range(len(sessions))
        ]
        if sessions
        else []
    )
    for index, event in enumerate(sessions):
        people = by_event.get(event.pk, [])
        startups = [r for r in people if r.kind == "startup"]
        partners = [r for r in people if r.kind == "partner"]
        event_slots = slots[index * SLOTS : (index + 1) * SLOTS]
        free = {r.pk: {s.pk for s in event_slots if ctx.chance(0.9)} for r in people}
        for r in people:
            availability += [
                Availability(registration=r, slot=s) for s in event_slots if s.pk in free[r.pk]
            ]
        met: set[tuple[int, int]] = set()
        event_meetings = []
        for slot in event_slots:
            busy: set[int] = set()
            interpreters = in_slot = 0
            pairs = [(a, b) for a in startups for b in partners]
            rng.shuffle(pairs)
            for a, b in pairs:
                if len(event_meetings) >= targets[index] or in_slot >= PER_SLOT:
                    break
                key = (min(a.pk, b.pk), max(a.pk, b.pk))
                if (
                    a.pk in busy
                    or b.pk in busy
                    or key in met
                    or slot.pk not in free[a.pk]
                    or slot.pk not in free[b.pk]
                ):
                    continue
                interpreter = None
                if not (a.languages & b.languages):
                    if interpreters >= event.interpreters_per_slot:
                        continue
                    interpreters += 1
                    interpreter = interpreters
                busy |= {a.pk, b.pk}
                met.add(key)
                first, second = (a, b) if a.pk < b.pk else (b, a)
                in_slot += 1
                table = in_slot
                event_meetings.append(
                    Meeting(
                        event=event,
                        registration_a=first,
                        registration_b=second,
                        slot=slot,
                        table=table,
                        interpreter=interpreter,
                    )
                )
                requests.append(
                    MeetingRequest(
                        event=event,
                        from_registration=a if ctx.chance(0.6) else b,
                        to_registration=None,
                        priority=ctx.weighted({"must": 1, "would_like": 3}),
                        status="accepted",
                        message="",
                        responded_at=event.starts_at - dt.timedelta(days=3),
                    )
                )
                requests[-1].to_registration = b if requests[-1].from_registration is a else a
        # Requests the schedule did not place: declined or still pending.
        for _ in range(len(event_meetings) // 5):
            a, b = ctx.pick(startups), ctx.pick(partners)
            if (min(a.pk, b.pk), max(a.pk, b.pk)) in met:
                continue
            met.add((min(a.pk, b.pk), max(a.pk, b.pk)))
            status = ctx.weighted({"pending": 1, "declined": 1})
            requests.append(
                MeetingRequest(
                    event=event,
                    from_registration=a,
                    to_registration=b,
                    status=status,
                    responded_at=event.starts_at - dt.timedelta(days=2)
                    if status == "declined"
                    else None,
                )
            )
        started = event.starts_at - dt.timedelta(days=1)
        run = ScheduleRun(
            event=event,
            status="done",
            progress=100,
            pin_previous=True,
            started_at=started,
            finished_at=started + dt.timedelta(seconds=4),
            requests_count=len(event_meetings),
            scheduled_count=len(event_meetings),
            total_weight=len(event_meetings) * 2,
        )
        runs.append(run)
        for m in event_meetings:
            m.schedule_run = run
        placed += event_meetings
        # A session that could not place its share (availability, interpreters) hands the
        # rest to the next one, so the total is what was asked.
        if index + 1 < len(targets):
            targets[index + 1] += targets[index] - len(event_meetings)
    ctx.insert(Availability, availability)
    ctx.insert(MeetingRequest, requests)
    ctx.insert(ScheduleRun, runs)
    ctx.insert(Meeting, placed)
