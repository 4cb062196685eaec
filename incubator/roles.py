"""The staff roles of the architecture's roles table and what each may do."""

from django.apps import apps as global_apps
from django.utils.translation import gettext_lazy as _

CENTER_MANAGER = "center_manager"
PROGRAM_OFFICER = "program_officer"
EVENT_COORDINATOR = "event_coordinator"
VIEWER = "viewer"
ROLES = (CENTER_MANAGER, PROGRAM_OFFICER, EVENT_COORDINATOR, VIEWER)
# What staff read where a role shows (its group's name is the code).
ROLE_LABELS = {
    CENTER_MANAGER: _("center manager"),
    PROGRAM_OFFICER: _("program officer"),
    EVENT_COORDINATOR: _("event coordinator"),
    VIEWER: _("viewer (read only)"),
}

ALL = ("add", "change", "delete", "view")
VIEW = ("view",)
CENTER_APPS = ("incubator", "companies", "programs", "events")
# Any staff member runs the KPI report (a ReportRun) and downloads it.
RUN_REPORTS = ("add", "view")


def staff_with(actor, permission: str) -> bool:
    """Say whether `actor` is the system (None: a task, the demo data) or staff whose role
    holds `permission`: the test every app's policies make of a staff member."""
    return actor is None or bool(actor.is_staff and actor.has_perm(permission))


def can_save_row(actor, row, *, created: bool) -> bool:
    """Add or change a row staff keep (a company, a lead, a partner, a programme, a cohort...)
    from the staff side: staff whose role may add (or change) rows of its model."""
    action = "add" if created else "change"
    return staff_with(actor, f"{row._meta.app_label}.{action}_{row._meta.model_name}")


def can_delete_row(actor, row) -> bool:
    return staff_with(actor, f"{row._meta.app_label}.delete_{row._meta.model_name}")


# role -> {app_label: actions}: the actions reach every model of the app but those the
# role has no business in (HIDDEN_FROM) and the manager's own (below).
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    # "axes": the sign-in lockouts, which only the manager sees and lifts.
    CENTER_MANAGER: {
        **{app: ALL for app in CENTER_APPS},
        "reports": ALL,
        "django_celery_beat": ALL,
        "axes": ALL,
    },
    PROGRAM_OFFICER: {
        "incubator": VIEW,
        "companies": ALL,
        "programs": ALL,
        "events": VIEW,
        "reports": RUN_REPORTS,
    },
    # What events need: companies, partner organisations and their people, every kind of
    # event. Not the programmes' rooms (applications and their screening, the fund, service
    # requests and their threads, milestones, quarterly figures): the program officers'.
    EVENT_COORDINATOR: {
        "incubator": VIEW,
        "companies": VIEW,
        "events": ALL,
        "reports": RUN_REPORTS,
    },
    # The county liaison: aggregates (the dashboard, the KPI report), companies, programmes,
    # events and meetings. Periodic tasks are the manager's alone.
    VIEWER: {
        **{app: VIEW for app in CENTER_APPS},
        "reports": RUN_REPORTS,
    },
}
# Models a role does not see although its app's actions would reach them.
HIDDEN_FROM: dict[str, set[tuple[str, str]]] = {
    # Leads are the program officers' prospects (contacts' names and e-mail addresses).
    EVENT_COORDINATOR: {("companies", "lead")},
    # Not the accounts' list (every person's e-mail address), nor the judges' own scores:
    # the viewer reads a round's results once they are published, without who gave what.
    VIEWER: {("incubator", "user"), ("events", "score")},
}
# Models whose rows only the center manager may change, whatever the app grants.
# Webhook endpoints too: whoever makes one is shown its secret.
MANAGER_ONLY_MODELS = {
    ("programs", "screeningpolicy"),
    ("incubator", "user"),
    ("companies", "webhookendpoint"),
    ("events", "calendarfeed"),
}
# Models whose rows only the center manager may delete, whatever the app grants. A company
# files a quarterly report once per quarter: deleting it takes the company's own figures
# out of the portfolio's, and the manager alone decides that (programs.policies).
MANAGER_ONLY_DELETES = {("programs", "quarterlyreport")}
# Models no other role may even see: the outbox holds every message to every person, the
# audit trail who did what; partner API keys are made, read and revoked by the manager alone.
MANAGER_ONLY_VISIBLE = {
    ("incubator", "outboxmessage"),
    ("incubator", "auditrecord"),
    ("companies", "partnerapikey"),
}
# Permissions beyond add/change/delete/view, by role.
EXTRA_PERMISSIONS: dict[str, tuple[str, ...]] = {
    CENTER_MANAGER: (
        "programs.decide_fund",
        "programs.override_stage_guard",
        "events.correct_score",
    ),
}


def permissions_for(role: str, permission_model, every=None) -> list:
    """Return the permission rows that `role` should hold.

    `every`: all permission rows with their content types, when the caller has read them
    already (sync_role_permissions reads them once for the four roles).
    """
    if every is None:
        every = list(permission_model.objects.select_related("content_type"))
    wanted = []
    for perm in every:
        app_label, model = perm.content_type.app_label, perm.content_type.model
        actions = ROLE_PERMISSIONS[role].get(app_label, ())
        action = perm.codename.split("_", 1)[0]
        if action not in actions:
            continue
        if (app_label, model) in HIDDEN_FROM.get(role, ()):
            continue
        if role != CENTER_MANAGER and (
            (app_label, model) in MANAGER_ONLY_VISIBLE
            or (action != "view" and (app_label, model) in MANAGER_ONLY_MODELS)
            or (action == "delete" and (app_label, model) in MANAGER_ONLY_DELETES)
        ):
            continue
        wanted.append(perm)
    for dotted in EXTRA_PERMISSIONS.get(role, ()):
        app_label, codename = dotted.split(".")
        wanted.extend(
            perm
            for perm in every
            if perm.content_type.app_label == app_label and perm.codename == codename
        )
    return wanted


def sync_role_permissions(apps=global_apps, using: str = "default") -> None:
    """Create the role groups and give each exactly its permissions.

    The permissions are read once for the four roles: this runs after every migrate and
    in many tests' setup.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    every = list(permission_model.objects.using(using).select_related("content_type"))
    for role in ROLES:
        group, _ = group_model.objects.using(using).get_or_create(name=role)
        group.permissions.set(permissions_for(role, permission_model, every))
