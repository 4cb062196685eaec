"""Who may do what to which company: plain predicates the services enforce."""


def has_other_portal_role(user) -> bool:
    """Return True for a partner's person or a judge: their portal is not a company's.

    Judges are assigned in the events app; the reverse accessor keeps this module
    free of importing it.
    """
    return hasattr(user, "partner_person") or user.judge_assignments.exists()


def can_create_company(user) -> bool:
    # Portal roles are exclusive: the center, not the user, makes a partner or a
    # judge a company member too (a membership added in the admin).
    return (
        user.is_authenticated
        and not user.is_staff
        and not hasattr(user, "membership")
        and not has_other_portal_role(user)
    )
