"""Reads of the journey shared by the portal, the admin, the tasks and a future API.

Each returns its rows with what the pages show already joined or prefetched,
so a page costs the same number of queries whatever the number of rows.
"""

from collections import defaultdict

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from companies.models import Certification, Company, Membership, Patent
from incubator.db import SubqueryCount
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


def latest_enrollment_pk(*, before=None) -> Subquery:
    """The pk of the outer enrollment's company's latest enrollment (begun before `before`).

    A company that graduated and enrolled again is at its new enrollment's stage: the KPI
    report counts it there, and the dashboard's lists show that enrollment alone.
    """
    enrollments = Enrollment.objects.filter(company=OuterRef("company"))
    if before is not None:
        begun = StageTransition.objects.filter(enrollment=OuterRef("pk"), created_at__lt=before)
        enrollments = enrollments.filter(Exists(begun))
    return Subquery(enrollments.order_by("-started_on", "-pk").values("pk")[:1])


def latest_enrollments(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Keep each company's latest enrollment."""
    return enrollments.filter(pk=latest_enrollment_pk())


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


def milestone_counts(enrollment_ids, *, today) -> dict[int, tuple[int, int, int]]:
    """Return {enrollment id: (done, total, overdue)} of these enrollments' milestones.

    One query over the given enrollments' milestones, for a page of rows.
    """
    rows = (
        Milestone.objects.filter(enrollment_id__in=enrollment_ids)
        .values("enrollment_id")
        .annotate(
            done=Count("pk", filter=Q(done_at__isnull=False)),
            total=Count("pk"),
            overdue=Count("pk", filter=overdue_milestones_q(today)),
        )
        .order_by()
    )
    return {row["enrollment_id"]: (row["done"], row["total"], row["overdue"]) for row in rows}


def overdue_milestones_counted(today) -> SubqueryCount:
    """Return an enrollment's number of overdue milestones, as a sort key."""
    return SubqueryCount(
        Milestone.objects.filter(overdue_milestones_q(today), enrollment=OuterRef("pk"))
    )


# The cards a column of the board shows; the rest are a link to the enrollments' list.
BOARD_COLUMN_CARDS = 50


def pipeline(*, today=None, per_column: int | None = None) -> dict:
    """Return the board: the working stages' enrollments, what is late, the cohorts at work.

    A column holds the `per_column` (BOARD_COLUMN_CARDS) enrollments that moved into its
    stage last, and the number of all of them. Ended enrollments are never read (the
    enrollments' list, filtered by stage, shows them): the board costs the same queries and
    rows however many ended.
    Nine queries: the columns' sizes, the cards' ids, the cards, their milestones, their
    companies' requests, the cohorts' counts and names, the overdue milestones and requests.
    """
    today = today or timezone.localdate()
    per_column = per_column or BOARD_COLUMN_CARDS
    working = Enrollment.objects.filter(stage__in=stages.WORKING_STAGES)
    totals = dict(working.values_list("stage").annotate(n=Count("pk")).order_by())
    # The cards' ids first: joined in the same query, the planner, blind to how few rows the
    # window keeps, would read every company to join them.
    card_ids = list(
        working.alias(
            place=Window(
                RowNumber(),
                partition_by=F("stage"),
                order_by=[F("stage_changed_at").desc(), F("pk").desc()],
            )
        )
        .filter(place__lte=per_column)
        .values_list("pk", flat=True)
    )
    cards = list(
        Enrollment.objects.filter(pk__in=card_ids)
        .select_related("company", "cohort__program")
        .order_by("-stage_changed_at", "-pk")
    )
    milestones = milestone_counts([card.pk for card in cards], today=today)
    requests = (
        ServiceRequest.objects.filter(
            status__in=ServiceRequest.ACTIVE, company_id__in={card.company_id for card in cards}
        )
        .values("company_id")
        .annotate(
            active=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            waiting=Count("pk", filter=Q(waiting_on=ServiceRequest.WaitingOn.CENTER)),
        )
        .order_by()
    )
    by_company = {row["company_id"]: row for row in requests}
    columns: dict[str, list] = {stage: [] for stage in stages.WORKING_STAGES}
    for card in cards:
        card.milestones_done, card.milestones_total, card.overdue_milestones = milestones.get(
            card.pk, (0, 0, 0)
        )
        counts = by_company.get(card.company_id, {})
        card.active_requests = counts.get("active", 0)
        card.overdue_requests = counts.get("overdue", 0)
        card.waiting_requests = counts.get("waiting", 0)
        columns[card.stage].append(card)
    overdue_milestones = _first(
        Milestone.objects.filter(
            overdue_milestones_q(today), enrollment__stage__in=stages.WORKING_STAGES
        ),
        ("due_on", "pk"),
        ("company", "enrollment"),
    )
    overdue_requests = _first(
        ServiceRequest.objects.filter(status__in=ServiceRequest.ACTIVE, due_on__lt=today),
        ("due_on", "pk"),
        ("company", "owner"),
    )
    return {
        "today": today,
        "columns": [
            (stage, columns[stage], totals.get(stage, 0)) for stage in stages.WORKING_STAGES
        ],
        "cohorts": cohorts_at_work(working),
        "overdue_milestones": overdue_milestones,
        "overdue_requests": overdue_requests,
    }


def _first(rows: QuerySet, order: tuple[str, ...], related: tuple[str, ...], n: int = 50) -> list:
    """Return the first `n` of `rows` in `order`, with `related` joined to those `n` alone.

    One query: the ids are chosen in a subquery, so that the joins wait for the limit.
    """
    chosen = rows.order_by(*order).values("pk")[:n]
    return list(rows.model.objects.filter(pk__in=chosen).select_related(*related).order_by(*order))


def cohorts_at_work(working: QuerySet[Enrollment]) -> list[dict]:
    """Return {"cohort", "cells" (a count per stage), "total"} of each cohort with a company
    still working, the earliest first; one query (a cohort's enrollments, through its index).
    """
    counts = (
        Enrollment.objects.filter(cohort_id__in=working.values("cohort_id"))
        .values("cohort_id", "stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_cohort: dict[int, dict[str, int]] = defaultdict(dict)
    for row in counts:
        per_cohort[row["cohort_id"]][row["stage"]] = row["n"]
    cohorts = Cohort.objects.filter(pk__in=per_cohort).select_related("program")
    return [
        {
            "cohort": cohort,
            "cells": [per_cohort[cohort.pk].get(stage, 0) for stage in stages.STAGES],
            "total": sum(per_cohort[cohort.pk].values()),
        }
        for cohort in sorted(cohorts, key=lambda c: (c.starts_on, c.pk))
    ]


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
