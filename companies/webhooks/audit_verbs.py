"""The labels of the verbs that the webhooks' services write to the audit trail
(incubator.audit_verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "webhook.create": _("Webhook endpoint created"),
    "webhook.update": _("Webhook endpoint changed"),
    "webhook.delete": _("Webhook endpoint deleted"),
    "webhook.rotate_secret": _("Webhook secret rotated"),
}
