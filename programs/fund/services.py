"""Every write of the support fund: calls, applications, decisions and payouts, each checking
its policy and writing its audit record.
"""

import datetime as dt
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
from incubator.audit import audit_record
from programs import policies, stages
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
