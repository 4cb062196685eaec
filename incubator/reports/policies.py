"""Who may run the KPI report: any staff member of the center."""


def can_run_report(actor) -> bool:
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and actor.is_staff
        and actor.has_perm("reports.add_reportrun")
    )


def can_download_report(actor, run) -> bool:
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and actor.is_staff
        and actor.has_perm("reports.view_reportrun")
    )
