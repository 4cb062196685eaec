"""Demo data of this year's events, on top of `events.demo`.

The article's year (2020-21) is long past and the upcoming events are still to come, so
without these the staff dashboard's last twelve months and a KPI report of 2026 showed
nothing. From January to November 2026 the center held a roadshow or a matching session
most months, in Harbin, Binxian, Seoul, Daqing and Busan; most of the demo's partners and
founders came and were checked in, and at each matching session they met 1:1 in a few
20-minute slots.

Idempotent: events are keyed on their English title and start; an event with
registrations gets no more, a session with slots no more slots or meetings.
"""

import datetime as dt
import itertools

from django.db import transaction

from companies import demo as companies_demo
from events import demo as events_demo
from events.demo_data import ROADSHOW_CITIES
from events.matching.models import Meeting, MeetingSlot
from events.models import Event, Registration

YEAR = 2026
# (month, day, index in ROADSHOW_CITIES, a matching session rather than a roadshow)
CALENDAR = [
    (1, 14, 0, False),
    (1, 28, 1, True),
    (2, 25, 2, False),
    (3, 18, 3, True),
    (4, 15, 0, False),
    (4, 29, 1, True),
    (5, 20, 4, False),
    (6, 17, 0, True),
    (7, 8, 2, False),
    (9, 16, 1, True),
    (10, 21, 2, False),
    (11, 11, 3, True),
    (11, 25, 0, False),
]
MONTHS_EN = [dt.date(YEAR, m, 1).strftime("%B") for m in range(1, 13)]
SLOTS = 4
SLOT_MINUTES = 20


def _titles(city: tuple, month: int, matching: bool) -> dict[str, str]:
    city_en, city_ko, city_zh = city[:3]
    if matching:
        ko, zh, en = "한중 매칭 세션", "中韩对接会", "China–Korea matching session"
    else:
        ko, zh, en = "투자 로드쇼", "投资路演", "investment roadshow"
    return {
        "title_ko": f"{city_ko} {ko} ({YEAR}년 {month}월)",
        "title_zh": f"{city_zh}{zh}（{YEAR}年{month}月）",
        "title_en": f"{city_en} {en}, {MONTHS_EN[month - 1]} {YEAR}",
    }


def held_events() -> list[Event]:
    """Return this year's events, creating those the database does not have yet."""
    events = []
    for month, day, city_index, matching in CALENDAR:
        city = ROADSHOW_CITIES[city_index]
        fields = events_demo.held_session_fields(city, dt.date(YEAR, month, day), matching)
        titles = _titles(city, month, matching)
        events.append(
            events_demo.event_named(
                titles.pop("title_en"), fields.pop("starts_at"), **titles, **fields
            )
        )
    return events


def meetings(event: Event, registrations: list[Registration]) -> None:
    """Seat each startup with a different partner in each slot, from 30 minutes in."""
    startups = [r for r in registrations if r.kind == Registration.Kind.STARTUP]
    partners = [r for r in registrations if r.kind == Registration.Kind.PARTNER]
    pairs_at_once = min(len(startups), len(partners), event.meeting_tables)
    if not pairs_at_once:
        return
    first = event.starts_at + dt.timedelta(minutes=30)
    slots = MeetingSlot.objects.bulk_create(
        MeetingSlot(
            event=event,
            starts_at=first + dt.timedelta(minutes=n * SLOT_MINUTES),
            ends_at=first + dt.timedelta(minutes=(n + 1) * SLOT_MINUTES),
        )
        for n in range(min(SLOTS, len(partners)))
    )
    rows = []
    # A shift of the partners each slot: no pair meets twice, nobody sits at two tables.
    for (shift, slot), i in itertools.product(enumerate(slots), range(pairs_at_once)):
        a, b = sorted((startups[i], partners[(i + shift) % len(partners)]), key=lambda r: r.pk)
        rows.append(
            Meeting(event=event, registration_a=a, registration_b=b, slot=slot, table=i + 1)
        )
    Meeting.objects.bulk_create(rows)


@transaction.atomic
def load() -> None:
    people = companies_demo.partner_people()
    founders = events_demo.founders()
    for event in held_events():
        registrations = events_demo.check_ins(event, people, founders)
        if event.kind == Event.Kind.MATCHING_SESSION and not event.slots.exists():
            meetings(event, registrations)
