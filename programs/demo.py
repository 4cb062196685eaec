"""Demo data of the journey: the resident companies spread over the stages.

Admissions (the program, its intake and the screened queue) load first.

Orangsimhan, the first resident, is in industrialization with its Harbin company;
of the eight digital-economy companies, three are registering a local company
(one of them already in acceleration, by a manager's override), one withdrew,
the others are in incubation. Open concierge requests (one overdue), a support
fund call with a grant paid in part, and quarterly reports with the last one due.

Idempotent: a company that has an enrollment is left as it is; cohorts, the fund
call and local entities are keyed on their label, title and USCC.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from companies.demo import DIGITAL, brn
from companies.models import Company
from programs import demo_first_year, services, stages
from programs.admissions import demo as admissions_demo
from programs.admissions import services as admissions_services
from programs.admissions.models import Application
from programs.concierge import services as concierge_services
from programs.fund import services as fund_services
from programs.journey import selectors as journey_selectors
from programs.journey import services as journey_services
from programs.models import (
    Cohort,
    Enrollment,
    FundApplication,
    FundCall,
    Milestone,
    Program,
    QuarterlyReport,
    ServiceMessage,
    ServiceRequest,
    StageTransition,
)

SIGN_INS: list[tuple[str, str]] = []

PROGRAM_NAME_EN = "China–Korea Incubation Program"
# Orangsimhan's first financing: the milestone's day and its quarterly report's amount (CNY).
FINANCED = -250
FIRST_FINANCING = 1_500_000


def demo_uscc(serial: int) -> str:
    """Return a valid unified social credit code of a company in Binxian county (230125)."""
    body = f"91230125MA{serial:07d}"
    return body + uscc.calc_check_digit(body)


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _at(n: int, hour: int = 10) -> dt.datetime:
    day = _days(n)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


# Cohort labels in Korean, Chinese and English, keyed on the English one.
COHORT_LABELS = {
    "Resident companies": ("입주 기업", "入驻企业"),
    "Digital-economy companies": ("디지털 경제 기업", "数字经济企业"),
}


def _cohort(program: Program, label: str, starts: int, ends: int) -> Cohort:
    label_ko, label_zh = COHORT_LABELS[label]
    cohort, _created = Cohort.objects.get_or_create(
        program=program,
        label_en=label,
        defaults={
            "label_ko": label_ko,
            "label_zh": label_zh,
            "starts_on": _days(starts),
            "ends_on": _days(ends),
        },
    )
    return cohort


def _enroll(company, cohort, manager, started: int, reason: str) -> Enrollment:
    application = Application.objects.filter(
        company=company, status=Application.Status.SUBMITTED, intake__program=cohort.program
    ).first()
    if application is not None:
        enrollment = admissions_services.application_accept(
            application=application, actor=manager, reason=reason, cohort=cohort
        )
        enrollment.started_on = _days(started)
        enrollment.save(update_fields=["started_on"])
        # The copies were dated from today: date them from the demo's start.
        for milestone in enrollment.milestones.select_related("template"):
            milestone.due_on = _days(started + milestone.template.due_days)
            milestone.save(update_fields=["due_on"])
    else:
        enrollment = journey_services.enrollment_create(
            company=company,
            cohort=cohort,
            actor=manager,
            reason=reason,
            started_on=_days(started),
        )
    # In incubation since the start, as enrollment_create dates a past start: noon local.
    since = _at(started, 12)
    enrollment.transitions.update(created_at=since)
    Enrollment.objects.filter(pk=enrollment.pk).update(stage_changed_at=since)
    enrollment.stage_changed_at = since
    return enrollment


def _done(enrollment, code: str, actor, evidence: str, on: int) -> None:
    milestone = enrollment.milestones.get(code=code)
    journey_services.milestone_complete(milestone=milestone, actor=actor, evidence=evidence)
    Milestone.objects.filter(pk=milestone.pk).update(done_at=_at(on, 15))


def _move(enrollment, stage: str, actor, reason: str, on: int, override=False) -> Enrollment:
    enrollment = journey_services.enrollment_advance(
        enrollment=enrollment, to_stage=stage, actor=actor, reason=reason, override=override
    )
    when = _at(on, 11)
    StageTransition.objects.filter(enrollment=enrollment, to_stage=stage).update(created_at=when)
    Enrollment.objects.filter(pk=enrollment.pk).update(stage_changed_at=when)
    return enrollment


def _request(company, kind, subject, body, author, opened: int, replies=(), owner=None, due=None):
    """Open a request as `author`, add (author, text, day) replies, then date it all."""
    service_request = concierge_services.service_request_open(
        company=company, kind=kind, subject=subject, body=body, actor=author
    )
    days = [opened]
    for replier, text, day in replies:
        concierge_services.service_request_reply(
            service_request=service_request, actor=replier, body=text
        )
        days.append(day)
    messages = ServiceMessage.objects.filter(request=service_request).order_by("pk")
    for n, (message, day) in enumerate(zip(messages, days, strict=True)):
        ServiceMessage.objects.filter(pk=message.pk).update(created_at=_at(day, 9 + n))
    ServiceRequest.objects.filter(pk=service_request.pk).update(opened_at=_at(opened, 9))
    if owner is not None:
        concierge_services.service_request_assign(
            service_request=service_request, owner=owner, actor=owner, due_on=_days(due)
        )
    return service_request


def _resolve(service_request, actor, on: int) -> None:
    """Resolve the request as `actor`, on the day the story says."""
    concierge_services.service_request_set_status(
        service_request=service_request, status=ServiceRequest.Status.RESOLVED, actor=actor
    )
    ServiceRequest.objects.filter(pk=service_request.pk).update(resolved_at=_at(on, 16))


def _reports(enrollment, actor, quarters: int, base_revenue: int, financed_on: dt.date) -> None:
    """File `quarters` reports, the oldest first, leaving the last ended quarter due.

    Each is submitted two weeks after its quarter; the funding is raised in the quarter
    of `financed_on` (the first financing milestone).
    """
    last = stages.quarter_of(timezone.localdate()).previous().previous()
    periods = [last]
    for _ in range(quarters - 1):
        periods.insert(0, periods[0].previous())
    for n, period in enumerate(periods):
        if period < stages.quarter_of(enrollment.started_on):
            continue
        QuarterlyReport.objects.get_or_create(
            company=enrollment.company,
            year=period.year,
            quarter=period.quarter,
            defaults={
                "enrollment": enrollment,
                "revenue": Decimal(base_revenue * (n + 1)),
                "revenue_currency": "CNY",
                "employees_china": 3 + 2 * n,
                "employees_korea": 8,
                "funding_raised": Decimal(
                    FIRST_FINANCING if period == stages.quarter_of(financed_on) else 0
                ),
                "funding_currency": "CNY",
                "customers_china": 2 + 3 * n,
                "submitted_by": actor,
                "submitted_at": timezone.make_aware(
                    dt.datetime.combine(period.last_day + dt.timedelta(days=14), dt.time(12))
                ),
            },
        )


def _orangsimhan(program, manager, officer) -> None:
    company = Company.objects.filter(brn=brn(0)).first()
    if company is None or company.enrollments.exists():
        return
    owner = company.memberships.filter(role="owner").select_related("user").first().user
    cohort = _cohort(program, "Resident companies", -540, 190)
    enrollment = _enroll(
        company,
        cohort,
        manager,
        -540,
        "The center's first resident company: Korean-language and vocational education.",
    )
    journey_services.local_entity_register(
        company=company,
        actor=officer,
        name_zh="哈尔滨奥朗心韩科技有限公司",
        uscc=demo_uscc(1),
        registered_on=_days(-470),
        city="Harbin (Binxian)",
        registered_capital=Decimal("1000000"),
        capital_currency="CNY",
    )
    Milestone.objects.filter(enrollment=enrollment, code=stages.LOCAL_ENTITY_MILESTONE).update(
        done_at=_at(-468, 15)
    )
    _done(enrollment, "office_moved_in", officer, "Room 305 of the center, lease signed.", -500)
    enrollment = _move(
        enrollment,
        stages.ACCELERATION,
        manager,
        "Local company registered and the office at the center in use.",
        -330,
    )
    _done(
        enrollment,
        "first_financing_matched",
        officer,
        "CNY 1.5 million from a Harbin angel investor, met at a matching session.",
        FINANCED,
    )
    _done(
        enrollment,
        "first_local_customer",
        owner,
        "Binxian vocational school: Korean courses for 120 students.",
        -200,
    )
    enrollment = _move(
        enrollment,
        stages.INDUSTRIALIZATION,
        manager,
        "Financing and the first customers in place: the courses go to production scale.",
        -120,
    )
    Milestone.objects.filter(enrollment=enrollment, code="production_started").update(
        due_on=_days(45)
    )

    _request(
        company,
        ServiceRequest.Kind.VISA,
        "체류 비자 연장 (Z 비자)",
        "다음 달에 한국인 강사 두 명의 Z 비자가 만료됩니다. 연장 서류를 도와주실 수 있나요?",
        owner,
        -12,
        replies=[
            (
                officer,
                "您好！请提供两位老师的护照复印件和劳动合同，我们会联系宾县出入境管理部门。",
                -11,
            ),
            (owner, "여권 사본과 근로계약서를 보내드립니다. 감사합니다!", -10),
        ],
        owner=officer,
        due=5,
    )
    _request(
        company,
        ServiceRequest.Kind.TRANSLATION,
        "교재 중국어 번역",
        "직업교육 교재 3장을 중국어로 번역해야 합니다. 번역 업체를 소개해 주세요.",
        owner,
        -9,
        owner=officer,
        due=-3,
    )
    tax = _request(
        company,
        ServiceRequest.Kind.TAX,
        "부가가치세 신고 방법",
        "첫 분기 부가가치세 신고는 어떻게 하나요?",
        owner,
        -60,
        replies=[(officer, "我们已为您介绍了宾县的一家会计师事务所，联系人：王会计。", -58)],
        owner=officer,
        due=-50,
    )
    _resolve(tax, officer, -57)
    _reports(enrollment, owner, 4, 80_000, financed_on=_days(FINANCED))


REGISTRATION_REQUEST = (
    "현지 법인 설립",
    "빈현에 유한회사를 설립하려고 합니다. 필요한 서류와 절차를 안내해 주세요.",
)


def _digital(program, manager, officer, call: FundCall) -> None:
    cohort = _cohort(program, "Digital-economy companies", -200, 530)
    offset = 1 + 16  # companies.demo numbers the digital-economy companies after the delegation
    plan = {
        # English name: what happens to it in the demo
        "DeepVision AI": "accelerated",
        "CodeBrain": "registering_overdue",
        "Malsseum AI": "visa",
        "MoneyBridge": "office",
        "Techron Finance": "tax",
        "Smart Gongbang": "fresh",
        "Motion Factory": "registering",
        "Cube Manufacturing": "withdrawn",
    }
    for n, row in enumerate(DIGITAL):
        company = Company.objects.filter(brn=brn(offset + n)).first()
        if company is None or company.enrollments.exists():
            continue
        story = plan.get(row[2], "fresh")
        enrollment = _enroll(
            company,
            cohort,
            manager,
            -200,
            "Digital-economy core technology introduced to Heilongjiang.",
        )
        if story in ("accelerated", "registering_overdue", "registering"):
            _request(
                company,
                ServiceRequest.Kind.COMPANY_REGISTRATION,
                *REGISTRATION_REQUEST,
                officer if story == "registering" else manager,
                -40,
                owner=officer if story != "registering" else None,
                due=-4 if story == "registering_overdue" else 10,
            )
        if story == "accelerated":
            _done(
                enrollment,
                "office_moved_in",
                officer,
                "Desk space in the center's open office since month one.",
                -180,
            )
            _move(
                enrollment,
                stages.ACCELERATION,
                manager,
                "An investor from Harbin commits before the local company exists; "
                "the registration follows with the center's help.",
                -30,
                override=True,
            )
            FundApplication.objects.get_or_create(
                call=call,
                company=company,
                defaults={
                    "enrollment": enrollment,
                    "amount_requested": Decimal("500000"),
                    "purpose": "GPU servers for the vision models of a Binxian food processor.",
                },
            )
        elif story == "visa":
            _request(
                company,
                ServiceRequest.Kind.VISA,
                "Work visa for the CTO",
                "Our CTO moves to Harbin next month: which visa, and how long does it take?",
                manager,
                -2,
            )
        elif story == "office":
            office = _request(
                company,
                ServiceRequest.Kind.OFFICE,
                "Office at the center",
                "Two desks in the open office, please.",
                manager,
                -150,
                owner=officer,
                due=-143,
            )
            _resolve(office, officer, -144)
            _done(enrollment, "office_moved_in", officer, "Two desks in the open office.", -140)
        elif story == "tax":
            _request(
                company,
                ServiceRequest.Kind.TAX,
                "Transfer pricing between Seoul and Harbin",
                "How should we invoice the Harbin entity-to-be for our software licences?",
                manager,
                -6,
                owner=officer,
                due=4,
            )
        elif story == "withdrawn":
            _move(
                enrollment,
                stages.WITHDRAWN,
                manager,
                "Returned to Korea to focus on its domestic market; welcome back later.",
                -60,
            )


def _fund_call(manager) -> FundCall:
    call = FundCall.objects.filter(title_en="Special support fund for Korean tech startups").first()
    if call is not None:
        return call
    return fund_services.fund_call_save(
        call=FundCall(
            title_ko="한국 기술 스타트업 특별 지원 기금",
            title_zh="韩国科技初创企业专项扶持基金",
            title_en="Special support fund for Korean tech startups",
            description_ko="현지 법인 설립, 생산 설비, 시장 개척을 지원합니다.",
            description_zh="支持本地公司注册、生产设备和市场开拓。",
            description_en="For local registration, production equipment and market entry.",
            opens_at=_at(-30, 0),
            closes_at=_at(60, 0),
            budget=Decimal("2000000"),
            currency="CNY",
        ),
        actor=manager,
    )


def _orangsimhan_grant(call: FundCall, manager, officer) -> None:
    company = Company.objects.filter(brn=brn(0)).first()
    enrollment = journey_selectors.enrollment_for_company(company) if company else None
    if enrollment is None or not enrollment.is_open:
        return
    if FundApplication.objects.filter(call=call, company=company).exists():
        return
    application = FundApplication.objects.create(
        call=call,
        company=company,
        enrollment=enrollment,
        amount_requested=Decimal("400000"),
        purpose="Classroom equipment for the Binxian vocational school courses.",
        submitted_by=company.memberships.first().user,
        submitted_at=_at(-25),
    )
    fund_services.fund_decide(
        application=application,
        decision=FundApplication.Status.GRANTED,
        amount_granted=Decimal("300000"),
        actor=manager,
        reason="Production scale-up in Binxian; the classroom fit-out is granted, not the travel.",
    )
    # Decided three weeks ago, as the story goes: the first tranche was paid after it.
    FundApplication.objects.filter(pk=application.pk).update(decided_at=_at(-20))
    application.refresh_from_db()
    fund_services.fund_disburse(
        application=application,
        amount=Decimal("150000"),
        paid_on=_days(-10),
        reference="BX-2026-001",
        actor=officer,
    )


@transaction.atomic
def load() -> None:
    admissions_demo.load()
    program = Program.objects.filter(name_en=PROGRAM_NAME_EN).first()
    users = get_user_model().objects
    manager = users.filter(email="manager@center.example").first()
    officer = users.filter(email="officer@center.example").first()
    if program is None or manager is None or officer is None:
        return
    services.defaults_ensure()
    call = _fund_call(manager)
    _orangsimhan(program, manager, officer)
    _orangsimhan_grant(call, manager, officer)
    _digital(program, manager, officer, call)
    # After today's stories: a company with an enrollment is left as it is.
    demo_first_year.load(program, manager, officer)
