"""Demo data of events: the center's partners and a year of events as the article tells it.

- the summer 2020 delegation: 21 people (the chairman of the Korea Accelerator Association,
  the heads of the 16 companies, four others) flown to Harbin, with their programme up to
  the founding of the two centers on 2020-08-10;
- 6 online programmes and over 100 roadshows and matching sessions between 2020-08-10 and
  2021-08-10, held (completed), a few with registrations and check-ins;
- partner organisations (investors, local companies, Binxian county, Harbin city,
  universities) whose people have portal accounts;
- upcoming events in 2026-12 and 2027: a roadshow with a waitlist, the matching session
  of `matching_session()` (16 slots of 20 minutes, 12 tables, 3 interpreters) with startups
  and partners registered, their languages and availability, and the China–Korea Science &
  Technology Startup Competition of `competition_event()`.

Idempotent: events are keyed on their English title and start, people on their e-mail,
registrations on (event, person). The 1:1 meetings and judging add their own demo data
(requests, rounds, judges) through the modules named in EXTENSIONS, after this one.
"""

import datetime as dt
import zoneinfo
from importlib import import_module
from importlib.util import find_spec

from django.db import transaction

from companies import demo as companies_demo
from companies.models import Company, Membership, PartnerOrganisation, PartnerPerson
from events.models import (
    Availability,
    Delegation,
    DelegationMember,
    DelegationProgrammeItem,
    Event,
    MeetingSlot,
    OnlineSession,
    Registration,
    new_badge_code,
    search_key,
)
from incubator.demo import demo_user

INVESTOR_EMAIL = "investor@heilongjiang-capital.example"
LOCAL_COMPANY_EMAIL = "purchasing@binxian-greenfoods.example"
COUNTY_EMAIL = "liaison@binxian-gov.example"

# Modules of the events app that add their demo data to these events (meeting requests and
# a schedule, competition rounds and judges), loaded after this one when present.
EXTENSIONS = ("events.matching.demo", "events.judging.demo")


def _extensions() -> list:
    return [import_module(name) for name in EXTENSIONS if find_spec(name) is not None]


SIGN_INS = [
    ("partner (investor)", INVESTOR_EMAIL),
    ("partner (local company)", LOCAL_COMPANY_EMAIL),
    ("county government", COUNTY_EMAIL),
    *[pair for module in _extensions() for pair in getattr(module, "SIGN_INS", [])],
]

SEOUL = "Asia/Seoul"
SHANGHAI = "Asia/Shanghai"

MATCHING_TITLE_EN = "Binxian China–Korea matching session, December 2026"
COMPETITION_TITLE_EN = "China–Korea Science & Technology Startup Competition 2027"
DELEGATION_TITLE_EN = "Korean tech founders' delegation to Harbin, summer 2020"

# kind, name_ko, name_zh, name_en, country, city
ORGANISATIONS = {
    "hlj_capital": ("investor", "헤이룽장창투", "黑龙江创业投资有限公司",
                    "Heilongjiang Capital", "CN", "Harbin"),
    "longjiang_angels": ("investor", "룽장엔젤펀드", "龙江天使基金",
                         "Longjiang Angel Fund", "CN", "Harbin"),
    "binxian_greenfoods": ("local_company", "빈현그린푸드", "宾县绿色食品有限公司",
                           "Binxian Green Foods Co., Ltd.", "CN", "Binxian"),
    "harbin_precision": ("local_company", "하얼빈정밀기계", "哈尔滨精密机械有限公司",
                         "Harbin Precision Machinery Co., Ltd.", "CN", "Harbin"),
    "binxian_gov": ("county_government", "빈현 인민정부", "宾县人民政府",
                    "Binxian County People's Government", "CN", "Binxian"),
    "harbin_commerce": ("city_government", "하얼빈시 상무국", "哈尔滨市商务局",
                        "Harbin Municipal Bureau of Commerce", "CN", "Harbin"),
    "hit": ("university", "하얼빈공업대학", "哈尔滨工业大学",
            "Harbin Institute of Technology", "CN", "Harbin"),
    "hlju": ("university", "헤이룽장대학", "黑龙江大学", "Heilongjiang University", "CN", "Harbin"),
    "kaa": ("service_provider", "한국액셀러레이터협회", "韩国加速器协会",
            "Korea Accelerator Association", "KR", "Seoul"),
}  # fmt: skip

