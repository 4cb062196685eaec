"""The labels of the verbs that online programmes write to the audit trail
(incubator.audit_verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "online_session.create": _("Online session created"),
    "online_session.update": _("Online session changed"),
    "online_session.delete": _("Online session deleted"),
    "attendance.set": _("Attendance saved"),
}
