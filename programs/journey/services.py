"""Every write of the journey: enrollment and stages, milestones, local entities and the
quarterly reports. Each state change locks its row, checks its guard and its policy, saves,
writes its history, its audit record and its outbox messages together.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from companies import validators
from companies.exchange.selectors import center_staff
from companies.models import Company
from companies.services import members_notify, users_notify
from incubator import times
from incubator.audit import audit_record, changed
from incubator.multilingual import localized
from incubator.rows import row_delete
from programs import policies, stages
from programs.models import (
    Application,
    Cohort,
    Enrollment,
    LocalEntity,
    Milestone,
    MilestoneTemplate,
    QuarterlyReport,
    StageTransition,
)
from programs.services import (
    _check_member,
    _files_removed_on_error,
    _required_text,
    _stored_file,
)

# --- Cohorts and enrollment ---------------------------------------------------------------


def cohort_for_intake(*, intake, actor=None) -> Cohort:
    """Return the intake's cohort, creating one that starts when the intake closes (for
    `actor`, whose acceptance of an application it is part of)."""
    cohort = (
        Cohort.objects.filter(intake=intake, program_id=intake.program_id)
        .order_by("-starts_on")
        .first()
    )
    if cohort is not None:
        return cohort
    starts_on = timezone.localdate(intake.closes_at)
    cohort, created = Cohort.objects.get_or_create(
        program_id=intake.program_id,
        label_ko=intake.label_ko,
        label_zh=intake.label_zh,
        label_en=intake.label_en,
        defaults={
            "intake": intake,
            "starts_on": starts_on,
            "ends_on": starts_on + dt.timedelta(days=365),
        },
    )
    if created:
        audit_record(
            actor=actor,
            verb="cohort.create",
            obj=cohort,
            changes={"intake": intake.pk, "starts_on": cohort.starts_on, "ends_on": cohort.ends_on},
        )
    return cohort


def _copy_milestones(enrollment: Enrollment) -> None:
    templates = MilestoneTemplate.objects.filter(is_active=True).order_by("position", "pk")
    Milestone.objects.bulk_create(
        [Milestone.from_template(template, enrollment=enrollment) for template in templates]
    )


def enrollment_create(
    *,
    company: Company,
    cohort: Cohort,
    actor,
    reason: str,
    application: Application | None = None,
    started_on: dt.date | None = None,
) -> Enrollment:
    """Enroll a company in a cohort, in incubation, with a copy of the milestones."""
    reason = _required_text(reason, "reason", _("Write why the company is enrolled."))
    with transaction.atomic():
        # Serialise enrollments of one company: the open-enrollment index is the backstop.
        Company.objects.select_for_update().filter(pk=company.pk).first()
        current = Enrollment.objects.filter(
            company=company, stage__in=stages.WORKING_STAGES
        ).first()
        if current is not None:
            raise ValidationError(
                _("%(company)s is enrolled already, in %(cohort)s.")
                % {"company": company.name, "cohort": current.cohort}
            )
        if Enrollment.objects.filter(company=company, cohort=cohort).exists():
            raise ValidationError(
                _("%(company)s was enrolled in %(cohort)s before.")
                % {"company": company.name, "cohort": cohort}
            )
        now = timezone.now()
        today = timezone.localdate(now)
        started_on = started_on or max(today, cohort.starts_on)
        since = now
        if started_on != today:
            # The journey has one start: incubation begins the day the enrollment starts,
            # which the milestones count from. A company recorded late has been in
            # incubation since that past day; one accepted before its cohort starts enters
            # incubation with the cohort (the KPI report counts it there from then on).
            # Noon: the same day in Seoul and in Shanghai alike.
            since = timezone.make_aware(dt.datetime.combine(started_on, dt.time(12)))
        enrollment = Enrollment(
            company=company,
            cohort=cohort,
            application=application,
            stage=stages.INCUBATION,
            started_on=started_on,
            stage_changed_at=since,
            created_by=actor,
        )
        enrollment.save()
        StageTransition.objects.create(
            enrollment=enrollment,
            to_stage=stages.INCUBATION,
            reason=reason,
            actor=actor,
            created_at=since,
        )
        _copy_milestones(enrollment)
        audit_record(
            actor=actor,
            verb="enrollment.create",
            obj=enrollment,
            company=company,
            changes={"cohort": cohort.pk, "application": getattr(application, "pk", None)},
        )
    return enrollment


def enrollment_advance(
    *, enrollment: Enrollment, to_stage: str, actor, reason: str, override: bool = False
) -> Enrollment:
    """Move an enrollment to another stage through the allowed transitions.

    Leaving a stage forward needs its required milestones done; a center
    manager may override that, with the reason written down.
    """
    reason = _required_text(reason, "reason", _("Write why the company moves to this stage."))
    if override and not policies.can_override_stage_guard(actor):
        raise PermissionDenied(_("Only a center manager may override required milestones."))
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("company", "cohort")
            .get(pk=enrollment.pk)
        )
        current = enrollment.stage
        open_required = list(
            enrollment.milestones.filter(stage=current, required=True, done_at__isnull=True)
        )
        refused = stages.refusal(
            current, to_stage, open_required=len(open_required), override=override
        )
        if refused == "not_allowed":
            raise ValidationError(
                _("An enrollment in %(current)s cannot move to %(target)s.")
                % {
                    "current": Enrollment.Stage(current).label,
                    "target": Enrollment.Stage(to_stage).label
                    if to_stage in Enrollment.Stage.values
                    else to_stage,
                },
                code="not_allowed",
            )
        if refused == "milestones_open":
            raise ValidationError(
                _(
                    "Required milestones of %(stage)s are not done: %(milestones)s. "
                    "Complete them, or a center manager overrides with a reason."
                )
                % {
                    "stage": Enrollment.Stage(current).label,
                    "milestones": ", ".join(m.title for m in open_required),
                },
                code="milestones_open",
            )
        now = timezone.now()
        fields = ["stage", "stage_changed_at"]
        if enrollment.stage_changed_at > now:
            # A move before the cohort starts (a company that withdraws in the meantime):
            # the journey starts today instead, so that its first step stays first.
            enrollment.started_on = timezone.localdate(now)
            fields.append("started_on")
            enrollment.transitions.filter(created_at__gt=now).update(created_at=now)
        enrollment.stage = to_stage
        enrollment.stage_changed_at = now
        if to_stage in stages.ENDED:
            enrollment.ended_on = timezone.localdate(now)
            fields.append("ended_on")
        enrollment.save(update_fields=fields)
        StageTransition.objects.create(
            enrollment=enrollment,
            from_stage=current,
            to_stage=to_stage,
            reason=reason,
            overridden=bool(override and open_required),
            actor=actor,
            created_at=now,
        )
        audit_record(
            actor=actor,
            verb="enrollment.advance",
            obj=enrollment,
            company=enrollment.company,
            changes={
                "stage": [current, to_stage],
                "overridden": bool(override and open_required),
                **({"started_on": enrollment.started_on} if "started_on" in fields else {}),
            },
        )
        company = enrollment.company
        members_notify(
            company_id=company.pk,
            kind="enrollment_stage_changed",
            dedupe_key=f"stage-changed:{enrollment.pk}:{to_stage}",
            payload={
                "from_stage": current,
                "to_stage": to_stage,
                "reason": reason,
                "path": reverse("programs:journey"),
            },
            in_language=lambda language: {"company": localized(company, "name", language)},
        )
    return enrollment


# --- Milestones -----------------------------------------------------------------------


def milestone_complete(
    *, milestone: Milestone, actor, evidence: str, uploaded_file=None, max_bytes: int = 0
) -> Milestone:
    """Mark a milestone done, with a written evidence and maybe a file."""
    evidence = _required_text(
        evidence, "evidence", _("Describe the evidence: what was done, when, with which document.")
    )
    _check_member(milestone.company_id, actor, "programs.change_milestone")
    try:
        stored = _stored_file(uploaded_file, max_bytes) if uploaded_file else None
    except ValidationError as error:
        raise ValidationError({"file": error}) from None  # shown beside the file's field
    with _files_removed_on_error() as saved, transaction.atomic():
        milestone = (
            Milestone.objects.select_for_update(of=("self",))
            .select_related("enrollment")
            .get(pk=milestone.pk)
        )
        refused = milestone.done_refused_because()
        if refused is not None:
            raise ValidationError(refused, code="done" if milestone.is_done else "ended")
        milestone.done_at = timezone.now()
        milestone.done_by = actor
        milestone.evidence = evidence
        fields = ["done_at", "done_by", "evidence"]
        if stored:
            file, milestone.evidence_name, milestone.evidence_type, _size = stored
            milestone.evidence_file.save(file.name, file, save=False)
            saved.append(milestone.evidence_file)
            fields += ["evidence_file", "evidence_name", "evidence_type"]
        milestone.save(update_fields=fields)
        record = audit_record(
            actor=actor,
            verb="milestone.done",
            obj=milestone,
            company=milestone.company_id,
            changes={"file": bool(stored)},
        )
        if not actor.is_staff:
            # The center follows the journey: a step the company marks done is for it to
            # see, as a quarterly report filed is.
            company = Company.objects.get(pk=milestone.company_id)
            users_notify(
                center_staff(),
                kind="milestone_done",
                dedupe_key=f"milestone-done:{milestone.pk}:{record.pk}",
                payload={
                    "evidence": evidence,
                    "file": bool(stored),
                    "by": actor.get_full_name(),
                    "path": reverse("admin:programs_milestone_change", args=[milestone.pk]),
                },
                in_language=lambda language: {
                    "company": localized(company, "name", language),
                    "milestone": localized(milestone, "title", language),
                },
            )
    return milestone


def milestone_reschedule(*, milestone: Milestone, due_on: dt.date, actor) -> Milestone:
    """Move a milestone's due date (staff only); a done milestone stays as it was."""
    if not policies.can_reschedule_milestone(actor, milestone):
        raise PermissionDenied
    with transaction.atomic():
        milestone = (
            Milestone.objects.select_for_update(of=("self",))
            .select_related("enrollment")
            .get(pk=milestone.pk)
        )
        if milestone.is_done:
            raise ValidationError(_("This milestone is done already."), code="done")
        started_on = milestone.enrollment.started_on
        if due_on < started_on:
            raise ValidationError(
                {
                    "due_on": _(
                        "A milestone cannot be due before its enrollment started (%(date)s)."
                    )
                    % {"date": date_format(started_on)}
                }
            )
        before = milestone.due_on
        milestone.due_on = due_on
        milestone.save(update_fields=["due_on"])
        audit_record(
            actor=actor,
            verb="milestone.reschedule",
            obj=milestone,
            company=milestone.company_id,
            changes={"due_on": [before, due_on]},
        )
    return milestone