# email, full name, organisation, job title, language, zone, speaks
PARTNER_PEOPLE = [
    (INVESTOR_EMAIL, "张伟 Zhang Wei", "hlj_capital", "Investment director",
     "zh-hans", SHANGHAI, "zh en"),
    ("analyst@heilongjiang-capital.example", "李娜 Li Na", "hlj_capital", "Analyst",
     "zh-hans", SHANGHAI, "zh ko"),
    ("partner@longjiang-angels.example", "陈刚 Chen Gang", "longjiang_angels",
     "Managing partner", "zh-hans", SHANGHAI, "zh"),
    (LOCAL_COMPANY_EMAIL, "刘洋 Liu Yang", "binxian_greenfoods", "Purchasing manager",
     "zh-hans", SHANGHAI, "zh"),
    ("cto@harbin-precision.example", "赵磊 Zhao Lei", "harbin_precision", "Chief engineer",
     "zh-hans", SHANGHAI, "zh en"),
    (COUNTY_EMAIL, "金美兰 Jin Mei-lan", "binxian_gov",
     "Investment promotion bureau, Korean desk", "ko", SHANGHAI, "ko zh"),
    ("trade@harbin-commerce.example", "孙丽 Sun Li", "harbin_commerce", "Foreign trade officer",
     "zh-hans", SHANGHAI, "zh en"),
    ("tto@hit.example", "周强 Zhou Qiang", "hit", "Technology transfer office",
     "en", SHANGHAI, "zh en"),
    ("korea-center@hlju.example", "朴英浩 Piao Yinghao", "hlju", "Korea research center",
     "zh-hans", SHANGHAI, "zh ko"),
    ("office@kaa.example", "윤서준 Yoon Seo-jun", "kaa", "Secretary-general",
     "ko", SEOUL, "ko en"),
]  # fmt: skip

# Founders with portal accounts, by demo company index (companies.demo.brn(index)); the
# first resident (0) and Hanbit Robotics (1) already have theirs.
FOUNDERS = [
    (2, "ceo@nuri-edulab.example", "김서윤 Kim Seo-yun", "ko en"),
    (4, "ceo@h2green.example", "이도현 Lee Do-hyun", "ko"),
    (6, "ceo@daon-medical.example", "박하준 Park Ha-jun", "ko en"),
    (7, "ceo@bareun-factory.example", "최지우 Choi Ji-woo", "ko zh"),
    (8, "ceo@mirinae-soft.example", "정민재 Jeong Min-jae", "ko en"),
    (11, "ceo@hangyeol-fintech.example", "강예린 Kang Ye-rin", "ko"),
    (17, "ceo@deepvision.example", "윤태양 Yoon Tae-yang", "ko en"),
    (18, "ceo@codebrain.example", "한지민 Han Ji-min", "ko en zh"),
    (20, "ceo@moneybridge.example", "조은우 Cho Eun-woo", "ko"),
    (22, "ceo@smart-gongbang.example", "신유나 Shin Yu-na", "ko zh"),
    (23, "ceo@motion-factory.example", "오시우 Oh Si-woo", "ko en"),
]

# The heads of the 16 delegation companies (fictional names), in companies.demo order.
DELEGATION_HEADS = [
    "이한빛 Lee Han-bit", "김누리 Kim Nu-ri", "송청명 Song Cheong-myeong", "한수소 Han Su-so",
    "서소담 Seo So-dam", "문다온 Moon Da-on", "배바른 Bae Ba-reun", "노미리 No Mi-ri",
    "유가온 Yoo Ga-on", "황세움 Hwang Se-um", "임한결 Lim Han-gyeol", "전라온 Jeon Ra-on",
    "남도담 Nam Do-dam", "권새빛 Kwon Sae-bit", "홍하늘 Hong Ha-neul", "양온새 Yang On-sae",
]  # fmt: skip

