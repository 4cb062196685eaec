"""Who may do what in the journey, the concierge and the fund: plain predicates.

The services enforce them; the admin and the portal ask the same functions to
decide what to show.
"""

DECIDE_FUND = "programs.decide_fund"
OVERRIDE_STAGE_GUARD = "programs.override_stage_guard"
PAY_OUT = "programs.add_disbursement"


def _is_staff(actor) -> bool:
    return bool(getattr(actor, "is_staff", False))


def can_act_for(actor, company_id: int, permission: str | None = None) -> bool:
    """Staff act on any company (those whose role holds `permission`, when one is named);
    a portal user only on their own."""
    if _is_staff(actor):
        return permission is None or actor.has_perm(permission)
    membership = getattr(actor, "membership", None)
    return membership is not None and membership.company_id == company_id


def can_reschedule_milestone(actor, milestone=None) -> bool:
    """Move a milestone's due date: staff whose role changes milestones."""
    return _is_staff(actor) and actor.has_perm("programs.change_milestone")


def can_override_stage_guard(actor) -> bool:
    return _is_staff(actor) and actor.has_perm(OVERRIDE_STAGE_GUARD)


def can_assign_request(actor, service_request=None) -> bool:
    """Only the center gives a request an owner: staff whose role handles requests."""
    return _is_staff(actor) and actor.has_perm("programs.change_servicerequest")


def can_delete_quarterly_report(actor, report=None) -> bool:
    """Delete a company's filed report (a wrong one, for the quarter to be filed again): the
    center manager's alone (incubator.roles.MANAGER_ONLY_DELETES), not the officers' who read
    the reports."""
    return _is_staff(actor) and actor.has_perm("programs.delete_quarterlyreport")


def can_decide_fund(actor, fund_application=None) -> bool:
    return _is_staff(actor) and actor.has_perm(DECIDE_FUND)


def can_disburse(actor, fund_application=None) -> bool:
    """Paying out a grant: staff whose role may record disbursements."""
    return _is_staff(actor) and actor.has_perm(PAY_OUT)
