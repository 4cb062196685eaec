"""The labels of the verbs that the concierge writes to the audit trail
(incubator.audit_verbs); a move of a request is `service_request.<status>`."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "service_request.open": _("Service request opened"),
    "service_request.reply": _("Service request message sent"),
    "service_request.assign": _("Service request assigned"),
    "service_request.in_progress": _("Service request moved to in progress"),
    "service_request.resolved": _("Service request resolved"),
    "service_request.closed": _("Service request closed"),
    "service_target.create": _("Service target created"),
    "service_target.update": _("Service target changed"),
    "service_target.delete": _("Service target deleted"),
}
