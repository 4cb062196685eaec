"""Who may do what to an application: plain predicates the services enforce."""

from incubator.roles import staff_with

# The roles that review applications (the center manager, the program officers) change them.
REVIEW = "programs.change_application"


def _member_of(user, company_id) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and membership.company_id == company_id


def can_apply(user, company) -> bool:
    """A member of the company opens its application to an intake."""
    return _member_of(user, company.pk)


def can_edit(user, application) -> bool:
    """A member of the company changes its draft; nobody changes a submitted one."""
    return application.is_editable and _member_of(user, application.company_id)


def can_withdraw(user, application) -> bool:
    """A member of the company withdraws its submitted application until staff decide."""
    return application.can_move_to("withdrawn") and _member_of(user, application.company_id)


def can_reopen(user, application) -> bool:
    """A member of the company applies again with a withdrawn application (as a draft)."""
    # Only from withdrawn: a submitted application also leads to a draft, when the center
    # returns it (services.application_return), which is not the company's to do.
    return (
        application.status == "withdrawn"
        and application.can_move_to("draft")
        and _member_of(user, application.company_id)
    )


def can_decide(user, application) -> bool:
    """Staff who review applications decide; a company never decides its own application."""
    return staff_with(user, REVIEW) and application.status != "draft"


def can_override(user, application) -> bool:
    """Count a failed criterion as met: staff who review applications."""
    return staff_with(user, REVIEW)


def can_screen(user) -> bool:
    """Screen submitted applications again (the review queue's bulk action)."""
    return staff_with(user, REVIEW)


def can_publish_policy(user) -> bool:
    """Only center managers change the selection rules (the role's model permission)."""
    return staff_with(user, "programs.add_screeningpolicy")