# Venues and places in Korean, Chinese and English.
CENTER_VENUE = (
    "중한 국제 혁신창업센터, 하얼빈",
    "中韩国际创新创业中心（哈尔滨）",
    "China–Korea International Innovation & Startup Center, Harbin",
)
BINXI_VENUE = (
    "하얼빈 빈시 중한 혁신산업협력센터, 빈현",
    "哈尔滨宾西中韩创新产业合作中心（宾县）",
    "Harbin Binxi China–Korea Innovation Industry Cooperation Center, Binxian",
)
SEOUL_VENUE = (
    "한국액셀러레이터협회, 서울",
    "韩国加速器协会（首尔）",
    "Korea Accelerator Association, Seoul",
)
DAQING_VENUE = (
    "다칭 하이테크존 서비스센터",
    "大庆高新区服务中心",
    "Daqing High-tech Zone service center",
)
BUSAN_VENUE = ("부산 창업캠퍼스", "釜山创业园区", "Busan Startup Campus")
HARBIN_EXPO_VENUE = (
    "하얼빈 국제컨벤션전시센터",
    "哈尔滨国际会展中心",
    "Harbin International Convention and Exhibition Center",
)
AIRPORT = ("하얼빈 타이핑 국제공항", "哈尔滨太平国际机场", "Harbin Taiping International Airport")
HARBIN = ("하얼빈", "哈尔滨", "Harbin")
BINXIAN = ("빈현", "宾县", "Binxian")
ROADSHOW_CITIES = [
    # city (en), city (ko), city (zh), zone, venue
    ("Harbin", "하얼빈", "哈尔滨", SHANGHAI, CENTER_VENUE),
    ("Binxian", "빈현", "宾县", SHANGHAI, BINXI_VENUE),
    ("Seoul", "서울", "首尔", SEOUL, SEOUL_VENUE),
    ("Daqing", "다칭", "大庆", SHANGHAI, DAQING_VENUE),
    ("Busan", "부산", "釜山", SEOUL, BUSAN_VENUE),
    (
        "Qiqihar",
        "치치하얼",
        "齐齐哈尔",
        SHANGHAI,
        ("치치하얼 투자유치센터", "齐齐哈尔投资促进中心", "Qiqihar Investment Promotion Center"),
    ),
    (
        "Daejeon",
        "대전",
        "大田",
        SEOUL,
        ("대덕연구개발특구, 대전", "大德研发特区（大田）", "Daedeok Innopolis, Daejeon"),
    ),
    (
        "Mudanjiang",
        "무단장",
        "牡丹江",
        SHANGHAI,
        ("무단장 중한 무역관", "牡丹江中韩贸易馆", "Mudanjiang China–Korea Trade Hall"),
    ),
]

ONLINE_PROGRAMMES = [
    # title (ko, zh, en), first session (local date), sessions (ko, zh, en)
    (
        ("중국 시장 진출 웨비나", "中国市场进入网络研讨会", "China market entry webinars"),
        dt.date(2020, 9, 8),
        [
            ("헤이룽장 시장", "黑龙江市场", "Heilongjiang's market"),
            ("유통 채널", "分销渠道", "Distribution channels"),
            ("가격과 통관", "定价与海关", "Pricing and customs"),
        ],
    ),
    (
        (
            "중국 법인 설립과 세무 온라인 과정",
            "中国公司注册与税务在线课程",
            "Company registration and tax in China, online course",
        ),
        dt.date(2020, 10, 13),
        [
            ("법인 형태 선택", "选择公司形式", "Choosing a legal form"),
            ("통일사회신용코드와 은행 계좌", "统一社会信用代码与银行账户", "USCC and bank account"),
            ("부가가치세와 세금계산서", "增值税与发票", "VAT and invoices"),
            ("사회보험", "社会保险", "Social insurance"),
        ],
    ),
    (
        ("온라인 투자 로드쇼", "在线投资路演", "Online investment roadshow"),
        dt.date(2020, 12, 1),
        [
            ("AI 스타트업 피칭", "人工智能初创企业路演", "AI startups pitch"),
            ("제조 스타트업 피칭", "制造业初创企业路演", "Manufacturing startups pitch"),
        ],
    ),
    (
        ("중국 지식재산권 보호", "在华知识产权保护", "Protecting IP in China"),
        dt.date(2021, 2, 23),
        [
            (
                "특허: 중국 국가지식산권국(CNIPA) 출원",
                "专利：国家知识产权局申请",
                "Patents: CNIPA filings",
            ),
            ("상표", "商标", "Trademarks"),
            ("영업비밀", "商业秘密", "Trade secrets"),
        ],
    ),
    (
        (
            "한국어·직업교육 온라인 교류",
            "韩语与职业教育在线交流",
            "Korean-language and vocational education exchange",
        ),
        dt.date(2021, 4, 20),
        [
            ("교육과정", "课程体系", "Curricula"),
            ("교사 교류", "教师交流", "Teacher exchange"),
            ("온라인 교실", "在线课堂", "Online classrooms"),
        ],
    ),
    (
        (
            "디지털 경제 핵심기술 교류",
            "数字经济核心技术交流",
            "Digital-economy core technologies exchange",
        ),
        dt.date(2021, 6, 15),
        [
            ("인공지능", "人工智能", "AI"),
            ("과학기술 금융", "科技金融", "Science-and-technology finance"),
            ("스마트 제조", "智能制造", "Intelligent manufacturing"),
        ],
    ),
]


