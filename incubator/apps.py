from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from incubator.schedules import OUTBOX_SWEEP, REMINDERS_SWEEP


class IncubatorConfig(AppConfig):
    name = "incubator"
    verbose_name = _("Center core")
    periodic_jobs = [OUTBOX_SWEEP, REMINDERS_SWEEP]

    def ready(self):
        from django.contrib import admin

        from incubator import third_party
        from incubator.admin_mixins import actions_need_change_permission, plain_action_checkboxes

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="incubator-roles")
        third_party.install()
        # The admin registered every app's models before this app's ready().
        actions_need_change_permission(admin.site)
        plain_action_checkboxes(admin.site)
        register_report_shortcuts()
        # Registers the key scheme with drf-spectacular.
        import incubator.api.schema  # noqa: F401


def sync_roles_after_migrate(sender, using="default", **kwargs):
    # Permissions are created app by app after migrate; the last app's signal
    # is the first moment all of them exist. Later apps' models thus join the
    # role groups without anyone fixing a group by hand. Only apps with models get the
    # signal: a model-less app installed last (bench.settings' datagen) must not stop it.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label != with_models[-1].label:
        return
    from incubator.roles import sync_role_permissions
    from incubator.schedules import ensure_all_periodic_jobs

    sync_role_permissions(using=using)
    # After a flush (a transactional test) the schedules come back with the roles.
    ensure_all_periodic_jobs()


def register_report_shortcuts():
    from incubator.dashboard.registry import Shortcut, register_shortcuts
    from incubator.reports.models import ReportRun

    register_shortcuts(
        [
            Shortcut(
                "reports", _("KPI reports"), 30, ReportRun, "admin:reports_reportrun_changelist"
            ),
            Shortcut(
                "report_run",
                _("Run the KPI report"),
                31,
                ReportRun,
                "admin:reports_reportrun_add",
                permission="add",
            ),
        ]
    )
