"""Events of every kind in both zones, registrations with check-ins and waitlists, and the
sessions and attendance of online programmes."""

from __future__ import annotations

import datetime as dt

from bench.datagen.common import Context, three
from events.models import (
    BADGE_ALPHABET,
    Event,
    OnlineSession,
    Registration,
    SessionAttendance,
    search_key,
)

KIND_WEIGHTS = {
    "roadshow": 3,
    "online_programme": 2,
    "delegation_visit": 1,
    "competition": 1,
    "training": 3,
    "demo_day": 1,
}
KIND_TITLES = {
    "roadshow": ("투자 로드쇼", "投资路演", "Investment roadshow"),
    "matching_session": ("1:1 비즈니스 매칭", "一对一商务对接会", "1:1 business matching"),
    "online_programme": ("온라인 중국 진출 교육", "线上中国市场课程", "Online China market course"),
    "delegation_visit": ("하얼빈 대표단 방문", "哈尔滨代表团访问", "Harbin delegation visit"),
    "competition": ("창업 경진대회", "创业大赛", "Startup competition"),
    "training": ("현지화 실무 교육", "本地化实务培训", "Localisation training"),
    "demo_day": ("데모데이", "路演日", "Demo day"),
}
VENUES = {
    "Asia/Shanghai": ("하얼빈 혁신센터", "哈尔滨创新中心", "Harbin Innovation Center"),
    "Asia/Seoul": ("서울 창업허브", "首尔创业中心", "Seoul Startup Hub"),
}


def events(ctx: Context, n: int, sessions: int, staff_) -> list[Event]:
    """Create n events, `sessions` of them matching sessions, from 18 months ago to 6 ahead."""
    rng = ctx.rng
    kinds = ["matching_session"] * min(sessions, n)
    kinds += [ctx.weighted(KIND_WEIGHTS) for _ in range(n - len(kinds))]
    rng.shuffle(kinds)
    rows = []
    for i, kind in enumerate(kinds):
        zone = "Asia/Shanghai" if ctx.chance(0.6) else "Asia/Seoul"
        day = ctx.today + dt.timedelta(days=rng.randint(-540, 180))
        # 9:00 local time: 1:00 UTC in Shanghai, 0:00 UTC in Seoul.
        starts = ctx.at(day, 1 if zone == "Asia/Shanghai" else 0) + dt.timedelta(
            hours=rng.choice((0, 1, 4))
        )
        days = 2 if kind in ("delegation_visit", "competition") else 1
        ends = starts + dt.timedelta(hours=8 if days == 1 else 32)
        if kind == "online_programme":
            ends = starts + dt.timedelta(days=21, hours=2)
        past = ends < ctx.now
        if past:
            status = ctx.weighted({"completed": 9, "cancelled": 1})
        else:
            status = ctx.weighted({"published": 17, "draft": 2, "cancelled": 1})
        if kind == "matching_session" and status in ("draft", "cancelled"):
            status = "completed" if past else "published"
        title = KIND_TITLES[kind]
        online = kind == "online_programme"
        venue = ("", "", "") if online else VENUES[zone]
        rows.append(
            Event(
                kind=kind,
                status=status,
                **three(
                    f"{title[0]} {i + 1}", f"{title[1]} {i + 1}", f"{title[2]} {i + 1}", "title"
                ),
                **three(
                    "센터가 주최하는 행사입니다.",
                    "由中心主办的活动。",
                    "An event of the center.",
                    "description",
                ),
                starts_at=starts,
                ends_at=ends,
                time_zone=zone,
                **three(*venue, "venue"),
                online_url="",
                capacity=None,
                registration_deadline=starts - dt.timedelta(days=1) if ctx.chance(0.5) else None,
                meeting_tables=25 if kind == "matching_session" else 0,
                interpreters_per_slot=5 if kind == "matching_session" else 0,
                meeting_requests_deadline=starts - dt.timedelta(days=2)
                if kind == "matching_session"
                else None,
                created_by=ctx.pick(staff_),
            )
        )
    return rows


class Registrants:
    """Who can register: members with their company, partner people with their organisation."""

    def __init__(self, ctx: Context, members_: dict[int, list], partner_people: list):
        self.ctx = ctx
        self.startups = [
            (user, company_id) for company_id, users in members_.items() for user in users
        ]
        self.partners = [(person.user, person.organisation_id, person) for person in partner_people]
        self.guests = 0

    def registration(self, event: Event, kind: str, who=None) -> Registration:
        ctx = self.ctx
        if kind == "startup":
            user, company_id = who
            speaks = (True, ctx.chance(0.3), ctx.chance(0.5))
            fields = {"user": user, "company_id": company_id, "name": user.full_name}
        elif kind == "partner":
            user, organisation_id, person = who
            speaks = (person.speaks_ko, person.speaks_zh, person.speaks_en)
            fields = {"user": user, "partner_organisation_id": organisation_id}
            fields["name"] = user.full_name
        else:
            self.guests += 1
            speaks = (False, True, ctx.chance(0.5))
            fields = {"name": f"Guest {self.guests}", "affiliation": "哈尔滨工业大学"}
            fields["guest_email"] = ctx.email("guest", self.guests)
        ko, zh, en = speaks
        row = Registration(
            event=event, kind=kind, speaks_ko=ko, speaks_zh=zh, speaks_en=en, **fields
        )
        row.search_name = search_key(row.name)
        row.badge_code = badge_code(ctx)
        return row


