"""Every write of the support fund: calls, applications, decisions and payouts, each checking
its policy and writing its audit record.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from companies import validators
from companies.models import Company
from companies.services import members_notify, users_notify
from incubator.audit import audit_record
from incubator.multilingual import localized
from programs import policies, stages
from programs.fund import selectors
from programs.fund.models import APPLIED_ALREADY, PURPOSE_MAX_LENGTH
from programs.models import (
    Disbursement,
    Enrollment,
    FundApplication,
    FundCall,
)
from programs.services import (
    _required_text,
)

# --- Support fund ---------------------------------------------------------------------------


def fund_enrollment(
    company: Company, *, lock: bool = False, graduated_ok: bool = False
) -> Enrollment:
    """Return the company's enrollment in a working stage: the fund's money (an application,
    a grant, a payout) goes only to a company still in a program. Raise a ValidationError
    that says why not: graduated, withdrawn or never enrolled.

    `lock` (inside a transaction) holds the enrollment's row, so that it cannot end while a
    grant or a payout is being written. `graduated_ok`: a grant made is still paid out to a
    company that has graduated since (it did what the program is for).
    """
    enrollments = Enrollment.objects.filter(company=company).order_by(
        # Open first, then the latest: the stage the company is at now.
        Case(When(stage__in=stages.WORKING_STAGES, then=Value(0)), default=Value(1)),
        "-started_on",
        "-pk",
    )
    if lock:
        enrollments = enrollments.select_for_update()
    enrollment = enrollments.first()
    if enrollment is not None and (
        enrollment.stage in stages.WORKING_STAGES
        or (graduated_ok and enrollment.stage == stages.GRADUATED)
    ):
        return enrollment
    if enrollment is None:
        raise ValidationError(
            _("Only companies enrolled in a program may apply to the fund."), code="not_enrolled"
        )
    name = localized(company, "name")
    if enrollment.stage == stages.GRADUATED:
        raise ValidationError(
            _(
                "%(company)s has graduated from its program: the support fund grants only to "
                "companies still in a program."
            )
            % {"company": name},
            code="graduated",
        )
    raise ValidationError(
        _(
            "%(company)s has withdrawn from its program: the support fund grants and pays out "
            "only to companies still in a program."
        )
        % {"company": name},
        code="withdrawn",
    )


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
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise ValidationError(
            {
                "purpose": _("Describe what the money is for in at most %(max)s characters.")
                % {"max": PURPOSE_MAX_LENGTH}
            },
            code="too_long",
        )
    try:
        validators.validate_money(amount_requested, call.currency)
    except ValidationError as error:
        raise ValidationError({"amount_requested": error.messages}) from None
    if not call.is_open():
        raise ValidationError(_("This call is not open for applications."), code="closed")
    enrollment = fund_enrollment(company)
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
            # An application is submitted once (one per call and company, never again):
            # its id alone names the occurrence.
            users_notify(
                selectors.fund_deciders(),
                kind="fund_application_submitted",
                dedupe_key=f"fund_application_submitted:{application.pk}",
                payload={
                    "application_id": application.pk,
                    "amount": validators.format_money(amount_requested, call.currency),
                    "path": reverse("admin:programs_fundapplication_decide", args=[application.pk]),
                },
                in_language=lambda language: {
                    "company": localized(company, "name", language),
                    "call": localized(call, "title", language),
                },
            )
    except IntegrityError:
        raise ValidationError(APPLIED_ALREADY) from None
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
            fund_enrollment(application.company, lock=True)
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
        amount = validators.format_money(amount_granted, call.currency) if amount_granted else ""
        # The dedupe key is the one of the first version of this message, kept as it was.
        members_notify(
            company_id=application.company_id,
            kind="fund_application_decided",
            dedupe_key=f"fund-decided:{application.pk}",
            payload={
                "decision": decision,
                "amount": amount,
                "reason": reason,
                "path": reverse("programs:fund"),
            },
            in_language=lambda language: {
                "company": localized(application.company, "name", language),
                "call": localized(call, "title", language),
            },
        )
    return application


def _check_paid_on(paid_on: dt.date, application: FundApplication) -> None:
    """A tranche is paid between the decision that granted it and today."""
    decided_on = timezone.localdate(application.decided_at or application.submitted_at)
    if paid_on < decided_on:
        raise ValidationError(
            {
                "paid_on": _(
                    "The grant was decided on %(date)s; a tranche cannot be paid before that."
                )
                % {"date": date_format(decided_on)}
            },
            code="before_decision",
        )
    try:
        validators.validate_not_future(paid_on)
    except ValidationError as error:
        raise ValidationError({"paid_on": error.messages}, code="future") from None


def fund_disburse(
    *, application: FundApplication, amount: Decimal, paid_on: dt.date, actor, reference: str = ""
) -> Disbursement:
    """Record a tranche paid out of a grant; the tranches never exceed the grant."""
    if not policies.can_disburse(actor, application):
        raise PermissionDenied(_("Your role does not pay out grants."))
    with transaction.atomic():
        application = (
            FundApplication.objects.select_for_update(of=("self",))
            .select_related("call", "company")
            .get(pk=application.pk)
        )
        if application.status != FundApplication.Status.GRANTED:
            raise ValidationError(_("Only a granted application is paid out."), code="not_granted")
        fund_enrollment(application.company, lock=True, graduated_ok=True)
        _check_paid_on(paid_on, application)
        try:
            validators.validate_money(amount, application.call.currency)
        except ValidationError as error:
            raise ValidationError({"amount": error.messages}) from None
        amount = Decimal(str(amount))
        reference = (reference or "").strip()
        # A bank's reference names one transfer: seen again, it is the same payment twice.
        if reference and Disbursement.objects.filter(reference__iexact=reference).exists():
            raise ValidationError(
                {
                    "reference": _(
                        "A payment with the reference %(reference)s is recorded already."
                    )
                    % {"reference": reference}
                },
                code="paid_already",
            )
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
            reference=reference,
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
