"""Demo data of events: the center's partners and a year of events as the article tells it.

- the summer 2020 delegation (events/delegations/demo.py, one of the EXTENSIONS below);
- 6 online programmes and over 100 roadshows and matching sessions between 2020-08-10 and
  2021-08-10, held (completed), a few with registrations and check-ins;
- partner organisations (investors, local companies, Binxian county, Harbin city,
  universities) whose people have portal accounts (companies.demo makes them);
- upcoming events in 2026-12 and 2027: a roadshow with a waitlist, the matching session
  of `matching_session()` (16 slots of 20 minutes, 12 tables, 3 interpreters) with startups
  and partners registered, their languages and availability, and the China–Korea Science &
  Technology Startup Competition of `competition_event()`.

Idempotent: events are keyed on their English title and start, people on their e-mail,
registrations on (event, person). This year's events, the 1:1 meetings and judging add
their own demo data through the modules named in EXTENSIONS, after this one.
"""

import datetime as dt
import zoneinfo
from importlib import import_module
from importlib.util import find_spec

from django.db import transaction

from companies import demo as companies_demo
from companies.models import Company, Membership
from events.demo_data import (
    BINXI_VENUE,
    BUSAN_VENUE,
    COMPETITION_TITLE_EN,
    COUNTY_EMAIL,
    DAQING_VENUE,
    FOUNDERS,
    HARBIN_EXPO_VENUE,
    INVESTOR_EMAIL,
    LOCAL_COMPANY_EMAIL,
    MATCHING_TITLE_EN,
    ONLINE_PROGRAMMES,
    ROADSHOW_CITIES,
    SEOUL,
    SEOUL_VENUE,
    SHANGHAI,
)
from events.models import (
    Availability,
    Event,
    MeetingSlot,
    OnlineSession,
    Registration,
    new_badge_code,
    search_key,
)
from incubator.demo import demo_user

# Modules of the events app that add their demo data to these events (the 2020 delegation,
# this year's events, meeting requests and a schedule, competition rounds and judges, the
# reminders' briefing),
# loaded after this one when present.
EXTENSIONS = (
    "events.delegations.demo",
    "events.demo_this_year",
    "events.matching.demo",
    "events.judging.demo",
    "events.demo_reminder",
)


def _extensions() -> list:
    return [import_module(name) for name in EXTENSIONS if find_spec(name) is not None]


SIGN_INS = [
    ("partner (investor)", INVESTOR_EMAIL),
    ("partner (local company)", LOCAL_COMPANY_EMAIL),
    ("county government", COUNTY_EMAIL),
    *[pair for module in _extensions() for pair in getattr(module, "SIGN_INS", [])],
]


def local_time(zone: str, year, month, day, hour=9, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=zoneinfo.ZoneInfo(zone))


def event_named(title_en: str, starts_at: dt.datetime, **fields) -> Event:
    """Return the event of that English title and start, made with `fields` if it is new."""
    event = Event.objects.filter(title_en=title_en, starts_at=starts_at).first()
    if event is None:
        event = Event(title_en=title_en, starts_at=starts_at, **fields)
        event.full_clean()
        event.save()
    return event


def venue_fields(names: tuple[str, str, str]) -> dict[str, str]:
    """Return the venue fields of a (ko, zh, en) venue."""
    return dict(zip(("venue_ko", "venue_zh", "venue_en"), names, strict=True))


def _speaks(codes: str) -> dict[str, bool]:
    spoken = set(codes.split())
    return {f"speaks_{code}": code in spoken for code in ("ko", "zh", "en")}


# --- People ---------------------------------------------------------------------------------


