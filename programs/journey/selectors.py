"""Reads of the journey shared by the portal, the admin, the tasks and a future API.

Each returns its rows with what the pages show already joined or prefetched,
so a page costs the same number of queries whatever the number of rows.
"""

from collections import defaultdict

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from companies.models import Certification, Company, Membership, Patent
from programs import stages
from programs.models import (
    Cohort,
    Enrollment,
    LocalEntity,
    Milestone,
    QuarterlyReport,
    ServiceRequest,
    StageTransition,
)


def overdue_milestones_q(today, prefix: str = "", stage_field: str = "enrollment__stage") -> Q:
    """Return the filter of overdue milestones: open, past due, in a stage already reached.

    `prefix` leads from the queried model to the milestone ("milestones__" from an
    enrollment); `stage_field` names the enrollment's stage from there.
    """
    reached = Q()
    for n, stage in enumerate(stages.WORKING_STAGES):
        reached |= Q(**{stage_field: stage, f"{prefix}stage__in": stages.WORKING_STAGES[: n + 1]})
    return Q(**{f"{prefix}done_at__isnull": True, f"{prefix}due_on__lt": today}) & reached


def enrollment_for_company(company) -> Enrollment | None:
    """Return the company's open enrollment, else its latest one."""
    return (
        Enrollment.objects.filter(company=company)
        .select_related("cohort__program", "company")
        .order_by(
            # Open first, then the latest.
            Case(When(stage__in=stages.WORKING_STAGES, then=Value(0)), default=Value(1)),
            "-started_on",
            "-pk",
        )
        .first()
    )


def transitions_of(enrollment: Enrollment) -> QuerySet[StageTransition]:
    return enrollment.transitions.select_related("actor").order_by("created_at", "pk")


def milestones_of(enrollment: Enrollment) -> QuerySet[Milestone]:
    return enrollment.milestones.select_related("done_by").order_by("position", "due_on", "pk")


def local_entities_for_company(company) -> QuerySet[LocalEntity]:
    return LocalEntity.objects.filter(company=company).order_by("-registered_on")


def quarterly_series(company) -> QuerySet[QuarterlyReport]:
    """Return the company's reports, oldest quarter first."""
    return QuarterlyReport.objects.filter(company=company).order_by("year", "quarter")


def quarters_reportable(enrollment: Enrollment, reports, *, today) -> list[stages.Quarter]:
    """Return the ended quarters of an enrollment not reported yet, oldest first."""
    reported = {(r.year, r.quarter) for r in reports}
    return [
        q
        for q in stages.quarters_due(started_on=enrollment.started_on, today=today)
        if tuple(q) not in reported
    ]


def report_due(enrollment: Enrollment, reports, *, today) -> stages.Quarter | None:
    """Return the quarter the company should report now, if any (none once it has ended)."""
    if not enrollment.is_open:
        return None
    return stages.report_due(
        started_on=enrollment.started_on,
        today=today,
        reported=[(r.year, r.quarter) for r in reports],
    )


def milestone_groups(milestones, stage_labels) -> list[tuple[str, str, list[Milestone]]]:
    """Return (stage, label, milestones) for each working stage that has milestones."""
    groups = []
    for stage in stages.WORKING_STAGES:
        rows = [m for m in milestones if m.stage == stage]
        if rows:
            groups.append((stage, stage_labels(stage), rows))
    return groups


def milestones_due(milestones, current_stage: str) -> list[Milestone]:
    """Return the open milestones of the stages reached, the earliest due first."""
    return sorted(
        (m for m in milestones if not m.is_done and stages.reached(m.stage, current_stage)),
        key=lambda m: m.due_on,
    )


def report_missing(enrollments: QuerySet[Enrollment], *, today) -> QuerySet[Enrollment]:
    """Keep the open enrollments whose last ended quarter has no report yet."""
    last = stages.quarter_of(today).previous()
    filed = QuarterlyReport.objects.filter(
        company_id=OuterRef("company_id"), year=last.year, quarter=last.quarter
    )
    return enrollments.filter(
        ~Exists(filed), stage__in=stages.WORKING_STAGES, started_on__lte=last.last_day
    )


