"""The labels of the verbs that matching writes to the audit trail
(incubator.audit_verbs): slots, availability, requests, meetings and the scheduler."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "meeting_slot.create": _("Meeting slot created"),
    "meeting_slot.update": _("Meeting slot changed"),
    "meeting_slot.delete": _("Meeting slot deleted"),
    "availability.set": _("Availability saved"),
    "meeting_request.create": _("Meeting request sent"),
    "meeting_request.answer": _("Meeting request answered"),
    "meeting_request.withdraw": _("Meeting request withdrawn"),
    "meeting.add": _("Meeting added"),
    "meeting.lock": _("Meeting locked or unlocked"),
    "meeting.remove": _("Meeting removed"),
    "schedule.generate": _("Meeting schedule requested"),
    "schedule.apply": _("Meeting schedule written"),
}
