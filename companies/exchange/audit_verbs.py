"""The labels of the verbs that the technology exchange's services write to the audit
trail (incubator.audit_verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "technology_listing.create": _("Technology listing created"),
    "technology_listing.update": _("Technology listing changed"),
    "technology_listing.submit": _("Technology listing submitted for review"),
    "technology_listing.withdraw": _("Technology listing withdrawn"),
    "technology_listing.copy": _("Technology listing copied into a new draft"),
    "technology_listing.approve": _("Technology listing approved"),
    "technology_listing.reject": _("Technology listing rejected"),
    "technology_inquiry.send": _("Technology inquiry sent"),
    "technology_inquiry.answer": _("Technology inquiry answered"),
    "partner_interest.mark": _("Partner interest marked"),
    "partner_interest.change": _("Partner interest note changed"),
    "partner_interest.withdraw": _("Partner interest withdrawn"),
}
