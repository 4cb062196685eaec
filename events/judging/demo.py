"""Demo data of judging, on top of `events.demo`.

The competition gets a final round, still open, with criteria, entries and three judges:
each judge has scored some entries and has one left to score, so whoever signs in as a demo
judge finds work waiting, and the ranking is published only when the last sheets are in.
Idempotent: nothing is added twice.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from companies.models import Company
from events.judging import services
from events.judging.models import (
    CompetitionEntry,
    CompetitionRound,
    ConflictDeclaration,
    JudgeAssignment,
    JudgingCriterion,
)
from events.models import Event
from incubator.demo import demo_user
from incubator.models import User

JUDGES = [
    # email, name, language, time zone
    ("judge.kim@center.example", "김지현 Kim Ji-hyun", "ko", "Asia/Seoul"),
    ("judge.zhao@center.example", "赵敏 Zhao Min", "zh-hans", "Asia/Shanghai"),
    ("judge.lee@center.example", "Lee Jun (demo judge)", "en", "Asia/Seoul"),
]
SIGN_INS = [("judge", email) for email, *_rest in JUDGES]

CRITERIA = [
    # ko, zh, en, weight, maximum
    ("기술력", "技术水平", "Technology", 4, 10),
    ("흑룡강 시장 적합성", "黑龙江市场契合度", "Fit with the Heilongjiang market", 3, 10),
    ("팀", "团队", "Team", 3, 5),
]
# Per judge, per entry (in order): one score per criterion, None for the sheet left to the
# person who signs in as that judge, CONFLICT where the judge is not assigned. The first judge
# is lenient, the second strict; the third invests in the first company.
CONFLICT = "conflict"
SCORES = [
    [(9, 9, 5), (8, 9, 4), (10, 8, 5), None],
    [(5, 4, 3), (4, 5, 2), None, (3, 3, 2)],
    [CONFLICT, (6, 7, 3), (8, 6, 4), None],
]


def _competition() -> Event:
    try:
        from events.demo import competition_event

        return competition_event()
    except (ImportError, Event.DoesNotExist):
        pass
    event = Event.objects.filter(kind=Event.Kind.COMPETITION).order_by("pk").first()
    if event is not None:
        return event
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=45)
    return Event.objects.create(
        kind=Event.Kind.COMPETITION,
        status=Event.Status.PUBLISHED,
        title_ko="한중 과학기술 창업 경진대회",
        title_zh="中韩科技创业大赛",
        title_en="China–Korea Science & Technology Startup Competition",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=6),
        time_zone="Asia/Shanghai",
        venue_ko="하얼빈 빈시 중한 혁신산업협력센터",
        venue_zh="哈尔滨宾西中韩创新产业合作中心",
        venue_en="Harbin Binxi China–Korea Innovation Industry Cooperation Center",
    )


def _judging(event: Event) -> None:
    round_, created = CompetitionRound.objects.get_or_create(
        event=event,
        order=1,
        defaults={"name_ko": "결선", "name_zh": "决赛", "name_en": "Final"},
    )
    if not created and round_.entries.exists():
        return
    criteria = [
        JudgingCriterion.objects.get_or_create(
            round=round_,
            order=order,
            defaults={
                "name_ko": ko,
                "name_zh": zh,
                "name_en": en,
                "weight": weight,
                "max_score": maximum,
            },
        )[0]
        for order, (ko, zh, en, weight, maximum) in enumerate(CRITERIA, start=1)
    ]
    companies = list(Company.objects.filter(consent_to_partners=True).order_by("pk")[:4])
    if len(companies) < 2:
        companies = list(Company.objects.order_by("pk")[:4])
    entries = [
        CompetitionEntry.objects.get_or_create(
            round=round_, company=company, defaults={"title": company.name_en or company.name_ko}
        )[0]
        for company in companies
    ]
    staff = User.objects.filter(is_staff=True, email="events@center.example").first()
    judges = [
        demo_user(email=email, full_name=name, language=language, time_zone=zone, staff=False)
        for email, name, language, zone in JUDGES
    ]
    # The third judge invests in the first company: a declared conflict keeps them off it.
    ConflictDeclaration.objects.get_or_create(
        judge=judges[2],
        company=companies[0],
        defaults={"reason": "Investor in the company (demo)."},
    )
    for judge, rows in zip(judges, SCORES, strict=True):
        for entry, values in zip(entries, rows, strict=False):
            assigned = JudgeAssignment.objects.filter(entry=entry, judge=judge).exists()
            if values == CONFLICT or assigned:
                continue
            assignment = services.judge_assign(entry=entry, judge=judge, actor=staff)
            if values is None:
                continue
            maxima = [c.max_score for c in criteria]
            services.score_submit(
                assignment=assignment,
                scores={
                    c.pk: (min(v, m), "") for c, v, m in zip(criteria, values, maxima, strict=True)
                },
                judge=judge,
            )


@transaction.atomic
def load() -> None:
    _judging(_competition())