def reports_due(*, today) -> list[tuple[Enrollment, stages.Quarter]]:
    """Return (enrollment, quarter) for each open enrollment whose last ended quarter is due."""
    last = stages.quarter_of(today).previous()
    enrollments = (
        report_missing(Enrollment.objects.all(), today=today)
        .select_related("company")
        .prefetch_related(
            Prefetch(
                "company__memberships",
                queryset=Membership.objects.select_related("user").filter(user__is_active=True),
            )
        )
    )
    return [(enrollment, last) for enrollment in enrollments]


def cohorts_for_program(program_id: int, *, today=None) -> QuerySet[Cohort]:
    """Return the program's cohorts that have not ended, the soonest first."""
    today = today or timezone.localdate()
    return (
        Cohort.objects.filter(program_id=program_id, ends_on__gte=today)
        .select_related("program")
        .order_by("starts_on")
    )


def pipeline(*, today=None) -> dict:
    """Return the board: open and ended enrollments per stage and cohort, with what is late.

    Four queries whatever the number of companies.
    """
    today = today or timezone.localdate()
    enrollments = list(
        Enrollment.objects.select_related("company", "cohort__program")
        .annotate(
            overdue_milestones=Count(
                "milestones",
                filter=overdue_milestones_q(today, "milestones__", "stage"),
                distinct=True,
            ),
            milestones_done=Count(
                "milestones", filter=Q(milestones__done_at__isnull=False), distinct=True
            ),
            milestones_total=Count("milestones", distinct=True),
        )
        .order_by("cohort__starts_on", "company__name_ko")
    )
    requests = (
        ServiceRequest.objects.filter(status__in=ServiceRequest.ACTIVE)
        .values("company_id")
        .annotate(
            active=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            waiting=Count("pk", filter=Q(waiting_on=ServiceRequest.WaitingOn.CENTER)),
        )
    )
    by_company = {row["company_id"]: row for row in requests}
    columns: dict[str, list] = {stage: [] for stage in stages.STAGES}
    cohorts: dict[int, dict] = {}
    for enrollment in enrollments:
        counts = by_company.get(enrollment.company_id, {})
        enrollment.active_requests = counts.get("active", 0)
        enrollment.overdue_requests = counts.get("overdue", 0)
        enrollment.waiting_requests = counts.get("waiting", 0)
        columns[enrollment.stage].append(enrollment)
        row = cohorts.setdefault(
            enrollment.cohort_id,
            {"cohort": enrollment.cohort, "counts": defaultdict(int), "total": 0},
        )
        row["counts"][enrollment.stage] += 1
        row["total"] += 1
    for row in cohorts.values():
        row["cells"] = [row["counts"].get(stage, 0) for stage in stages.STAGES]
    overdue_milestones = list(
        Milestone.objects.filter(overdue_milestones_q(today))
        .select_related("company", "enrollment")
        .order_by("due_on")[:50]
    )
    overdue_requests = list(
        ServiceRequest.objects.filter(status__in=ServiceRequest.ACTIVE, due_on__lt=today)
        .select_related("company", "owner")
        .order_by("due_on")[:50]
    )
    return {
        "today": today,
        "columns": [(stage, columns[stage]) for stage in stages.STAGES],
        "cohorts": sorted(cohorts.values(), key=lambda row: row["cohort"].starts_on),
        "overdue_milestones": overdue_milestones,
        "overdue_requests": overdue_requests,
    }


def companies_for_partners() -> QuerySet:
    """The companies partners may see: consented, at a stage open to partners.

    Each row carries `stage` (that of its latest enrollment) and `has_registered_patent`;
    lists prefetch nothing else, so that 1 row and 100 rows cost the same queries.
    """
    latest = Enrollment.objects.filter(company=OuterRef("pk")).order_by("-started_on", "-pk")
    return (
        Company.objects.filter(consent_to_partners=True)
        .annotate(
            stage=Subquery(latest.values("stage")[:1]),
            has_registered_patent=Exists(
                Patent.objects.filter(company=OuterRef("pk"), status=Patent.Status.REGISTERED)
            ),
        )
        .filter(stage__in=stages.OPEN_TO_PARTNERS)
        .prefetch_related(
            Prefetch(
                "certifications",
                queryset=Certification.objects.order_by("kind"),
            )
        )
    )
