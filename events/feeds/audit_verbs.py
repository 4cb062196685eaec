"""The labels of the verbs that the calendar feeds write to the audit trail
(incubator.audit_verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "calendar_feed.regenerate": _("Calendar feed address made"),
    "calendar_feed.stop": _("Calendar feed stopped"),
}
