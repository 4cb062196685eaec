"""The labels of the verbs that the API keys' services write to the audit trail
(incubator.audit_verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "api_key.create": _("API key created"),
    "api_key.revoke": _("API key revoked"),
}
