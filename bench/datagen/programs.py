"""Programs, intakes, screened applications and their history, cohorts, enrollments with
their stage transitions, milestones, local entities and quarterly reports, service requests
and the support fund."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from bench.datagen.common import Context, three
from programs import services as program_services
from programs import stages
from programs.admissions import screening
from programs.admissions.services import screening_details
from programs.models import (
    Application,
    ApplicationEvent,
    Cohort,
    Disbursement,
    Enrollment,
    FundApplication,
    FundCall,
    Intake,
    LocalEntity,
    Milestone,
    MilestoneTemplate,
    Program,
    QuarterlyReport,
    ScreeningPolicy,
    ServiceKind,
    ServiceMessage,
    ServiceRequest,
    StageTransition,
)

PROGRAMS = (
    ("오랑심한 인큐베이팅", "奥朗深韩孵化", "Orangsimhan incubation"),
    ("디지털 전환 가속", "数字化转型加速", "Digital transformation accelerator"),
    ("현지 생산 지원", "本地生产扶持", "Local production support"),
)
# Months before today at which each program's intakes opened; the last is open now.
INTAKE_MONTHS = (30, 24, 18, 12, 6, 0)


def admissions(ctx: Context, companies_, evidence_, members_, officers, enrollments: int):
    """Create programs, intakes, cohorts and applications; return the accepted ones as
    (application, cohort) pairs, at most `enrollments` of them."""
    rng = ctx.rng
    policy = ScreeningPolicy.objects.order_by("-version").first()
    if policy is None:
        policy = ScreeningPolicy.objects.create(
            version=1, effective_from=ctx.now - dt.timedelta(days=3000)
        )
    programs = ctx.insert(Program, [Program(**three(*names, "name")) for names in PROGRAMS])
    intakes, cohorts = [], []
    for program in programs:
        for months in INTAKE_MONTHS:
            opens = ctx.at(ctx.today - dt.timedelta(days=30 * months + 20))
            closes = opens + dt.timedelta(days=45)
            label = (
                f"{opens.year}-{opens.month:02d} 모집",
                f"{opens.year}-{opens.month:02d}批",
                f"{opens:%Y-%m} intake",
            )
            intakes.append(
                Intake(program=program, **three(*label, "label"), opens_at=opens, closes_at=closes)
            )
    ctx.insert(Intake, intakes)
    for intake in intakes:
        start = intake.closes_at.date() + dt.timedelta(days=15)
        cohorts.append(
            Cohort(
                program=intake.program,
                intake=intake,
                **three(
                    f"{start:%Y-%m} 기수", f"{start:%Y-%m}期", f"{start:%Y-%m} cohort", "label"
                ),
                starts_on=start,
                ends_on=start + dt.timedelta(days=730),
            )
        )
    ctx.insert(Cohort, cohorts)
    cohort_of = {id(c.intake): c for c in cohorts}
    decided = [
        i for i in intakes if i.closes_at < ctx.now and cohort_of[id(i)].starts_on <= ctx.today
    ]
    open_now = [i for i in intakes if i.is_open(ctx.now)]
    rule = policy.as_rules()
    applications, accepted = [], []
    for company in companies_:
        if not ctx.chance(0.8):
            continue
        author = members_[company.pk][0]
        chosen = [ctx.pick(decided)]
        if open_now and ctx.chance(0.15):
            chosen.append(ctx.pick(open_now))
        for intake in chosen:
            is_open = intake in open_now
            submitted = intake.opens_at + dt.timedelta(
                days=rng.randint(1, 40), hours=rng.randint(0, 8)
            )
            if is_open:
                status = "draft" if ctx.chance(0.4) or submitted > ctx.now else "submitted"
            else:
                status = ctx.weighted(
                    {"accepted": 6, "rejected": 4, "waitlisted": 1, "submitted": 1}
                )
                if status == "accepted" and len(accepted) >= enrollments:
                    status = "rejected"
            application = Application(
                company=company,
                intake=intake,
                status=status,
                step="review" if status != "draft" else "evidence",
                market_fit="哈尔滨的制造业客户 / manufacturing customers in Harbin",
                created_by=author,
                submitted_at=submitted if status != "draft" else None,
            )
            if status != "draft":
                result = _screen(rule, company, evidence_[company.pk], submitted.date())
                application.policy = policy
                application.screening = result
                application.recommendation = result["recommendation"]
                application.score = Decimal(str(result["score"])).quantize(Decimal("0.1"))
                application.screened_at = submitted + dt.timedelta(minutes=5)
            if status in Application.DECISIONS:
                application.decision_reason = "Decided by the selection committee"
                application.decided_by = ctx.pick(officers)
                application.decided_at = intake.closes_at + dt.timedelta(days=rng.randint(1, 10))
            applications.append(application)
            if status == "accepted":
                accepted.append((application, cohort_of[id(intake)]))
    ctx.insert(Application, applications)
    history = []
    for a in applications:
        if a.status == "draft":
            continue
        screened = screening_details(policy, a.screening)
        steps = [
            ("submitted", a.created_by, "draft", "submitted", "", {}),
            ("screened", None, "", "", "", screened),
        ]
        if a.decided_at:
            steps.append(("decided", a.decided_by, "submitted", a.status, a.decision_reason, {}))
        history += [
            ApplicationEvent(
                application=a,
                kind=kind,
                actor=actor,
                from_status=old,
                to_status=new,
                reason=why,
                details=details,
            )
            for kind, actor, old, new, why, details in steps
        ]
    ctx.insert(ApplicationEvent, history)
    return accepted


def _screen(rule, company, facts: dict, on: dt.date) -> dict:
    """Screen with the pure rules on the evidence in memory, as the service does from rows."""
    return screening.screen(
        rule,
        screening.CompanyFacts(founded_on=company.founded_on, sector=company.sector),
        [_fact(screening.PatentFact, p) for p in facts["patents"]],
        [_fact(screening.FundingFact, f, kind="round_type") for f in facts["fundings"]],
        [_fact(screening.MarketFact, m) for m in facts["markets"]],
        [_fact(screening.CertificationFact, c) for c in facts["certifications"]],
        on=on,
    ).to_dict()


def _fact(cls, row, **renamed):
    """Return the screening fact `cls` of a row: each field read from the row's attribute of
    that name, or of the name given in `renamed`."""
    return cls(
        **{f.name: getattr(row, renamed.get(f.name, f.name)) for f in dataclasses.fields(cls)}
    )


def journey(ctx: Context, accepted, members_, officers) -> list[Enrollment]:
    """Enroll the accepted companies and move them along, with milestones, local entities and
    quarterly reports."""
    rng = ctx.rng
    program_services.defaults_ensure()
    templates = list(MilestoneTemplate.objects.filter(is_active=True).order_by("position", "pk"))
    # A company accepted twice keeps one open enrollment: its older ones have ended.
    enrollments, plans = [], []
    last_of_company = {}
    for application, _cohort in sorted(accepted, key=lambda pair: pair[1].starts_on):
        last_of_company[application.company_id] = application
    for application, cohort in sorted(accepted, key=lambda pair: pair[1].starts_on):
        age = (ctx.today - cohort.starts_on).days
        path = [stages.INCUBATION]
        for nxt in (stages.ACCELERATION, stages.INDUSTRIALIZATION, stages.GRADUATED):
            if age > 150 * len(path) and ctx.chance(0.55):
                path.append(nxt)
            else:
                break
        if path[-1] != stages.GRADUATED and ctx.chance(0.08):
            path.append(stages.WITHDRAWN)
        if (
            last_of_company[application.company_id] is not application
            and path[-1] in stages.WORKING_STAGES
        ):
            path.append(stages.WITHDRAWN)
        moves = [ctx.at(cohort.starts_on)]
        for _ in path[1:]:
            moves.append(
                min(
                    moves[-1] + dt.timedelta(days=rng.randint(100, 150)),
                    ctx.now - dt.timedelta(days=1),
                )
            )
        stage = path[-1]
        enrollments.append(
            Enrollment(
                company_id=application.company_id,
                cohort=cohort,
                application=application,
                stage=stage,
                started_on=cohort.starts_on,
                stage_changed_at=moves[-1],
                ended_on=moves[-1].date() if stage in stages.ENDED else None,
                created_by=ctx.pick(officers),
            )
        )
        plans.append((path, moves))
    ctx.insert(Enrollment, enrollments)
    transitions, milestones, entities, reports = [], [], [], []
    for enrollment, (path, moves) in zip(enrollments, plans, strict=True):
        previous = ""
        for stage, at in zip(path, moves, strict=True):
            transitions.append(
                StageTransition(
                    enrollment=enrollment,
                    from_stage=previous,
                    to_stage=stage,
                    reason="Enrolled" if not previous else "Stage review",
                    actor=ctx.pick(officers),
                    created_at=at,
                )
            )
            previous = stage
        reached = [s for s in path if s in stages.WORKING_STAGES]
        left = set(reached[:-1]) | ({reached[-1]} if path[-1] in stages.ENDED else set())
        for template in templates:
            done = template.stage in left or (template.stage in reached and ctx.chance(0.4))
            due = enrollment.started_on + dt.timedelta(days=template.due_days)
            done_at = (
                min(ctx.at(due) - dt.timedelta(days=rng.randint(0, 30)), ctx.now) if done else None
            )
            milestones.append(
                Milestone.from_template(
                    template,
                    enrollment=enrollment,
                    done_at=done_at,
                    done_by=ctx.pick(officers) if done else None,
                    evidence="Confirmed by the program officer" if done else "",
                )
            )
            if done and template.code == stages.LOCAL_ENTITY_MILESTONE:
                entities.append(
                    LocalEntity(
                        company_id=enrollment.company_id,
                        name_zh=f"哈尔滨韩创科技有限公司{len(entities) + 1}",
                        uscc=ctx.uscc("230125"),
                        registered_on=done_at.date(),
                        city="哈尔滨 (宾县)",
                        registered_capital=ctx.money("CNY", 100_000, 5_000_000),
                        capital_currency="CNY",
                    )
                )
        author = members_[enrollment.company_id][0]
        end = enrollment.ended_on or ctx.today
        for quarter in stages.quarters_due(started_on=enrollment.started_on, today=end)[-6:]:
            if not ctx.chance(0.85):
                continue
            reports.append(
                QuarterlyReport(
                    company_id=enrollment.company_id,
                    enrollment=enrollment,
                    year=quarter.year,
                    quarter=quarter.quarter,
                    revenue=ctx.money("CNY", 0, 2_000_000),
                    revenue_currency="CNY",
                    employees_china=rng.randint(0, 40),
                    employees_korea=rng.randint(1, 60),
                    funding_raised=ctx.money("KRW", 0, 500_000_000),
                    funding_currency="KRW",
                    customers_china=rng.randint(0, 25),
                    submitted_by=author,
                    submitted_at=min(ctx.at(quarter.last_day + dt.timedelta(days=10)), ctx.now),
                )
            )
    # A company enrolled twice reports a quarter once.
    seen, unique_reports = set(), []
    for report in reports:
        key = (report.company_id, report.year, report.quarter)
        if key not in seen:
            seen.add(key)
            unique_reports.append(report)
    ctx.insert(StageTransition, transitions)
    ctx.insert(Milestone, milestones)
    ctx.insert(LocalEntity, entities)
    ctx.insert(QuarterlyReport, unique_reports)
    return enrollments


def service_requests(ctx: Context, n: int, companies_, enrollments, members_, officers) -> None:
    rng = ctx.rng
    targets = program_services.DEFAULT_TARGETS
    open_enrollment = {e.company_id: e for e in enrollments if e.stage in stages.WORKING_STAGES}
    enrolled = list(open_enrollment)
    rows, plans = [], []
    for i in range(n):
        company_id = (
            ctx.pick(enrolled) if enrolled and ctx.chance(0.85) else ctx.pick(companies_).pk
        )
        kind = ctx.pick(ServiceKind.values)
        opened = ctx.now - dt.timedelta(days=rng.randint(0, 700), hours=rng.randint(0, 20))
        status = ctx.weighted({"open": 2, "in_progress": 2, "resolved": 3, "closed": 3})
        resolved = (
            opened + dt.timedelta(days=rng.randint(1, 30))
            if status in ("resolved", "closed")
            else None
        )
        resolved = min(resolved, ctx.now) if resolved else None
        author = ctx.pick(members_[company_id])
        rows.append(
            ServiceRequest(
                company_id=company_id,
                enrollment=open_enrollment.get(company_id),
                kind=kind,
                subject=f"{ServiceKind(kind).label} #{i + 1}",
                status=status,
                waiting_on={
                    "open": "center",
                    "in_progress": ctx.pick(("center", "company")),
                    "resolved": "",
                    "closed": "",
                }[status],
                owner=ctx.pick(officers) if status != "open" or ctx.chance(0.5) else None,
                due_on=(opened + dt.timedelta(days=targets[kind])).date(),
                opened_by=author,
                opened_at=opened,
                resolved_at=resolved,
                closed_at=min(resolved + dt.timedelta(days=2), ctx.now)
                if status == "closed"
                else None,
            )
        )
        plans.append((author, opened, rng.randint(1, 3)))
    ctx.insert(ServiceRequest, rows)
    messages = []
    for request, (author, opened, count) in zip(rows, plans, strict=True):
        for k in range(count):
            from_center = k % 2 == 1
            messages.append(
                ServiceMessage(
                    request=request,
                    company_id=request.company_id,
                    author=request.owner or ctx.pick(officers) if from_center else author,
                    from_center=from_center,
                    body="담당자가 확인 중입니다. / 我们正在处理。"
                    if from_center
                    else "도움을 요청합니다. 서류를 확인해 주세요.",
                    created_at=min(opened + dt.timedelta(hours=6 * k), ctx.now),
                )
            )
    ctx.insert(ServiceMessage, messages)


def fund(ctx: Context, enrollments, members_, managers) -> None:
    rng = ctx.rng
    calls = []
    for k, (opened_days, budget) in enumerate(((400, 5_000_000), (20, 8_000_000))):
        opens = ctx.at(ctx.today - dt.timedelta(days=opened_days))
        calls.append(
            FundCall(
                **three(
                    f"특별 지원 기금 {k + 1}차",
                    f"专项扶持基金第{k + 1}批",
                    f"Special support fund, call {k + 1}",
                    "title",
                ),
                **three(
                    "한국 기술 스타트업 지원",
                    "支持韩国科技初创企业",
                    "For Korean tech startups",
                    "description",
                ),
                opens_at=opens,
                closes_at=opens + dt.timedelta(days=60),
                budget=Decimal(budget),
                currency="CNY",
                remaining=Decimal(budget),
            )
        )
    open_ = [e for e in enrollments if e.stage in stages.WORKING_STAGES]
    applications = []
    for call in calls:
        for enrollment in rng.sample(open_, min(len(open_), max(1, len(enrollments) // 8))):
            requested = ctx.money("KRW", 50, 400) * 1000
            granted = ctx.chance(0.45) and call.remaining >= requested // 2
            amount = (requested // 2 + ctx.money("KRW", 0, 50) * 1000) if granted else None
            if amount is not None:
                amount = min(amount, requested, call.remaining)
                call.remaining -= amount
            status = "granted" if granted else ctx.weighted({"submitted": 1, "rejected": 1})
            submitted = call.opens_at + dt.timedelta(days=rng.randint(1, 50))
            decided = status != "submitted"
            applications.append(
                FundApplication(
                    call=call,
                    company_id=enrollment.company_id,
                    enrollment=enrollment,
                    amount_requested=requested,
                    purpose="生产设备采购 / production equipment",
                    status=status,
                    amount_granted=amount,
                    decision_reason="Fund committee" if decided else "",
                    decided_by=ctx.pick(managers) if decided else None,
                    decided_at=min(submitted + dt.timedelta(days=12), ctx.now) if decided else None,
                    submitted_by=members_[enrollment.company_id][0],
                    submitted_at=min(submitted, ctx.now),
                )
            )
    disbursements = []
    for application in applications:
        if application.status != "granted":
            continue
        paid_total = Decimal(0)
        for tranche in range(rng.randint(0, 2)):
            amount = (application.amount_granted / 2).quantize(Decimal(1))
            if amount <= 0 or paid_total + amount > application.amount_granted:
                break
            paid_total += amount
            paid = min(
                application.decided_at.date() + dt.timedelta(days=30 * (tranche + 1)), ctx.today
            )
            disbursements.append(
                Disbursement(
                    application=application,
                    amount=amount,
                    paid_on=paid,
                    reference=f"{ctx.prefix}-PAY-{len(disbursements) + 1}",
                )
            )
        application.disbursed = paid_total
    ctx.insert(FundCall, calls)
    ctx.insert(FundApplication, applications)
    ctx.insert(Disbursement, disbursements)