def _at(zone: str, year, month, day, hour=9, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=zoneinfo.ZoneInfo(zone))


def _event(title_en: str, starts_at: dt.datetime, **fields) -> Event:
    event = Event.objects.filter(title_en=title_en, starts_at=starts_at).first()
    if event is None:
        event = Event(title_en=title_en, starts_at=starts_at, **fields)
        event.full_clean()
        event.save()
    return event


def _venue(names: tuple[str, str, str]) -> dict[str, str]:
    """Return the venue fields of a (ko, zh, en) venue."""
    return dict(zip(("venue_ko", "venue_zh", "venue_en"), names, strict=True))


def _speaks(codes: str) -> dict[str, bool]:
    spoken = set(codes.split())
    return {f"speaks_{code}": code in spoken for code in ("ko", "zh", "en")}


# --- People ---------------------------------------------------------------------------------


def partner_organisations() -> dict[str, PartnerOrganisation]:
    organisations = {}
    for key, (kind, name_ko, name_zh, name_en, country, city) in ORGANISATIONS.items():
        organisations[key], _created = PartnerOrganisation.objects.get_or_create(
            name_en=name_en,
            defaults={
                "kind": kind,
                "name_ko": name_ko,
                "name_zh": name_zh,
                "country": country,
                "city": city,
            },
        )
    return organisations


def partner_people() -> list[PartnerPerson]:
    organisations = partner_organisations()
    people = []
    for email, name, organisation, title, language, zone, speaks in PARTNER_PEOPLE:
        user = demo_user(
            email=email, full_name=name, language=language, time_zone=zone, staff=False
        )
        person, _created = PartnerPerson.objects.get_or_create(
            user=user,
            defaults={"organisation": organisations[organisation], "title": title}
            | _speaks(speaks),
        )
        people.append(person)
    return people


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


