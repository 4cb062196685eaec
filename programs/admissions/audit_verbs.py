"""The labels of the verbs that admissions write to the audit trail
(incubator.audit_verbs): applications, the screening policy, programmes and intakes."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "application.start": _("Application started"),
    "application.save": _("Application draft saved"),
    "application.submit": _("Application submitted"),
    "application.withdraw": _("Application withdrawn"),
    "application.reopen": _("Application reopened as a draft"),
    "application.screen": _("Application screened"),
    "application.override": _("Screening criterion overridden"),
    "application.accept": _("Application accepted"),
    "application.decide": _("Application decided"),
    "application.return": _("Application returned for more information"),
    "screening_policy.publish": _("Screening policy published"),
    "program.create": _("Program created"),
    "program.update": _("Program changed"),
    "program.delete": _("Program deleted"),
    "intake.create": _("Intake created"),
    "intake.update": _("Intake changed"),
    "intake.delete": _("Intake deleted"),
}
