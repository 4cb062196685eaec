"""Demo data of the summer 2020 delegation: 21 people (the chairman of the Korea Accelerator
Association, the heads of the 16 companies, four others) flown to Harbin, with their
programme up to the founding of the two centers on 2020-08-10. Loaded after events.demo,
as one of its EXTENSIONS; idempotent (the delegation is keyed on its event)."""

from companies import demo as companies_demo
from companies.models import Company

# The module, not its names: events.demo imports this one while it loads (its SIGN_INS).
from events import demo as events_demo
from events.demo_data import (
    DELEGATION_HEADS,
    DELEGATION_PROGRAMME,
    DELEGATION_TITLE_EN,
    SHANGHAI,
)
from events.models import Delegation, DelegationMember, DelegationProgrammeItem, Event


def load() -> None:
    delegation_visit(companies_demo.partner_organisations())


def delegation_visit(organisations) -> Delegation:
    event = events_demo.event_named(
        DELEGATION_TITLE_EN,
        events_demo.local_time(SHANGHAI, 2020, 7, 28, 14, 0),
        kind=Event.Kind.DELEGATION_VISIT,
        status=Event.Status.COMPLETED,
        ends_at=events_demo.local_time(SHANGHAI, 2020, 8, 12, 10, 0),
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
        **events_demo.venue_fields(
            ("헤이룽장성 하얼빈·빈현", "黑龙江省哈尔滨、宾县", "Harbin and Binxian, Heilongjiang")
        ),
    )
    delegation, created = Delegation.objects.get_or_create(
        event=event,
        defaults={
            "name_ko": "한국액셀러레이터협회 방문단",
            "name_zh": "韩国加速器协会访问团",
            "name_en": "Korea Accelerator Association delegation",
            "arrives_at": events_demo.local_time(SHANGHAI, 2020, 7, 28, 14, 0),
            "departs_at": events_demo.local_time(SHANGHAI, 2020, 8, 12, 10, 0),
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
        (*item[:6], organisations[item[6]] if item[6] else center) for item in DELEGATION_PROGRAMME
    ]
    DelegationProgrammeItem.objects.bulk_create(
        [
            DelegationProgrammeItem(
                delegation=delegation,
                starts_at=events_demo.local_time(SHANGHAI, 2020, *start),
                ends_at=events_demo.local_time(SHANGHAI, 2020, *end),
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