def delegation_visit(organisations) -> Delegation:
    event = _event(
        DELEGATION_TITLE_EN,
        _at(SHANGHAI, 2020, 7, 28, 14, 0),
        kind=Event.Kind.DELEGATION_VISIT,
        status=Event.Status.COMPLETED,
        ends_at=_at(SHANGHAI, 2020, 8, 12, 10, 0),
        time_zone=SHANGHAI,
        title_ko="한국 기술창업 기업인 하얼빈 방문단 (2020년 여름)",
        title_zh="韩国科技创业企业家哈尔滨访问团（2020年夏）",
        description_ko="헤이룽장성 정부가 한중 '신속통로'로 보낸 전세기로 한국 기술기업 "
        "16곳의 대표 등 21명이 한국액셀러레이터협회 회장의 인솔로 하얼빈을 방문했습니다.",
        description_zh="黑龙江省政府通过中韩“快捷通道”派出包机，韩国加速器协会会长率领"
        "16家韩国科技企业负责人等21人访问哈尔滨。",
        description_en="On a charter flight sent by the Heilongjiang provincial government "
        "through the China–Korea fast track, 21 people, the heads of 16 Korean tech companies "
        "led by the chairman of the Korea Accelerator Association, visited Harbin.",
        **_venue(
            ("헤이룽장성 하얼빈·빈현", "黑龙江省哈尔滨、宾县", "Harbin and Binxian, Heilongjiang")
        ),
    )
    delegation, created = Delegation.objects.get_or_create(
        event=event,
        defaults={
            "name_ko": "한국액셀러레이터협회 방문단",
            "name_zh": "韩国加速器协会访问团",
            "name_en": "Korea Accelerator Association delegation",
            "arrives_at": _at(SHANGHAI, 2020, 7, 28, 14, 0),
            "departs_at": _at(SHANGHAI, 2020, 8, 12, 10, 0),
            "host_organisation": organisations["binxian_gov"],
            "notes": "Fast-track entry: health checks on arrival, then the programme.",
        },
    )
    if not created:
        return delegation
    members = [
        DelegationMember(
            delegation=delegation,
            name="정한결 Jeong Han-gyeol",
            role=DelegationMember.Role.LEADER,
            position="Chairman, Korea Accelerator Association",
            organisation_name="Korea Accelerator Association",
        )
    ]
    for n, (head, row) in enumerate(zip(DELEGATION_HEADS, companies_demo.DELEGATION, strict=True)):
        company = Company.objects.filter(brn=companies_demo.brn(n + 1)).first()
        members.append(
            DelegationMember(
                delegation=delegation,
                name=head,
                role=DelegationMember.Role.COMPANY,
                position="CEO",
                company=company,
                organisation_name="" if company else row[2],
            )
        )
    members += [
        DelegationMember(
            delegation=delegation,
            name="윤서준 Yoon Seo-jun",
            role=DelegationMember.Role.ASSOCIATION,
            position="Secretary-general",
            organisation_name="Korea Accelerator Association",
        ),
        DelegationMember(
            delegation=delegation,
            name="김학봉 Kim Hak-bong",
            role=DelegationMember.Role.STAFF,
            position="General manager of the center",
            organisation_name="China–Korea International Innovation & Startup Center",
        ),
        DelegationMember(
            delegation=delegation,
            name="박서연 Park Seo-yeon",
            role=DelegationMember.Role.STAFF,
            position="Event coordinator",
            organisation_name="China–Korea International Innovation & Startup Center",
        ),
        DelegationMember(
            delegation=delegation,
            name="최민 Choi Min",
            role=DelegationMember.Role.INTERPRETER,
            position="Korean–Chinese interpreter",
        ),
    ]
    DelegationMember.objects.bulk_create(members)
    center = None
    items = [
        # (local start, local end, ko, zh, en, place, host)
        ((7, 28, 14, 0), (7, 28, 17, 0), "전세기 도착, 신속통로 입국 절차",
         "包机抵达，快捷通道入境手续", "Arrival on the charter flight, fast-track entry",
         AIRPORT, organisations["harbin_commerce"]),
        ((7, 29, 9, 0), (7, 29, 11, 30), "헤이룽장성 투자 환경 설명회", "黑龙江省投资环境说明会",
         "Briefing: investing in Heilongjiang", HARBIN, organisations["harbin_commerce"]),
        ((7, 30, 9, 30), (7, 30, 16, 0), "빈현 경제개발구 시찰", "宾县经济开发区考察",
         "Visit of the Binxian economic development zone", BINXIAN, organisations["binxian_gov"]),
        ((8, 3, 9, 0), (8, 3, 17, 0), "한중 기업 1:1 매칭", "中韩企业一对一对接",
         "China–Korea company matching session", HARBIN, center),
        ((8, 5, 10, 0), (8, 5, 12, 0), "하얼빈공업대학 기술 교류", "哈尔滨工业大学技术交流",
         "Technology exchange at Harbin Institute of Technology", HARBIN, organisations["hit"]),
        ((8, 10, 9, 30), (8, 10, 11, 0), "두 센터 설립식", "两个中心成立仪式",
         "Founding ceremony of the two centers", BINXIAN, organisations["binxian_gov"]),
        ((8, 10, 14, 0), (8, 10, 16, 0), "빈현 인민정부 간담회", "与宾县人民政府座谈",
         "Meeting with the Binxian county government", BINXIAN, organisations["binxian_gov"]),
        ((8, 12, 8, 0), (8, 12, 10, 0), "출국", "离境", "Departure",
         AIRPORT, center),
    ]  # fmt: skip
    DelegationProgrammeItem.objects.bulk_create(
        [
            DelegationProgrammeItem(
                delegation=delegation,
                starts_at=_at(SHANGHAI, 2020, *start),
                ends_at=_at(SHANGHAI, 2020, *end),
                title_ko=ko,
                title_zh=zh,
                title_en=en,
                place_ko=place[0],
                place_zh=place[1],
                place_en=place[2],
                host=host,
            )
            for start, end, ko, zh, en, place, host in items
        ]
    )
    return delegation