# --- Local entities ------------------------------------------------------------------------


def local_entity_register(
    *,
    company: Company,
    actor,
    name_zh: str,
    uscc: str,
    registered_on: dt.date,
    city: str,
    registered_capital: Decimal,
    capital_currency: str,
) -> LocalEntity:
    """Record the Chinese company a startup registered; it completes the matching milestone."""
    _check_member(company.pk, actor, "programs.add_localentity")
    _local_entity_check(company, registered_on, registered_capital, capital_currency)
    entity = LocalEntity(
        company=company,
        name_zh=(name_zh or "").strip(),
        uscc=validators.uscc_compact(uscc),
        registered_on=registered_on,
        city=(city or "").strip(),
        registered_capital=registered_capital,
        capital_currency=capital_currency,
        created_by=actor,
    )
    entity.full_clean(exclude=["created_by"])
    with transaction.atomic():
        entity.save()
        milestone = (
            Milestone.objects.select_for_update(of=("self",))
            .filter(
                company=company,
                code=stages.LOCAL_ENTITY_MILESTONE,
                done_at__isnull=True,
                enrollment__stage__in=stages.WORKING_STAGES,
            )
            .first()
        )
        if milestone is not None:
            milestone.done_at = timezone.now()
            milestone.done_by = actor
            # No words, which would stay in the actor's language for every reader: the
            # entity's own card on the journey page says what each value is.
            milestone.evidence = " · ".join(
                (entity.name_zh, entity.registered_on.isoformat(), entity.uscc)
            )
            milestone.save(update_fields=["done_at", "done_by", "evidence"])
        audit_record(
            actor=actor,
            verb="local_entity.register",
            obj=entity,
            company=company,
            changes={"uscc": entity.uscc, "milestone_done": milestone is not None},
        )
    return entity


