"""The labels of the verbs that delegation visits write to the audit trail
(incubator.audit_verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "delegation.create": _("Delegation created"),
    "delegation.update": _("Delegation changed"),
    "delegation.delete": _("Delegation deleted"),
    "delegation.programme_send": _("Delegation programme e-mailed to its members"),
}
