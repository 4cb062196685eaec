"""What programs puts on the staff dashboard: the funnel from applications to graduation,
what is overdue (milestones, quarterly reports, service requests, applications waiting for
a decision), the review queue and the pipeline board.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incubator.dashboard.registry import FUNNEL, OVERDUE, Contribution, Figure, Shortcut, within
from incubator.reports.period import Period
from programs import stages
from programs.admissions import selectors as admissions_selectors
from programs.concierge import selectors as concierge_selectors
from programs.journey import selectors as journey_selectors
from programs.models import Application, Enrollment, Milestone, ServiceRequest
from programs.reports import admissions_tables, stages_at_end

FUNNEL_STAGES = (*stages.WORKING_STAGES, stages.GRADUATED)


def admissions_figures(period: Period) -> list[Figure]:
    # The KPI report's applications submitted and accepted in the period.
    submitted, by_result = admissions_tables(period)
    accepted = Application.Status.ACCEPTED
    return [
        Figure(
            "applied",
            _("Applications submitted"),
            submitted.value("submitted"),
            within("submitted_at", period),
        ),
        Figure(
            "accepted",
            _("Applications accepted"),
            by_result.value(accepted),
            {"status__exact": accepted, **within("decided_at", period)},
        ),
    ]


def stage_figures(period: Period) -> list[Figure]:
    # The KPI report's companies per stage at the end of the period (which ends today),
    # each company at its latest enrollment's stage.
    per_stage = stages_at_end(period)
    return [
        Figure(
            stage,
            Enrollment.Stage(stage).label,
            per_stage.get(stage, 0),
            {"stage__exact": stage, "latest": "yes"},
        )
        for stage in FUNNEL_STAGES
    ]


def overdue_milestones(period: Period) -> list[Figure]:
    today = timezone.localdate()
    n = Milestone.objects.filter(journey_selectors.overdue_milestones_q(today)).count()
    return [Figure("milestones", _("Milestones overdue"), n, {"progress": "overdue"})]


def missing_reports(period: Period) -> list[Figure]:
    today = timezone.localdate()
    n = journey_selectors.report_missing(Enrollment.objects.all(), today=today).count()
    last = stages.quarter_of(today).previous()
    label = _("Quarterly reports of %(quarter)s not filed") % {"quarter": last}
    return [Figure("quarterly_reports", label, n, {"report": "missing"})]


def overdue_requests(period: Period) -> list[Figure]:
    today = timezone.localdate()
    n = ServiceRequest.objects.filter(concierge_selectors.overdue_requests_q(today)).count()
    return [
        Figure(
            "service_requests", _("Service requests past their target date"), n, {"due": "overdue"}
        )
    ]


def waiting_applications(period: Period) -> list[Figure]:
    n = Application.objects.filter(admissions_selectors.waiting_too_long_q(timezone.now())).count()
    label = _("Applications waiting for a decision over %(days)d days") % {
        "days": admissions_selectors.REVIEW_WAIT_DAYS
    }
    return [Figure("applications", label, n, {"waiting": "too_long"})]


CONTRIBUTIONS = [
    Contribution(FUNNEL, "admissions", 20, Application, admissions_figures),
    Contribution(FUNNEL, "stages", 30, Enrollment, stage_figures),
    Contribution(OVERDUE, "applications", 10, Application, waiting_applications),
    Contribution(OVERDUE, "milestones", 20, Milestone, overdue_milestones),
    Contribution(OVERDUE, "quarterly_reports", 30, Enrollment, missing_reports),
    Contribution(OVERDUE, "service_requests", 40, ServiceRequest, overdue_requests),
]
SHORTCUTS = [
    Shortcut(
        "review_queue",
        _("Review queue"),
        10,
        Application,
        "admin:programs_application_changelist",
        {"status__exact": Application.Status.SUBMITTED},
    ),
    Shortcut("pipeline", _("Pipeline board"), 20, Enrollment, "admin:programs_enrollment_pipeline"),
]
