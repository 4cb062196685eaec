"""Every write of the journey after acceptance, each in one transaction.

Enrollment and stages, milestones, local entities, concierge service requests,
the support fund and the quarterly reports. Each state change locks its row,
checks its guard, saves, writes its history and its outbox messages together.
"""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies import validators
from companies.models import Company
from companies.services import members_notify
from incubator import uploads
from incubator.audit import audit_record
from incubator.models import OutboxMessage
from incubator.services import outbox_enqueue
from programs import policies, selectors, stages
from programs.models import (
    Application,
    Cohort,
    Disbursement,
    Enrollment,
    FundApplication,
    FundCall,
    LocalEntity,
    Milestone,
    MilestoneTemplate,
    QuarterlyReport,
    ServiceMessage,
    ServiceRequest,
    ServiceTarget,
    StageTransition,
)

# Kept here for the callers that name them; programs.policies decides.
DECIDE_FUND = policies.DECIDE_FUND
OVERRIDE_STAGE_GUARD = policies.OVERRIDE_STAGE_GUARD
# Used when staff never set a target for a kind of request.
DEFAULT_TARGET_DAYS = 10
# The targets the first migration sets; staff change them in the admin.
DEFAULT_TARGETS = {
    "visa": 14,
    "company_registration": 30,
    "tax": 10,
    "financing": 30,
    "ip": 21,
    "translation": 5,
    "hiring": 21,
    "office": 7,
    "other": 10,
}


def defaults_ensure() -> None:
    """Create the default milestone templates and service targets that are missing.

    The migration creates them; this puts back what a flushed test database or
    a staff member's deletion removed (the demo and tests call it).
    """
    for position, default in enumerate(stages.DEFAULT_MILESTONES, start=1):
        MilestoneTemplate.objects.get_or_create(
            code=default.code,
            defaults={
                "stage": default.stage,
                "title_en": default.title_en,
                "title_ko": default.title_ko,
                "title_zh": default.title_zh,
                "due_days": default.due_days,
                "required": default.required,
                "position": position * 10,
            },
        )
    for kind, days in DEFAULT_TARGETS.items():
        ServiceTarget.objects.get_or_create(kind=kind, defaults={"days": days})


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _excerpt(text: str, length: int = 300) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _stored_file(uploaded_file, max_bytes: int):
    """Return (file, original name, content type, size) of a checked upload."""
    checked, original_name, content_type = uploads.checked_upload(uploaded_file, max_bytes)
    return checked, original_name, content_type, checked.size


@contextmanager
def _files_removed_on_error():
    """Yield a list; the files put in it are deleted if the block raises."""
    saved: list = []
    try:
        yield saved
    except BaseException:
        for field_file in saved:
            field_file.storage.delete(field_file.name)
        raise


def _check_member(company_id: int, actor) -> None:
    """Refuse a portal user acting on another company's rows; staff act on any."""
    if not policies.can_act_for(actor, company_id):
        raise PermissionDenied


# --- Cohorts and enrollment ---------------------------------------------------------------


def cohort_for_intake(*, intake) -> Cohort:
    """Return the intake's cohort, creating one that starts when the intake closes."""
    cohort = (
        Cohort.objects.filter(intake=intake, program_id=intake.program_id)
        .order_by("-starts_on")
        .first()
    )
    if cohort is not None:
        return cohort
    starts_on = timezone.localdate(intake.closes_at)
    cohort, _created = Cohort.objects.get_or_create(
        program_id=intake.program_id,
        label=intake.label,
        defaults={
            "intake": intake,
            "starts_on": starts_on,
            "ends_on": starts_on + dt.timedelta(days=365),
        },
    )
    return cohort


