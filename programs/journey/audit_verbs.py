"""The labels of the verbs that the journey writes to the audit trail
(incubator.audit_verbs): cohorts, enrollments, milestones, local entities, quarterly
reports."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "cohort.create": _("Cohort created"),
    "cohort.update": _("Cohort changed"),
    "cohort.delete": _("Cohort deleted"),
    "enrollment.create": _("Company enrolled"),
    "enrollment.advance": _("Enrollment stage changed"),
    "milestone.done": _("Milestone done"),
    "milestone.reschedule": _("Milestone rescheduled"),
    "milestone_template.create": _("Milestone template created"),
    "milestone_template.update": _("Milestone template changed"),
    "milestone_template.delete": _("Milestone template deleted"),
    # Recorded by the company in the portal; added or changed by staff in the admin.
    "local_entity.register": _("Local entity recorded"),
    "local_entity.create": _("Local entity added"),
    "local_entity.update": _("Local entity changed"),
    "quarterly_report.submit": _("Quarterly report submitted"),
    "quarterly_report.delete": _("Quarterly report deleted"),
}