# --- A year of events (2020-08-10 to 2021-08-10) ----------------------------------------------


def online_programmes() -> list[Event]:
    events = []
    for (title_ko, title_zh, title_en), first, sessions in ONLINE_PROGRAMMES:
        starts_at = _at(SEOUL, first.year, first.month, first.day, 15, 0)
        last = starts_at + dt.timedelta(weeks=len(sessions) - 1, hours=1, minutes=30)
        event = _event(
            title_en,
            starts_at,
            kind=Event.Kind.ONLINE_PROGRAMME,
            status=Event.Status.COMPLETED,
            ends_at=last,
            time_zone=SEOUL,
            title_ko=title_ko,
            title_zh=title_zh,
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


def roadshows_and_matching_sessions(count: int = 104) -> list[Event]:
    """Create the events of the first year, every 3 or 4 days; return the new ones."""
    first = dt.date(2020, 8, 12)
    wanted = []
    for n in range(count):
        day = first + dt.timedelta(days=(n * 362) // count)
        city_en, city_ko, city_zh, zone, venue = ROADSHOW_CITIES[n % len(ROADSHOW_CITIES)]
        matching = n % 2 == 1
        kind = Event.Kind.MATCHING_SESSION if matching else Event.Kind.ROADSHOW
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
        starts_at = _at(zone, day.year, day.month, day.day, 14 if matching else 10, 0)
        wanted.append(
            Event(
                kind=kind,
                status=Event.Status.COMPLETED,
                title_ko=titles[0],
                title_zh=titles[1],
                title_en=titles[2],
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=3),
                time_zone=zone,
                **_venue(venue),
                capacity=60 if matching else 120,
                meeting_tables=8 if matching else 0,
                interpreters_per_slot=2 if matching else 0,
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
    everyone = [(p.user, "zh") for p in people[:5]] + founders_[:6]
    for event in past:
        if event.registrations.exists():
            continue
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
        Registration.objects.bulk_create(rows)


# --- Upcoming --------------------------------------------------------------------------------


def matching_session() -> Event:
    """Return the upcoming demo matching session (created by `load()`), for the scheduler's demo."""
    return Event.objects.get(title_en=MATCHING_TITLE_EN)


def competition_event() -> Event:
    """Return the demo China–Korea Science & Technology Startup Competition."""
    return Event.objects.get(title_en=COMPETITION_TITLE_EN)


def _matching_session(people, founders_) -> Event:
    day = (2026, 12, 15)
    event = _event(
        MATCHING_TITLE_EN,
        _at(SHANGHAI, *day, 9, 0),
        kind=Event.Kind.MATCHING_SESSION,
        status=Event.Status.PUBLISHED,
        ends_at=_at(SHANGHAI, *day, 17, 0),
        time_zone=SHANGHAI,
        title_ko="빈현 한중 매칭 세션 (2026년 12월)",
        title_zh="宾县中韩对接会（2026年12月）",
        description_ko="한국 스타트업과 헤이룽장의 투자자, 기업, 정부, 대학이 20분씩 1:1로 "
        "만납니다. 통역 3명이 함께합니다.",
        description_zh="韩国初创企业与黑龙江投资机构、企业、政府和高校进行每场20分钟的"
        "一对一洽谈，现场配备3名翻译。",
        description_en="Korean startups meet Heilongjiang investors, companies, government and "
        "universities one to one, 20 minutes each, with 3 interpreters.",
        **_venue(BINXI_VENUE),
        capacity=80,
        registration_deadline=_at(SHANGHAI, 2026, 12, 10, 18, 0),
        meeting_requests_deadline=_at(SHANGHAI, 2026, 12, 12, 18, 0),
        meeting_tables=12,
        interpreters_per_slot=3,
    )
    if not event.slots.exists():
        # 9 slots in the morning (09:00–12:00), 7 after lunch (13:30–15:50).
        starts = [_at(SHANGHAI, *day, 9, 0) + dt.timedelta(minutes=20 * n) for n in range(9)]
        starts += [_at(SHANGHAI, *day, 13, 30) + dt.timedelta(minutes=20 * n) for n in range(7)]
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
    roadshow = _event(
        "Seoul investment roadshow, December 2026",
        _at(SEOUL, 2026, 12, 8, 14, 0),
        kind=Event.Kind.ROADSHOW,
        status=Event.Status.PUBLISHED,
        ends_at=_at(SEOUL, 2026, 12, 8, 17, 0),
        time_zone=SEOUL,
        title_ko="서울 투자 로드쇼 (2026년 12월)",
        title_zh="首尔投资路演（2026年12月）",
        description_ko="헤이룽장 투자자들이 서울을 찾아 한국 스타트업의 발표를 듣습니다. "
        "좌석이 적어 대기자 명단이 있습니다.",
        description_en="Heilongjiang investors come to Seoul to hear Korean startups pitch. "
        "Few seats: there is a waitlist.",
        **_venue(SEOUL_VENUE),
        capacity=4,
        registration_deadline=_at(SEOUL, 2026, 12, 6, 18, 0),
    )
    if not roadshow.registrations.exists():
        for position, (user, speaks) in enumerate(founders_[:6]):
            extra = {}
            if position >= 4:
                extra = {"status": "waitlisted", "waitlist_position": position - 3}
            _register(roadshow, user, speaks, **extra)
    _event(
        "Daqing China–Korea matching session, January 2027",
        _at(SHANGHAI, 2027, 1, 20, 13, 30),
        kind=Event.Kind.MATCHING_SESSION,
        status=Event.Status.PUBLISHED,
        ends_at=_at(SHANGHAI, 2027, 1, 20, 17, 30),
        time_zone=SHANGHAI,
        title_ko="다칭 한중 매칭 세션 (2027년 1월)",
        title_zh="大庆中韩对接会（2027年1月）",
        **_venue(DAQING_VENUE),
        capacity=60,
        meeting_tables=8,
        interpreters_per_slot=2,
    )
    _event(
        "Busan roadshow, March 2027",
        _at(SEOUL, 2027, 3, 16, 10, 0),
        kind=Event.Kind.ROADSHOW,
        status=Event.Status.PUBLISHED,
        ends_at=_at(SEOUL, 2027, 3, 16, 13, 0),
        time_zone=SEOUL,
        title_ko="부산 로드쇼 (2027년 3월)",
        title_zh="釜山路演（2027年3月）",
        **_venue(BUSAN_VENUE),
    )
    programme = _event(
        "Doing business in Heilongjiang, online, 2027",
        _at(SEOUL, 2027, 2, 3, 15, 0),
        kind=Event.Kind.ONLINE_PROGRAMME,
        status=Event.Status.PUBLISHED,
        ends_at=_at(SEOUL, 2027, 2, 17, 16, 30),
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
    _event(
        COMPETITION_TITLE_EN,
        _at(SHANGHAI, 2027, 4, 20, 9, 0),
        kind=Event.Kind.COMPETITION,
        status=Event.Status.PUBLISHED,
        ends_at=_at(SHANGHAI, 2027, 4, 21, 17, 0),
        time_zone=SHANGHAI,
        title_ko="한중 과학기술 창업 경진대회 2027",
        title_zh="2027中韩科技创新创业大赛",
        description_ko="센터가 예고한 한중 과학기술 창업 경진대회: 예선 심사 후 하얼빈에서 결선.",
        description_zh="中心宣布的中韩科技创新创业大赛：初赛评审后在哈尔滨举行决赛。",
        description_en="The competition the center announced: online preliminary judging, "
        "then the final in Harbin.",
        **_venue(HARBIN_EXPO_VENUE),
        capacity=300,
        registration_deadline=_at(SHANGHAI, 2027, 4, 10, 18, 0),
    )


@transaction.atomic
def load() -> None:
    organisations = partner_organisations()
    people = partner_people()
    founders_ = founders()
    delegation_visit(organisations)
    online_programmes()
    roadshows_and_matching_sessions()
    attendance_of_past_events(people, founders_)
    upcoming_events(people, founders_)
    _matching_session(people, founders_)
    for module in _extensions():
        module.load()
