"""Reads of admissions shared by the portal, the admin, the API and the benchmarks."""

import datetime as dt
from collections import defaultdict

from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Certification, FundingRound, MarketValidation, Patent
from programs.admissions import screening
from programs.admissions.models import (
    ANSWERS,
    Application,
    ApplicationEvent,
    CriterionOverride,
    Intake,
    ScreeningPolicy,
)


def policy_in_force(*, at=None) -> ScreeningPolicy:
    at = at or timezone.now()
    return ScreeningPolicy.objects.filter(effective_from__lte=at).order_by("-version").first()


def policy_for(application: Application, *, at=None) -> ScreeningPolicy:
    """Return the policy an application is (or would be) screened against.

    A program may name its own selection policy; else the version in force.
    """
    return application.intake.program.screening_policy or policy_in_force(at=at)


def missing_answers(application: Application, policy: ScreeningPolicy | None = None) -> list:
    """Return the labels of the answers the policy requires that the application leaves empty."""
    policy = policy or policy_for(application)
    required = policy.answers_required if policy is not None else []
    return [
        ANSWERS[name]
        for name in required
        if name in ANSWERS and not str(getattr(application, name) or "").strip()
    ]


def return_request(application: Application) -> ApplicationEvent | None:
    """Return the center's request for more information (its message, who, when) while the
    application is the draft the center returned; None for any other draft or status.

    The last status change says it: once submitted again, the request is answered.
    """
    if application.status != Application.Status.DRAFT:
        return None
    last_move = _status_moves(application.events.select_related("actor")).first()
    return last_move if last_move and last_move.kind == ApplicationEvent.Kind.RETURNED else None


def request_answered(application: Application) -> tuple[ApplicationEvent, ApplicationEvent] | None:
    """Return (the center's last request for more information, the submission that answered
    it) while the application answered is submitted and undecided; None otherwise."""
    if application.status != Application.Status.SUBMITTED:
        return None
    moves = list(_status_moves(application.events.select_related("actor"))[:2])
    if len(moves) == 2 and moves[1].kind == ApplicationEvent.Kind.RETURNED:
        return moves[1], moves[0]
    return None


def _status_moves(events: QuerySet[ApplicationEvent]) -> QuerySet[ApplicationEvent]:
    """The events that changed the status, the last first."""
    return events.exclude(to_status="").order_by("-created_at", "-pk")


def with_last_move(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate each application with `last_move`, the kind of its last status change ("" for
    none), and `last_move_at`, its time: "returned" on a draft is the center's request for
    more information, asked then."""
    last_move = _status_moves(ApplicationEvent.objects.filter(application=OuterRef("pk")))
    return applications.annotate(
        last_move=Coalesce(Subquery(last_move.values("kind")[:1]), Value("")),
        last_move_at=Subquery(last_move.values("created_at")[:1]),
    )


def returned_drafts(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Keep the drafts the center returned for more information: its questions awaiting the
    company's answer."""
    return with_last_move(applications.filter(status=Application.Status.DRAFT)).filter(
        last_move=ApplicationEvent.Kind.RETURNED
    )


def drafts_not_returned(drafts: QuerySet[Application]) -> QuerySet[Application]:
    """Leave out of `drafts` those the center returned for more information, which no
    intake deadline binds (`takes_submission`)."""
    return with_last_move(drafts).exclude(last_move=ApplicationEvent.Kind.RETURNED)


def takes_submission(application: Application, asked: ApplicationEvent | None, *, at=None) -> bool:
    """Return whether `application` may be submitted at `at`: while its intake is open, or,
    once the intake has closed, when the center returned it for more information (`asked`,
    its `return_request`).

    The center asks for the information while it reviews, often after the deadline; if the
    deadline shut a returned application out, asking a question would reject it.
    """
    return application.intake.is_open(at) or asked is not None


def intakes_open(*, at=None) -> QuerySet[Intake]:
    at = at or timezone.now()
    return (
        Intake.objects.filter(opens_at__lte=at, closes_at__gt=at)
        .select_related("program")
        .order_by("closes_at")
    )


# A submitted application waits too long for its decision after this many days.
REVIEW_WAIT_DAYS = 14


def waiting_too_long_q(now) -> Q:
    """Return the filter of submitted applications waiting for a decision too long."""
    return Q(
        status=Application.Status.SUBMITTED,
        submitted_at__lt=now - dt.timedelta(days=REVIEW_WAIT_DAYS),
    )


def application_list_for_review() -> QuerySet[Application]:
    return Application.objects.select_related("company", "intake__program", "policy", "decided_by")


def screening_facts(company_ids) -> dict[int, dict]:
    """Return the screening evidence of many companies in four queries."""
    facts: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    for p in Patent.objects.filter(company_id__in=company_ids).values(
        "id", "company_id", "jurisdiction", "status", "number", "title"
    ):
        facts[p.pop("company_id")]["patents"].append(screening.PatentFact(**p))
    for f in FundingRound.objects.filter(company_id__in=company_ids).values(
        "id", "company_id", "round_type", "amount", "currency", "date"
    ):
        company_id = f.pop("company_id")
        f["kind"] = f.pop("round_type")
        facts[company_id]["fundings"].append(screening.FundingFact(**f))
    for m in MarketValidation.objects.filter(company_id__in=company_ids).values(
        "id", "company_id", "kind", "amount", "currency", "date"
    ):
        facts[m.pop("company_id")]["markets"].append(screening.MarketFact(**m))
    for c in Certification.objects.filter(company_id__in=company_ids).values(
        "id", "company_id", "kind", "number", "issued_on", "expires_on"
    ):
        facts[c.pop("company_id")]["certifications"].append(screening.CertificationFact(**c))
    return facts


def overrides_by_application(application_ids) -> dict[int, dict[str, str]]:
    result: dict[int, dict[str, str]] = defaultdict(dict)
    for application_id, criterion, reason in CriterionOverride.objects.filter(
        application_id__in=application_ids
    ).values_list("application_id", "criterion", "reason"):
        result[application_id][criterion] = reason
    return result


def screening_rows(application: Application) -> list[dict]:
    """Return the per-criterion rows of a stored screening, in the active language.

    The startup's page and the review queue show the same rows.
    """
    rows = []
    for criterion in (application.screening or {}).get("criteria", []):
        try:
            reason = screening.render_reason(criterion["reason_code"], criterion["reason_params"])
        except KeyError:  # a result stored by a newer version of the rules
            reason = criterion.get("reason", "")
        rows.append(
            {
                "code": criterion["code"],
                "label": _(screening.CRITERION_LABELS.get(criterion["code"], criterion["code"])),
                "passed": criterion["passed"],
                "required": criterion["required"],
                "reason": reason,
                "override": criterion.get("override", ""),
            }
        )
    return rows


def latest_application(company) -> Application | None:
    """Return the company's latest application (the one its home and the header show)."""
    return (
        Application.objects.filter(company=company)
        .select_related("intake__program")
        .order_by("-created_at", "-pk")
        .first()
    )
