"""The labels of the verbs that the support fund writes to the audit trail
(incubator.audit_verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "fund_call.create": _("Support fund call created"),
    "fund_call.change": _("Support fund call changed"),
    "fund_application.submit": _("Support fund application submitted"),
    "fund_application.decide": _("Support fund application decided"),
    "fund_application.disburse": _("Support fund tranche paid out"),
}