def founders() -> list[tuple[object, str]]:
    """Return (user, languages) of the founders with accounts, creating their memberships."""
    result = []
    for email, speaks in (
        (companies_demo.OWNER_EMAIL, "ko zh"),
        (companies_demo.APPLICANT_EMAIL, "ko en"),
    ):
        user = Membership.objects.filter(user__email=email).select_related("user").first()
        if user is not None:
            result.append((user.user, speaks))
    for index, email, name, speaks in FOUNDERS:
        company = Company.objects.filter(brn=companies_demo.brn(index)).first()
        if company is None:
            continue
        user = demo_user(email=email, full_name=name, language="ko", time_zone=SEOUL, staff=False)
        Membership.objects.get_or_create(
            user=user, defaults={"company": company, "role": Membership.Role.OWNER}
        )
        result.append((user, speaks))
    return result


def _register(event: Event, user, speaks: str, **fields) -> Registration:
    """Register a person directly (the demo's dates may lie past any deadline)."""
    existing = Registration.objects.filter(event=event, user=user).first()
    if existing is not None:
        return existing
    values = {"name": user.get_full_name(), **_speaks(speaks), **fields}
    person = getattr(user, "partner_person", None)
    if person is not None:
        values |= {
            "kind": Registration.Kind.PARTNER,
            "partner_organisation": person.organisation,
            "affiliation": person.organisation.name_en,
        }
    else:
        company = user.membership.company
        values |= {
            "kind": Registration.Kind.STARTUP,
            "company": company,
            "affiliation": company.name_en or company.name_ko,
        }
    registration = Registration(event=event, user=user, **values)
    registration.full_clean()
    registration.save()
    return registration


def _register_guest(event: Event, name: str, email: str, affiliation: str, speaks: str):
    registration, _created = Registration.objects.get_or_create(
        event=event,
        user=None,
        guest_email=email,
        defaults={
            "kind": Registration.Kind.GUEST,
            "name": name,
            "affiliation": affiliation,
            **_speaks(speaks),
        },
    )
    return registration


# --- The 2020 delegation -------------------------------------------------------------------


# --- A year of events (2020-08-10 to 2021-08-10) ----------------------------------------------


def online_programmes() -> list[Event]:
    events = []
    for (title_ko, title_zh, title_en), first, sessions in ONLINE_PROGRAMMES:
        starts_at = local_time(SEOUL, first.year, first.month, first.day, 15, 0)
        last = starts_at + dt.timedelta(weeks=len(sessions) - 1, hours=1, minutes=30)
        event = event_named(
            title_en,
            starts_at,
            kind=Event.Kind.ONLINE_PROGRAMME,
            status=Event.Status.COMPLETED,
            ends_at=last,
            time_zone=SEOUL,
            title_ko=title_ko,
            title_zh=title_zh,
            description_ko=f"매주 한 번, 모두 {len(sessions)}회의 온라인 세션 (한국어·중국어).",
            description_zh=f"每周一次，共{len(sessions)}场线上课程（韩语和中文）。",
            description_en=f"{len(sessions)} weekly online sessions, Korean and Chinese.",
        )
        if not event.online_sessions.exists():
            OnlineSession.objects.bulk_create(
                [
                    OnlineSession(
                        event=event,
                        title_ko=f"{n + 1}. {ko}",
                        title_zh=f"{n + 1}. {zh}",
                        title_en=f"{n + 1}. {en}",
                        starts_at=starts_at + dt.timedelta(weeks=n),
                        ends_at=starts_at + dt.timedelta(weeks=n, hours=1, minutes=30),
                        link=f"https://meeting.center.example/j/{event.pk:04d}{n + 1:02d}",
                    )
                    for n, (ko, zh, en) in enumerate(sessions)
                ]
            )
        events.append(event)
    return events


def held_session_fields(city: tuple, day: dt.date, matching: bool) -> dict:
    """The fields of a roadshow (10:00) or a matching session (14:00), held, in `city`."""
    _en, _ko, _zh, zone, venue = city
    starts_at = local_time(zone, day.year, day.month, day.day, 14 if matching else 10, 0)
    return {
        "kind": Event.Kind.MATCHING_SESSION if matching else Event.Kind.ROADSHOW,
        "status": Event.Status.COMPLETED,
        "starts_at": starts_at,
        "ends_at": starts_at + dt.timedelta(hours=3),
        "time_zone": zone,
        **venue_fields(venue),
        "capacity": 60 if matching else 120,
        "meeting_tables": 8 if matching else 0,
        "interpreters_per_slot": 2 if matching else 0,
    }


