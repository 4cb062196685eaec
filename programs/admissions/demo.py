"""Demo data of admissions: the incubation program with an open intake and a screened queue.

Idempotent: a company of companies.demo that applies gets its application once.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from companies.demo import DELEGATION, DIGITAL, brn
from companies.models import Company, Membership
from programs.admissions import services, wizard_services
from programs.admissions.models import Application, Intake, Program

MARKET_FIT = (
    "Heilongjiang's manufacturers and schools are our first customers; "
    "we want a local company in Binxian to serve them."
)
PROGRAM = {
    "name_ko": "한중 인큐베이션 프로그램",
    "name_zh": "中韩孵化项目",
    "description_ko": "인큐베이터 → 가속화 → 산업 수출: 도우미식 서비스로 "
    "빈현에 현지 법인과 생산을 세울 때까지 함께합니다.",
    "description_zh": "孵化器 → 加速器 → 产业输出：以保姆式服务陪伴企业，"
    "直到在宾县落地注册并投产。",
    "description_en": "Incubator → accelerator → industry export: concierge-style "
    "service until the company is registered and producing in Binxian.",
}


def program_and_intake() -> tuple[Program, Intake]:
    program, _created = Program.objects.get_or_create(
        name_en="China–Korea Incubation Program", defaults=PROGRAM
    )
    intake = program.intakes.order_by("-opens_at").first()
    if intake is None:
        now = timezone.now()
        opens_at = now - dt.timedelta(days=30)
        intake = Intake.objects.create(
            program=program,
            label_ko=f"{timezone.localdate(opens_at).year}년 공개 모집",
            label_zh=f"{timezone.localdate(opens_at).year}年公开招募",
            label_en=f"{timezone.localdate(opens_at).year} open call",
            opens_at=opens_at,
            # As a call closes: at the end of a day at the center (the default zone), not at
            # the hour the demo loaded; programs.demo's _at makes its times the same way.
            closes_at=timezone.make_aware(
                dt.datetime.combine(
                    timezone.localdate(now) + dt.timedelta(days=60), dt.time(23, 59)
                )
            ),
        )
    return program, intake


def _apply(company: Company, intake: Intake, user) -> Application | None:
    if not intake.is_open():
        return None
    application = services.application_start(company=company, intake=intake, user=user)
    if application.status != Application.Status.DRAFT:
        return application
    wizard_services.application_save_step(
        application=application, step="review", market_fit=MARKET_FIT
    )
    return services.application_submit(application=application, user=user)


def load() -> None:
    intake = program_and_intake()[1]
    manager = get_user_model().objects.filter(email="manager@center.example").first()
    for offset, rows in ((1, DELEGATION), (1 + len(DELEGATION), DIGITAL)):
        for n, row in enumerate(rows):
            company = Company.objects.filter(brn=brn(offset + n)).first()
            if company is None or not row[-1] or company.applications.exists():
                continue
            owner = Membership.objects.filter(company=company).select_related("user").first()
            application = _apply(company, intake, owner.user if owner else None)
            if application is None:
                continue
            # Some history for the queue: a waitlisting and an override.
            if row[6] == "cert_expired":
                services.application_decide(
                    application=application,
                    decision=Application.Status.WAITLISTED,
                    actor=manager,
                    reason="Waiting for the renewed Venture Business Confirmation.",
                )
            elif row[6] == "no_patent" and row[3] == "bio_health":
                services.criterion_override(
                    application=application,
                    criterion="patents",
                    reason="Two KIPO filings are in preparation; the clinical data "
                    "counts as the company's protected know-how.",
                    actor=manager,
                )