def _copy_milestones(enrollment: Enrollment) -> None:
    templates = MilestoneTemplate.objects.filter(is_active=True).order_by("position", "pk")
    Milestone.objects.bulk_create(
        [
            Milestone(
                enrollment=enrollment,
                company_id=enrollment.company_id,
                template=template,
                code=template.code,
                stage=template.stage,
                title_ko=template.title_ko,
                title_zh=template.title_zh,
                title_en=template.title_en,
                required=template.required,
                position=template.position,
                due_on=enrollment.started_on + dt.timedelta(days=template.due_days),
            )
            for template in templates
        ]
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
        today = timezone.localdate()
        enrollment = Enrollment(
            company=company,
            cohort=cohort,
            application=application,
            stage=stages.INCUBATION,
            started_on=started_on or max(today, cohort.starts_on),
            created_by=actor,
        )
        enrollment.save()
        StageTransition.objects.create(
            enrollment=enrollment, to_stage=stages.INCUBATION, reason=reason, actor=actor
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
        enrollment.stage = to_stage
        enrollment.stage_changed_at = now
        fields = ["stage", "stage_changed_at"]
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
            changes={"stage": [current, to_stage], "overridden": bool(override and open_required)},
        )
        members_notify(
            company_id=enrollment.company_id,
            kind="enrollment_stage_changed",
            dedupe_key=f"stage-changed:{enrollment.pk}:{to_stage}",
            payload={
                "company": enrollment.company.name_ko,
                "from_stage": current,
                "to_stage": to_stage,
                "reason": reason,
                "path": reverse("programs:journey"),
            },
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
    _check_member(milestone.company_id, actor)
    stored = _stored_file(uploaded_file, max_bytes) if uploaded_file else None
    with _files_removed_on_error() as saved, transaction.atomic():
        milestone = (
            Milestone.objects.select_for_update(of=("self",))
            .select_related("enrollment")
            .get(pk=milestone.pk)
        )
        if milestone.is_done:
            raise ValidationError(_("This milestone is done already."), code="done")
        if not milestone.enrollment.is_open:
            raise ValidationError(
                _("This enrollment has ended; its milestones no longer change."), code="ended"
            )
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
        audit_record(
            actor=actor,
            verb="milestone.done",
            obj=milestone,
            company=milestone.company_id,
            changes={"file": bool(stored)},
        )
    return milestone


def milestone_reschedule(*, milestone: Milestone, due_on: dt.date, actor) -> Milestone:
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if milestone.is_done:
            raise ValidationError(_("This milestone is done already."), code="done")
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
    try:
        validators.validate_money(registered_capital, capital_currency)
    except ValidationError as error:
        raise ValidationError({"registered_capital": error.messages}) from None
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
            milestone.evidence = _(
                "%(name)s registered on %(date)s, unified social credit code %(uscc)s."
            ) % {
                "name": entity.name_zh,
                "date": entity.registered_on.isoformat(),
                "uscc": entity.uscc,
            }
            milestone.save(update_fields=["done_at", "done_by", "evidence"])
        audit_record(
            actor=actor,
            verb="local_entity.register",
            obj=entity,
            company=company,
            changes={"uscc": entity.uscc, "milestone_done": milestone is not None},
        )
    return entity


# --- Concierge service requests ----------------------------------------------------------


def service_target_days(kind: str) -> int:
    target = ServiceTarget.objects.filter(kind=kind).values_list("days", flat=True).first()
    return target if target is not None else DEFAULT_TARGET_DAYS


def _check_side(service_request: ServiceRequest, actor) -> bool:
    """Return True when the actor writes for the center; refuse another company's member."""
    _check_member(service_request.company_id, actor)
    return bool(actor.is_staff)


def _message_create(
    service_request: ServiceRequest, actor, from_center: bool, body: str, stored, saved: list
) -> ServiceMessage:
    message = ServiceMessage(
        request=service_request,
        company_id=service_request.company_id,
        author=actor,
        from_center=from_center,
        body=body,
    )
    if stored:
        file, message.original_name, message.content_type, message.size = stored
        message.file.save(file.name, file, save=False)
        saved.append(message.file)
    message.save()
    return message


def _notify_other_side(service_request: ServiceRequest, message: ServiceMessage) -> None:
    """Tell the company's members of a center message, or the owner of a company message."""
    payload = {
        "company": service_request.company.name_ko,
        "subject": service_request.subject,
        "request_id": service_request.pk,
        "excerpt": _excerpt(message.body) or message.original_name,
        "from_center": message.from_center,
    }
    if message.from_center:
        members_notify(
            company_id=service_request.company_id,
            kind="service_request_message",
            dedupe_key=f"service-message:{message.pk}",
            payload={
                **payload,
                "path": reverse("programs:request-detail", args=[service_request.pk]),
            },
        )
    elif service_request.owner_id and service_request.owner.is_active:
        owner = service_request.owner
        outbox_enqueue(
            recipient=owner.email,
            kind="service_request_message",
            dedupe_key=f"service-message:{message.pk}:{owner.pk}",
            payload={
                **payload,
                "name": owner.get_full_name(),
                "path": reverse(
                    "admin:programs_servicerequest_conversation", args=[service_request.pk]
                ),
            },
            language=owner.language,
        )


def service_request_open(
    *,
    company: Company,
    kind: str,
    subject: str,
    body: str,
    actor,
    uploaded_file=None,
    max_bytes: int = 0,
    owner=None,
    due_on: dt.date | None = None,
) -> ServiceRequest:
    """Open a concierge service request, by a member of the company or by staff."""
    subject = _required_text(subject, "subject", _("Give the request a subject."))
    body = _required_text(body, "body", _("Describe what you need."))
    if kind not in ServiceRequest.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of service.")})
    _check_member(company.pk, actor)
    from_center = bool(actor.is_staff)
    stored = _stored_file(uploaded_file, max_bytes) if uploaded_file else None
    now = timezone.now()
    with _files_removed_on_error() as saved, transaction.atomic():
        enrollment = Enrollment.objects.filter(
            company=company, stage__in=stages.WORKING_STAGES
        ).first()
        if owner is not None and due_on is None:
            due_on = timezone.localdate(now) + dt.timedelta(days=service_target_days(kind))
        service_request = ServiceRequest.objects.create(
            company=company,
            enrollment=enrollment,
            kind=kind,
            subject=subject,
            status=ServiceRequest.Status.IN_PROGRESS if owner else ServiceRequest.Status.OPEN,
            waiting_on=ServiceRequest.WaitingOn.COMPANY
            if from_center
            else ServiceRequest.WaitingOn.CENTER,
            owner=owner,
            due_on=due_on,
            opened_by=actor,
            opened_at=now,
        )
        message = _message_create(service_request, actor, from_center, body, stored, saved)
        audit_record(
            actor=actor,
            verb="service_request.open",
            obj=service_request,
            company=company,
            changes={"kind": kind, "owner": getattr(owner, "pk", None)},
        )
        _notify_other_side(service_request, message)
    return service_request


def service_request_reply(
    *, service_request: ServiceRequest, actor, body: str, uploaded_file=None, max_bytes: int = 0
) -> ServiceMessage:
    """Add a message (and maybe a file) to a request; the other side is told by e-mail."""
    body = (body or "").strip()
    if not body and not uploaded_file:
        raise ValidationError({"body": _("Write a message or attach a file.")})
    from_center = _check_side(service_request, actor)
    stored = _stored_file(uploaded_file, max_bytes) if uploaded_file else None
    with _files_removed_on_error() as saved, transaction.atomic():
        service_request = (
            ServiceRequest.objects.select_for_update(of=("self",))
            .select_related("company", "owner")
            .get(pk=service_request.pk)
        )
        if service_request.status == ServiceRequest.Status.CLOSED:
            raise ValidationError(
                _("This request is closed; open a new one if you need more help."), code="closed"
            )
        message = _message_create(service_request, actor, from_center, body, stored, saved)
        service_request.waiting_on = (
            ServiceRequest.WaitingOn.COMPANY if from_center else ServiceRequest.WaitingOn.CENTER
        )
        fields = ["waiting_on"]
        if not from_center and service_request.status == ServiceRequest.Status.RESOLVED:
            # The company answers a resolved request: it is not resolved for them.
            service_request.status = ServiceRequest.Status.IN_PROGRESS
            service_request.resolved_at = None
            fields += ["status", "resolved_at"]
        service_request.save(update_fields=fields)
        audit_record(
            actor=actor,
            verb="service_request.reply",
            obj=service_request,
            company=service_request.company_id,
            changes={"message": message.pk, "from_center": from_center},
        )
        _notify_other_side(service_request, message)
    return message


def service_request_assign(
    *, service_request: ServiceRequest, owner, actor, due_on: dt.date | None = None
) -> ServiceRequest:
    """Give a request an owner among the staff, and a due date from the kind's target."""
    if not policies.can_assign_request(actor, service_request):
        raise PermissionDenied(_("Only the center assigns a request."))
    if owner is None or not owner.is_staff:
        raise ValidationError({"owner": _("Choose a staff member as the owner.")})
    with transaction.atomic():
        service_request = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
        if service_request.status == ServiceRequest.Status.CLOSED:
            raise ValidationError(_("This request is closed."), code="closed")
        service_request.owner = owner
        service_request.due_on = due_on or (
            timezone.localdate(service_request.opened_at)
            + dt.timedelta(days=service_target_days(service_request.kind))
        )
        fields = ["owner", "due_on"]
        if service_request.status == ServiceRequest.Status.OPEN:
            service_request.status = ServiceRequest.Status.IN_PROGRESS
            fields.append("status")
        service_request.save(update_fields=fields)
        audit_record(
            actor=actor,
            verb="service_request.assign",
            obj=service_request,
            company=service_request.company_id,
            changes={"owner": owner.pk, "due_on": service_request.due_on},
        )
    return service_request


def service_request_set_status(
    *, service_request: ServiceRequest, status: str, actor
) -> ServiceRequest:
    """Resolve, close or reopen a request through the allowed moves."""
    with transaction.atomic():
        service_request = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
        _check_side(service_request, actor)
        if not service_request.can_move_to(status):
            raise ValidationError(
                _("A request that is %(current)s cannot become %(target)s.")
                % {
                    "current": service_request.get_status_display(),
                    "target": ServiceRequest.Status(status).label
                    if status in ServiceRequest.Status.values
                    else status,
                },
                code="not_allowed",
            )
        now = timezone.now()
        service_request.status = status
        fields = ["status", "waiting_on"]
        if status == ServiceRequest.Status.RESOLVED:
            service_request.resolved_at = now
            fields.append("resolved_at")
        elif status == ServiceRequest.Status.CLOSED:
            service_request.closed_at = now
            fields.append("closed_at")
        else:
            service_request.resolved_at = None
            fields.append("resolved_at")
        service_request.waiting_on = (
            ServiceRequest.WaitingOn.CENTER
            if status == ServiceRequest.Status.IN_PROGRESS
            else ServiceRequest.WaitingOn.NOBODY
        )
        service_request.save(update_fields=fields)
        audit_record(
            actor=actor,
            verb=f"service_request.{status}",
            obj=service_request,
            company=service_request.company_id,
            changes={"status": status},
        )
    return service_request


# --- Support fund ---------------------------------------------------------------------------


def fund_call_save(*, call: FundCall, actor) -> FundCall:
    """Create a call, or change one; a new budget moves the remaining budget by the difference."""
    if not policies.can_decide_fund(actor):
        raise PermissionDenied
    try:
        validators.validate_money(call.budget, call.currency)
    except ValidationError as error:
        raise ValidationError({"budget": error.messages}) from None
    with transaction.atomic():
        if call.pk is None:
            call.remaining = call.budget
            call.full_clean()
            call.save()
            audit_record(
                actor=actor,
                verb="fund_call.create",
                obj=call,
                changes={"budget": call.budget, "currency": call.currency},
            )
            return call
        locked = FundCall.objects.select_for_update().get(pk=call.pk)
        granted = locked.budget - locked.remaining
        if call.currency != locked.currency and granted:
            raise ValidationError(
                {"currency": _("Grants were made in %(currency)s.") % {"currency": locked.currency}}
            )
        if call.budget < granted:
            raise ValidationError(
                {
                    "budget": _("%(granted)s is granted already; the budget cannot be lower.")
                    % {"granted": validators.format_money(granted, locked.currency)}
                }
            )
        call.remaining = call.budget - granted
        call.full_clean()
        call.save()
        audit_record(
            actor=actor,
            verb="fund_call.change",
            obj=call,
            changes={"budget": [locked.budget, call.budget], "currency": call.currency},
        )
    return call


def fund_apply(
    *, call: FundCall, company: Company, actor, amount_requested: Decimal, purpose: str
) -> FundApplication:
    """Apply to a fund call for an enrolled company."""
    purpose = _required_text(purpose, "purpose", _("Describe what the money is for."))
    try:
        validators.validate_money(amount_requested, call.currency)
    except ValidationError as error:
        raise ValidationError({"amount_requested": error.messages}) from None
    if not call.is_open():
        raise ValidationError(_("This call is not open for applications."), code="closed")
    enrollment = Enrollment.objects.filter(company=company, stage__in=stages.WORKING_STAGES).first()
    if enrollment is None:
        raise ValidationError(
            _("Only companies enrolled in a program may apply to the fund."), code="not_enrolled"
        )
    if amount_requested > call.budget:
        raise ValidationError(
            {
                "amount_requested": _("The call's whole budget is %(budget)s.")
                % {"budget": validators.format_money(call.budget, call.currency)}
            }
        )
    application = FundApplication(
        call=call,
        company=company,
        enrollment=enrollment,
        amount_requested=amount_requested,
        purpose=purpose,
        submitted_by=actor,
    )
    try:
        application.validate_constraints()
        with transaction.atomic():
            application.save()
            audit_record(
                actor=actor,
                verb="fund_application.submit",
                obj=application,
                company=company,
                changes={"call": call.pk, "amount_requested": amount_requested},
            )
    except IntegrityError:
        raise ValidationError(_("Your company has applied to this call already.")) from None
    return application


def fund_decide(
    *,
    application: FundApplication,
    decision: str,
    actor,
    reason: str,
    amount_granted: Decimal | None = None,
) -> FundApplication:
    """Grant (an amount within the remaining budget) or reject a fund application.

    The call's row is locked first, so two officers granting at the same moment
    are served one after the other; the database check on the remaining budget
    refuses whatever might still slip through.
    """
    if not policies.can_decide_fund(actor, application):
        raise PermissionDenied
    reason = _required_text(reason, "reason", _("Write the reason for this decision."))
    if decision not in (FundApplication.Status.GRANTED, FundApplication.Status.REJECTED):
        raise ValidationError({"decision": _("Grant or reject.")})
    with transaction.atomic():
        call = FundCall.objects.select_for_update().get(pk=application.call_id)
        application = (
            FundApplication.objects.select_for_update(of=("self",))
            .select_related("company")
            .get(pk=application.pk)
        )
        if application.status != FundApplication.Status.SUBMITTED:
            raise ValidationError(
                _("This application was decided already (%(status)s).")
                % {"status": application.get_status_display()},
                code="decided",
            )
        if decision == FundApplication.Status.GRANTED:
            try:
                validators.validate_money(amount_granted, call.currency)
            except ValidationError as error:
                raise ValidationError({"amount_granted": error.messages}) from None
            amount_granted = Decimal(str(amount_granted))
            if amount_granted > call.remaining:
                raise ValidationError(
                    {
                        "amount_granted": _(
                            "Only %(remaining)s of the call's budget remains; "
                            "%(amount)s cannot be granted."
                        )
                        % {
                            "remaining": validators.format_money(call.remaining, call.currency),
                            "amount": validators.format_money(amount_granted, call.currency),
                        }
                    },
                    code="over_budget",
                )
            if amount_granted > application.amount_requested:
                raise ValidationError(
                    {
                        "amount_granted": _(
                            "The company asked for %(requested)s; a grant cannot be larger."
                        )
                        % {
                            "requested": validators.format_money(
                                application.amount_requested, call.currency
                            )
                        }
                    }
                )
            try:
                with transaction.atomic():
                    FundCall.objects.filter(pk=call.pk).update(
                        remaining=F("remaining") - amount_granted
                    )
            except IntegrityError:
                raise ValidationError(
                    {"amount_granted": _("The call's remaining budget is too small.")},
                    code="over_budget",
                ) from None
            application.amount_granted = amount_granted
        application.status = decision
        application.decision_reason = reason
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.save(
            update_fields=[
                "status",
                "amount_granted",
                "decision_reason",
                "decided_by",
                "decided_at",
            ]
        )
        audit_record(
            actor=actor,
            verb="fund_application.decide",
            obj=application,
            company=application.company,
            changes={"status": ["submitted", decision], "amount_granted": amount_granted},
        )
        members_notify(
            company_id=application.company_id,
            kind="fund_application_decided",
            dedupe_key=f"fund-decided:{application.pk}",
            payload={
                "company": application.company.name_ko,
                "call": call.title_ko or call.title,
                "decision": decision,
                "amount": validators.format_money(amount_granted, call.currency)
                if amount_granted
                else "",
                "reason": reason,
                "path": reverse("programs:fund"),
            },
        )
    return application


def fund_disburse(
    *, application: FundApplication, amount: Decimal, paid_on: dt.date, actor, reference: str = ""
) -> Disbursement:
    """Record a tranche paid out of a grant; the tranches never exceed the grant."""
    if not policies.can_disburse(actor, application):
        raise PermissionDenied(_("Your role does not pay out grants."))
    with transaction.atomic():
        application = (
            FundApplication.objects.select_for_update(of=("self",))
            .select_related("call")
            .get(pk=application.pk)
        )
        if application.status != FundApplication.Status.GRANTED:
            raise ValidationError(_("Only a granted application is paid out."), code="not_granted")
        try:
            validators.validate_money(amount, application.call.currency)
        except ValidationError as error:
            raise ValidationError({"amount": error.messages}) from None
        amount = Decimal(str(amount))
        if amount > application.undisbursed:
            raise ValidationError(
                {
                    "amount": _("Only %(left)s of the grant is left to pay out.")
                    % {
                        "left": validators.format_money(
                            application.undisbursed, application.call.currency
                        )
                    }
                },
                code="over_grant",
            )
        disbursement = Disbursement(
            application=application,
            amount=amount,
            paid_on=paid_on,
            reference=(reference or "").strip(),
            created_by=actor,
        )
        disbursement.full_clean(exclude=["application", "created_by"])
        disbursement.save()
        application.disbursed = F("disbursed") + amount
        application.save(update_fields=["disbursed"])
        audit_record(
            actor=actor,
            verb="fund_application.disburse",
            obj=application,
            company=application.company_id,
            changes={"amount": amount, "paid_on": paid_on, "disbursement": disbursement.pk},
        )
    application.refresh_from_db(fields=["disbursed"])
    return disbursement


# --- Quarterly reports -----------------------------------------------------------------------


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
                % {"quarter": str(period)}
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
    already = _("%(quarter)s is reported already.") % {"quarter": str(period)}
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
    except IntegrityError:  # the same quarter filed at the same moment
        raise ValidationError({"quarter": already}, code="reported") from None
    return report


def quarterly_report_reminders(*, today: dt.date | None = None) -> int:
    """Ask each enrolled company's members for the report of the quarter that ended.

    One message per company, quarter and member, whatever runs twice; return how
    many were written now.
    """
    today = today or timezone.localdate()
    due_by_key, wanted = {}, set()
    for enrollment, due in selectors.reports_due(today=today):
        key = f"quarterly-report-due:{enrollment.company_id}:{due.year}-Q{due.quarter}"
        due_by_key[key] = (enrollment.company, due)
        wanted |= {f"{key}:{m.user_id}" for m in enrollment.company.memberships.all()}
    sent = set(
        OutboxMessage.objects.filter(dedupe_key__in=wanted).values_list("dedupe_key", flat=True)
    )
    for key, (company, due) in due_by_key.items():
        if all(k in sent for k in wanted if k.startswith(f"{key}:")):
            continue
        members_notify(
            company_id=company.pk,
            kind="quarterly_report_due",
            dedupe_key=key,
            payload={
                "company": company.name_ko,
                "year": due.year,
                "quarter": due.quarter,
                "path": reverse("programs:report-create"),
            },
        )
    return len(wanted) - len(sent)
