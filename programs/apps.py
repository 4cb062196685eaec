from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The kinds of messages the app sends (incubator.message_kinds).
MESSAGE_KINDS = {
    "application_submitted": _("application submitted"),
    "application_decided": _("application decided"),
    "application_returned": _("application returned for more information"),
    "application_resubmitted": _("returned application submitted again"),
    "application_withdrawn": _("application withdrawn"),
    "application_withdrawn_center": _("application withdrawn (to the center)"),
    "enrollment_stage_changed": _("enrollment moved to another stage"),
    "fund_application_submitted": _("fund application submitted"),
    "fund_application_decided": _("fund application decided"),
    "service_request_message": _("message on a service request"),
    "service_request_opened": _("new service request"),
    "service_request_status_changed": _("service request resolved or closed"),
    "quarterly_report_submitted": _("quarterly report filed"),
    "milestone_done": _("milestone marked done by the company"),
}


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs and incubation")

    def ready(self):
        from incubator import message_kinds

        message_kinds.register(MESSAGE_KINDS)
        # The audit trail shows each of the app's verbs by its label.
        from incubator.audit_verbs import register as register_verbs
        from programs.admissions import audit_verbs as admissions_verbs
        from programs.concierge import audit_verbs as concierge_verbs
        from programs.fund import audit_verbs as fund_verbs
        from programs.journey import audit_verbs as journey_verbs

        register_verbs(
            admissions_verbs.VERBS, journey_verbs.VERBS, concierge_verbs.VERBS, fund_verbs.VERBS
        )
        from incubator.reports.registry import register_sections
        from programs.reports import SECTIONS

        register_sections(SECTIONS)

        from incubator.reminders import register
        from programs.admissions import reminders as admissions_reminders
        from programs.concierge import reminders as concierge_reminders
        from programs.journey import reminders as journey_reminders

        register(*admissions_reminders.KINDS, *journey_reminders.KINDS, *concierge_reminders.KINDS)

        from incubator.dashboard.registry import register_contributions, register_shortcuts
        from programs.dashboard import CONTRIBUTIONS, SHORTCUTS

        register_contributions(CONTRIBUTIONS)
        register_shortcuts(SHORTCUTS)

        from programs.portal import register_destinations

        register_destinations()
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="programs-defaults")


def ensure_defaults(sender, **kwargs):
    # A flush (as after a transactional test) empties the tables and then
    # sends post_migrate: the first policy comes back with it.
    from programs.admissions.defaults import ensure_first_policy
    from programs.models import ScreeningPolicy

    ensure_first_policy(ScreeningPolicy)
