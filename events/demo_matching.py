"""Demo data of 1:1 meetings and judging, on top of `events.demo`.

The demo matching session gets meeting requests (most accepted, a few waiting for an
answer) and a first schedule; the competition gets a final round with criteria, entries,
three judges and their scores, one sheet left for the demo judge to submit before staff
publish the ranking. Idempotent: nothing is added twice, and a schedule is computed only
when the session has none.
"""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from companies.models import Company
from events import judging, meetings
from events.models import (
    CompetitionEntry,
    CompetitionRound,
    ConflictDeclaration,
    Event,
    JudgeAssignment,
    JudgingCriterion,
    MeetingRequest,
    Registration,
    ScheduleRun,
)
from incubator.demo import demo_user
from incubator.models import User

logger = logging.getLogger(__name__)

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
# Per judge, per entry (in order): one score per criterion. The first judge is lenient, the
# second strict; the third leaves the last entry for the demo judge to score.
SCORES = [
    [(9, 9, 5), (8, 9, 4), (10, 8, 5), (7, 8, 4)],
    [(5, 4, 3), (4, 5, 2), (6, 5, 3), (3, 3, 2)],
    [(7, 6, 4), (6, 7, 3), (8, 6, 4), None],
]


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
                    meetings.meeting_request_create(
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
            meetings.meeting_request_respond(
                request=request, registration=request.to_registration, accept=True
            )


def _schedule(event: Event) -> None:
    if ScheduleRun.objects.filter(event=event).exists() or not event.slots.exists():
        return
    # Computed here, not by a worker, so that the agendas are there as soon as the demo loads.
    run = ScheduleRun.objects.create(event=event, requested_by=None)
    meetings.schedule_run_execute(run_id=run.pk, time_limit=2.0)


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
        venue="Harbin Binxi China–Korea Innovation Industry Cooperation Center",
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
            if JudgeAssignment.objects.filter(entry=entry, judge=judge).exists():
                continue
            try:
                assignment = judging.judge_assign(entry=entry, judge=judge, actor=staff)
            except ValidationError as error:
                logger.info("Demo judge assignment skipped: %s", error.messages)
                continue
            if values is None:
                continue
            maxima = [c.max_score for c in criteria]
            judging.score_submit(
                assignment=assignment,
                scores={
                    c.pk: (min(v, m), "") for c, v, m in zip(criteria, values, maxima, strict=True)
                },
                judge=judge,
            )


@transaction.atomic
def load() -> None:
    event = _matching_session()
    if event is not None:
        _requests(event)
        _schedule(event)
    _judging(_competition())