def badge_code(ctx: Context) -> str:
    while True:
        code = "".join(ctx.rng.choice(BADGE_ALPHABET) for _ in range(10))
        if code not in ctx.taken["badge"]:
            ctx.taken["badge"].add(code)
            return code


def registrations(
    ctx: Context, events_: list[Event], who: Registrants, total: int, coordinators, *, door: int
) -> list[Registration]:
    """Return `total` registrations over the events that are neither drafts nor matching
    sessions (the first with `door` of them, at most 5,000, for a door check-in at scale):
    startups, partners and guests, checked in at past events. The events' capacities are set
    here: insert them after."""
    rng = ctx.rng
    open_ = [e for e in events_ if e.status != "draft" and e.kind != "matching_session"]
    if not open_ or total <= 0:
        return []
    sizes = _sizes(ctx, len(open_), total, door)
    rows = []
    for event, size in zip(open_, sizes, strict=True):
        n_partners = min(len(who.partners), size // 5)
        n_startups = min(len(who.startups), size * 11 // 20)
        n_guests = size - n_partners - n_startups
        regs = [who.registration(event, "startup", s) for s in rng.sample(who.startups, n_startups)]
        regs += [
            who.registration(event, "partner", p) for p in rng.sample(who.partners, n_partners)
        ]
        regs += [who.registration(event, "guest") for _ in range(n_guests)]
        rng.shuffle(regs)
        _statuses(ctx, event, regs, coordinators)
        rows += regs
    return rows


def _sizes(ctx: Context, events: int, total: int, door: int) -> list[int]:
    """Return how many register for each event: the first takes `door` (at most 5,000 and
    total), the others a long tail capped at that size, summing to total."""
    big = max(1, min(5_000, door, total))
    cap = max(big, 3 * total // events)
    weights = [ctx.rng.paretovariate(1.5) for _ in range(events)]
    scale = (total - big) / sum(weights)
    sizes = [min(cap, int(w * scale)) for w in weights]
    sizes[0] = big
    short = total - sum(sizes)
    while short > 0:
        room = [i for i in range(1, events) if sizes[i] < cap] or [0]
        for i in room:
            add = min(short, max(1, short // len(room)), max(1, cap - sizes[i]))
            sizes[i] += add
            short -= add
            if not short:
                break
    return sizes


def _statuses(ctx: Context, event: Event, regs: list[Registration], coordinators) -> None:
    rng = ctx.rng
    if event.status == "cancelled":
        for r in regs:
            r.status, r.cancelled_at = (
                "cancelled",
                min(event.starts_at - dt.timedelta(days=3), ctx.now),
            )
        return
    waitlist = 0
    limited = event.status == "published" and len(regs) > 20 and ctx.chance(0.3)
    if limited:
        event.capacity = len(regs) * 9 // 10
    registered = 0
    for r in regs:
        if ctx.chance(0.08):
            days = rng.randint(1, 10)
            r.status, r.cancelled_at = (
                "cancelled",
                min(event.starts_at - dt.timedelta(days=days), ctx.now),
            )
        elif limited and registered >= event.capacity:
            waitlist += 1
            r.status, r.waitlist_position = "waitlisted", waitlist
        else:
            registered += 1
            if event.status == "completed" and ctx.chance(0.75):
                r.checked_in_at = event.starts_at + dt.timedelta(minutes=rng.randint(-30, 90))
                r.checked_in_by = ctx.pick(coordinators)


def online(ctx: Context, events_: list[Event], regs: list[Registration], coordinators) -> None:
    """Three sessions per online programme, and who attended the past ones."""
    rng = ctx.rng
    programmes = [e for e in events_ if e.kind == "online_programme"]
    sessions = []
    for event in programmes:
        for k in range(3):
            starts = event.starts_at + dt.timedelta(days=7 * k)
            sessions.append(
                OnlineSession(
                    event=event,
                    **three(f"{k + 1}회차", f"第{k + 1}讲", f"Session {k + 1}", "title"),
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2),
                    link=f"https://meet.example.com/{ctx.prefix}-{len(sessions) + 1}",
                )
            )
    ctx.insert(OnlineSession, sessions)
    by_event: dict[int, list] = {}
    for r in regs:
        if r.status == "registered":
            by_event.setdefault(r.event_id, []).append(r)
    attendances = []
    for session in sessions:
        if session.ends_at > ctx.now:
            continue
        for r in by_event.get(session.event_id, []):
            if ctx.chance(0.6):
                joined = session.starts_at + dt.timedelta(minutes=rng.randint(0, 15))
                attendances.append(
                    SessionAttendance(
                        session=session,
                        registration=r,
                        joined_at=joined,
                        left_at=joined + dt.timedelta(minutes=rng.randint(30, 100)),
                        recorded_by=ctx.pick(coordinators),
                    )
                )
    ctx.insert(SessionAttendance, attendances)
