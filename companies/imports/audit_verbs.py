"""The labels of the verbs that the imports write to the audit trail
(incubator.audit_verbs): `<kind>.import`."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "companies.import": _("Companies imported"),
    "leads.import": _("Leads imported"),
}