def _local_entity_check(company, registered_on, registered_capital, capital_currency) -> None:
    """The rules of a local entity beyond its model's: recorded and corrected alike."""
    try:
        validators.validate_money(registered_capital, capital_currency)
    except ValidationError as error:
        raise ValidationError({"registered_capital": error.messages}) from None
    try:
        validators.validate_not_before_founding(
            registered_on,
            company.founded_on,
            message=_(
                "The local entity cannot be registered before %(company)s was founded (%(date)s)."
            ),
            params={"company": company.name, "date": date_format(company.founded_on)},
        )
    except ValidationError as error:
        raise ValidationError({"registered_on": error.messages}) from None


def _entity_evidence(entity: LocalEntity) -> str:
    # No words, which would stay in the actor's language for every reader: the entity's own
    # card on the journey page says what each value is.
    return " · ".join((entity.name_zh, entity.registered_on.isoformat(), entity.uscc))


LOCAL_ENTITY_FIELDS = (
    "name_zh",
    "uscc",
    "registered_on",
    "city",
    "registered_capital",
    "capital_currency",
)


def local_entity_update(*, entity: LocalEntity, actor, **fields) -> LocalEntity:
    """Correct a recorded local entity (a typo in its name, code, date or capital) from the
    company's side; the audit record says what moved (nothing moved, no record). The
    milestone it completed stays done, and its evidence follows the correction."""
    _check_member(entity.company_id, actor, "programs.change_localentity")
    unknown = set(fields) - set(LOCAL_ENTITY_FIELDS)
    if unknown:
        raise TypeError(f"not a local entity's field: {sorted(unknown)}")
    values = dict(fields)
    for name in ("name_zh", "city"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "uscc" in values:
        values["uscc"] = validators.uscc_compact(values["uscc"])
    with transaction.atomic():
        entity = (
            LocalEntity.objects.select_for_update(of=("self",))
            .select_related("company")
            .get(pk=entity.pk)
        )
        before = {name: getattr(entity, name) for name in values}
        old_evidence = _entity_evidence(entity)
        for name, value in values.items():
            setattr(entity, name, value)
        changes = changed(entity, values, before)
        if not changes:
            return entity
        _local_entity_check(
            entity.company, entity.registered_on, entity.registered_capital, entity.capital_currency
        )
        entity.full_clean(exclude=["created_by"])
        entity.save(update_fields=list(changes))
        Milestone.objects.filter(
            company=entity.company_id,
            code=stages.LOCAL_ENTITY_MILESTONE,
            done_at__isnull=False,
            evidence=old_evidence,
        ).update(evidence=_entity_evidence(entity))
        audit_record(
            actor=actor,
            verb="local_entity.update",
            obj=entity,
            company=entity.company_id,
            changes=changes,
        )
    return entity


# --- Quarterly reports -----------------------------------------------------------------------

# Far above any company in the program, far below a mistyped row of nines: a figure past
# them is a typing error that would skew the portfolio's totals.
REPORT_COUNT_LIMITS = {
    "employees_china": 10_000,
    "employees_korea": 10_000,
    "customers_china": 1_000_000,
}


def report_count_errors(counts: dict[str, int]) -> dict[str, str]:
    """Return the error of each count outside 0 to its `REPORT_COUNT_LIMITS`, by field."""
    return {
        field: _("Enter a number from 0 to %(max)s.")
        % {"max": number_format(REPORT_COUNT_LIMITS[field], force_grouping=True)}
        for field, count in counts.items()
        if not 0 <= int(count) <= REPORT_COUNT_LIMITS[field]
    }


def quarterly_report_submit(
    *,
    company: Company,
    actor,
    year: int,
    quarter: int,
    revenue: Decimal,
    revenue_currency: str,
    employees_china: int,
    employees_korea: int,
    funding_raised: Decimal,
    funding_currency: str,
    customers_china: int,
) -> QuarterlyReport:
    """File a company's figures for one ended quarter; a quarter is reported once."""
    _check_member(company.pk, actor, "programs.add_quarterlyreport")
    too_many = report_count_errors(
        {
            "employees_china": employees_china,
            "employees_korea": employees_korea,
            "customers_china": customers_china,
        }
    )
    if too_many:
        raise ValidationError(too_many)
    for field, amount, currency in (
        ("revenue", revenue, revenue_currency),
        ("funding_raised", funding_raised, funding_currency),
    ):
        try:
            validators.validate_money(amount, currency, allow_zero=True)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
    enrollment = Enrollment.objects.filter(company=company).order_by("-started_on", "-pk").first()
    if enrollment is None:
        raise ValidationError(
            _("Only companies enrolled in a program report quarterly figures."),
            code="not_enrolled",
        )
    period = stages.Quarter(int(year), int(quarter))
    if not stages.is_reportable(
        period, started_on=enrollment.started_on, today=timezone.localdate()
    ):
        raise ValidationError(
            {
                "quarter": _(
                    "%(quarter)s cannot be reported: a quarter is reported once it has ended, "
                    "from the quarter the enrollment started in."
                )
                % {"quarter": times.quarter(period.year, period.quarter)}
            }
        )
    report = QuarterlyReport(
        company=company,
        enrollment=enrollment,
        year=period.year,
        quarter=period.quarter,
        revenue=revenue,
        revenue_currency=revenue_currency,
        employees_china=employees_china,
        employees_korea=employees_korea,
        funding_raised=funding_raised,
        funding_currency=funding_currency,
        customers_china=customers_china,
        submitted_by=actor,
    )
    already = _("%(quarter)s is reported already.") % {
        "quarter": times.quarter(period.year, period.quarter)
    }
    if QuarterlyReport.objects.filter(company=company, year=period.year, quarter=period.quarter):
        raise ValidationError({"quarter": already}, code="reported")
    try:
        with transaction.atomic():
            report.save()
            audit_record(
                actor=actor,
                verb="quarterly_report.submit",
                obj=report,
                company=company,
                changes={"period": str(period)},
            )
            users_notify(
                center_staff(),
                kind="quarterly_report_submitted",
                dedupe_key=f"quarterly-report:{report.pk}",
                payload={
                    "year": period.year,
                    "quarter": period.quarter,
                    "path": reverse("admin:programs_quarterlyreport_change", args=[report.pk]),
                },
                in_language=lambda language: _report_words(company, period, language),
            )
    except IntegrityError:  # the same quarter filed at the same moment
        raise ValidationError({"quarter": already}, code="reported") from None
    return report


def quarterly_report_delete(*, report: QuarterlyReport, actor) -> None:
    """Delete a filed report, audited with what it held; the company may then file the
    quarter again."""
    if not policies.can_delete_quarterly_report(actor, report):
        raise PermissionDenied
    row_delete(report, actor=actor, verb="quarterly_report", company=report.company_id)


def _report_words(company, period, language) -> dict:
    with translation.override(language):
        quarter = times.quarter(period.year, period.quarter)
    return {"company": localized(company, "name", language), "period": quarter}