def roadshows_and_matching_sessions(count: int = 104) -> list[Event]:
    """Create the events of the first year, every 3 or 4 days; return the new ones."""
    first = dt.date(2020, 8, 12)
    wanted = []
    for n in range(count):
        day = first + dt.timedelta(days=(n * 362) // count)
        city = ROADSHOW_CITIES[n % len(ROADSHOW_CITIES)]
        city_en, city_ko, city_zh = city[:3]
        matching = n % 2 == 1
        number = n // 2 + 1
        if matching:
            titles = (
                f"{city_ko} 한중 기업 매칭 세션 제{number}회",
                f"{city_zh}中韩企业对接会 第{number}期",
                f"{city_en} China–Korea matching session no. {number}",
            )
        else:
            titles = (
                f"{city_ko} 투자 로드쇼 제{number}회",
                f"{city_zh}投资路演 第{number}期",
                f"{city_en} investment roadshow no. {number}",
            )
        wanted.append(
            Event(
                title_ko=titles[0],
                title_zh=titles[1],
                title_en=titles[2],
                **held_session_fields(city, day, matching),
            )
        )
    existing = set(
        Event.objects.filter(title_en__in=[e.title_en for e in wanted]).values_list(
            "title_en", flat=True
        )
    )
    return Event.objects.bulk_create([e for e in wanted if e.title_en not in existing])


def attendance_of_past_events(people, founders_) -> None:
    """Registrations and check-ins at the last six matching sessions of the first year."""
    past = Event.objects.filter(
        kind=Event.Kind.MATCHING_SESSION,
        status=Event.Status.COMPLETED,
        starts_at__lt=dt.datetime(2021, 8, 11, tzinfo=dt.UTC),
        title_en__contains="matching session no.",
    ).order_by("-starts_at")[:6]
    for event in past:
        check_ins(event, people, founders_)


def check_ins(event: Event, people, founders_) -> list[Registration]:
    """Register most of the demo's partners and founders at a past event, all checked in.

    Once: an event with registrations gets none, and the list returned is empty.
    """
    if event.registrations.exists():
        return []
    everyone = [(p.user, "zh") for p in people[:5]] + founders_[:6]
    rows = []
    for n, (user, speaks) in enumerate(everyone):
        if (n + event.pk) % 4 == 0:
            continue  # not everyone came to every session
        person = getattr(user, "partner_person", None)
        company = None if person else user.membership.company
        name = user.get_full_name()
        rows.append(
            Registration(
                event=event,
                kind=Registration.Kind.PARTNER if person else Registration.Kind.STARTUP,
                user=user,
                company=company,
                partner_organisation=person.organisation if person else None,
                name=name,
                search_name=search_key(name),
                affiliation=(person.organisation.name_en if person else company.name_en),
                badge_code=new_badge_code(),
                checked_in_at=event.starts_at + dt.timedelta(minutes=5 + n),
                **_speaks(speaks),
            )
        )
    return Registration.objects.bulk_create(rows)


# --- Upcoming --------------------------------------------------------------------------------


def matching_session() -> Event:
    """Return the upcoming demo matching session (created by `load()`), for the scheduler's demo."""
    return Event.objects.get(title_en=MATCHING_TITLE_EN)


def competition_event() -> Event:
    """Return the demo China–Korea Science & Technology Startup Competition."""
    return Event.objects.get(title_en=COMPETITION_TITLE_EN)


def _matching_session(people, founders_) -> Event:
    day = (2026, 12, 15)
    event = event_named(
        MATCHING_TITLE_EN,
        local_time(SHANGHAI, *day, 9, 0),
        kind=Event.Kind.MATCHING_SESSION,
        status=Event.Status.PUBLISHED,
        ends_at=local_time(SHANGHAI, *day, 17, 0),
        time_zone=SHANGHAI,
        title_ko="빈현 한중 매칭 세션 (2026년 12월)",
        title_zh="宾县中韩对接会（2026年12月）",
        description_ko="한국 스타트업과 헤이룽장의 투자자, 기업, 정부, 대학이 20분씩 1:1로 "
        "만납니다. 통역 3명이 함께합니다.",
        description_zh="韩国初创企业与黑龙江投资机构、企业、政府和高校进行每场20分钟的"
        "一对一洽谈，现场配备3名翻译。",
        description_en="Korean startups meet Heilongjiang investors, companies, government and "
        "universities one to one, 20 minutes each, with 3 interpreters.",
        **venue_fields(BINXI_VENUE),
        capacity=80,
        registration_deadline=local_time(SHANGHAI, 2026, 12, 10, 18, 0),
        meeting_requests_deadline=local_time(SHANGHAI, 2026, 12, 12, 18, 0),
        meeting_tables=12,
        interpreters_per_slot=3,
    )
    if not event.slots.exists():
        # 9 slots in the morning (09:00–12:00), 7 after lunch (13:30–15:50).
        starts = [local_time(SHANGHAI, *day, 9, 0) + dt.timedelta(minutes=20 * n) for n in range(9)]
        starts += [
            local_time(SHANGHAI, *day, 13, 30) + dt.timedelta(minutes=20 * n) for n in range(7)
        ]
        MeetingSlot.objects.bulk_create(
            [
                MeetingSlot(event=event, starts_at=s, ends_at=s + dt.timedelta(minutes=20))
                for s in starts
            ]
        )
    slots = list(event.slots.order_by("starts_at"))
    registrations = [_register(event, user, speaks) for user, speaks in founders_]
    registrations += [_register(event, p.user, " ".join(sorted(p.languages))) for p in people]
    registrations.append(
        _register_guest(
            event, "高明 Gao Ming", "gao.ming@hlj-tech-market.example",
            "Heilongjiang Technology Market", "zh",
        )
    )  # fmt: skip
    if not Availability.objects.filter(registration__event=event).exists():
        rows = []
        for n, registration in enumerate(registrations):
            # Most are free all day; some only in the morning or after lunch.
            chosen = slots
            if n % 5 == 3:
                chosen = slots[:9]
            elif n % 5 == 4:
                chosen = slots[9:]
            rows += [Availability(registration=registration, slot=slot) for slot in chosen]
        Availability.objects.bulk_create(rows)
    return event


def upcoming_events(people, founders_) -> None:
    roadshow = event_named(
        "Seoul investment roadshow, December 2026",
        local_time(SEOUL, 2026, 12, 8, 14, 0),
        kind=Event.Kind.ROADSHOW,
        status=Event.Status.PUBLISHED,
        ends_at=local_time(SEOUL, 2026, 12, 8, 17, 0),
        time_zone=SEOUL,
        title_ko="서울 투자 로드쇼 (2026년 12월)",
        title_zh="首尔投资路演（2026年12月）",
        description_ko="헤이룽장 투자자들이 서울을 찾아 한국 스타트업의 발표를 듣습니다. "
        "좌석이 적어 대기자 명단이 있습니다.",
        description_zh="黑龙江投资机构赴首尔听取韩国初创企业路演。座位有限，设有候补名单。",
        description_en="Heilongjiang investors come to Seoul to hear Korean startups pitch. "
        "Few seats: there is a waitlist.",
        **venue_fields(SEOUL_VENUE),
        capacity=4,
        registration_deadline=local_time(SEOUL, 2026, 12, 6, 18, 0),
    )
    if not roadshow.registrations.exists():
        for position, (user, speaks) in enumerate(founders_[:6]):
            extra = {}
            if position >= 4:
                extra = {"status": "waitlisted", "waitlist_position": position - 3}
            _register(roadshow, user, speaks, **extra)
    event_named(
        "Daqing China–Korea matching session, January 2027",
        local_time(SHANGHAI, 2027, 1, 20, 13, 30),
        kind=Event.Kind.MATCHING_SESSION,
        status=Event.Status.PUBLISHED,
        ends_at=local_time(SHANGHAI, 2027, 1, 20, 17, 30),
        time_zone=SHANGHAI,
        title_ko="다칭 한중 매칭 세션 (2027년 1월)",
        title_zh="大庆中韩对接会（2027年1月）",
        **venue_fields(DAQING_VENUE),
        capacity=60,
        meeting_tables=8,
        interpreters_per_slot=2,
    )
    event_named(
        "Busan roadshow, March 2027",
        local_time(SEOUL, 2027, 3, 16, 10, 0),
        kind=Event.Kind.ROADSHOW,
        status=Event.Status.PUBLISHED,
        ends_at=local_time(SEOUL, 2027, 3, 16, 13, 0),
        time_zone=SEOUL,
        title_ko="부산 로드쇼 (2027년 3월)",
        title_zh="釜山路演（2027年3月）",
        **venue_fields(BUSAN_VENUE),
    )
    programme = event_named(
        "Doing business in Heilongjiang, online, 2027",
        local_time(SEOUL, 2027, 2, 3, 15, 0),
        kind=Event.Kind.ONLINE_PROGRAMME,
        status=Event.Status.PUBLISHED,
        ends_at=local_time(SEOUL, 2027, 2, 17, 16, 30),
        time_zone=SEOUL,
        title_ko="헤이룽장에서 사업하기 온라인 과정 (2027)",
        title_zh="在黑龙江经商在线课程（2027）",
    )
    if not programme.online_sessions.exists():
        OnlineSession.objects.bulk_create(
            [
                OnlineSession(
                    event=programme,
                    title_ko=ko,
                    title_zh=zh,
                    title_en=en,
                    starts_at=programme.starts_at + dt.timedelta(weeks=n),
                    ends_at=programme.starts_at + dt.timedelta(weeks=n, hours=1, minutes=30),
                    link=f"https://meeting.center.example/j/2027{n + 1:02d}",
                )
                for n, (ko, zh, en) in enumerate(
                    [
                        ("현지 법인 설립", "设立当地公司", "Setting up a local company"),
                        ("빈현의 지원 정책", "宾县扶持政策", "Binxian's support policies"),
                        ("채용과 비자", "招聘与签证", "Hiring and visas"),
                    ]
                )
            ]
        )
    _register(programme, founders_[0][0], founders_[0][1])
    event_named(
        COMPETITION_TITLE_EN,
        local_time(SHANGHAI, 2027, 4, 20, 9, 0),
        kind=Event.Kind.COMPETITION,
        status=Event.Status.PUBLISHED,
        ends_at=local_time(SHANGHAI, 2027, 4, 21, 17, 0),
        time_zone=SHANGHAI,
        title_ko="한중 과학기술 창업 경진대회 2027",
        title_zh="2027中韩科技创新创业大赛",
        description_ko="센터가 예고한 한중 과학기술 창업 경진대회: 예선 심사 후 하얼빈에서 결선.",
        description_zh="中心宣布的中韩科技创新创业大赛：初赛评审后在哈尔滨举行决赛。",
        description_en="The competition the center announced: online preliminary judging, "
        "then the final in Harbin.",
        **venue_fields(HARBIN_EXPO_VENUE),
        capacity=300,
        registration_deadline=local_time(SHANGHAI, 2027, 4, 10, 18, 0),
    )


@transaction.atomic
def load() -> None:
    companies_demo.partner_organisations()
    people = companies_demo.partner_people()
    founders_ = founders()
    online_programmes()
    roadshows_and_matching_sessions()
    attendance_of_past_events(people, founders_)
    upcoming_events(people, founders_)
    _matching_session(people, founders_)
    for module in _extensions():
        module.load()
