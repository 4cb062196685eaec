"""The labels of the verbs that events' services write to the audit trail
(incubator.audit_verbs): events and their registrations."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "event.create": _("Event created"),
    "event.update": _("Event changed"),
    "event.publish": _("Event published"),
    "event.cancel": _("Event cancelled"),
    "event.complete": _("Event marked as completed"),
    "event.delete": _("Event deleted"),
    "registration.create": _("Registered for an event"),
    "registration.update": _("Registration changed"),
    "registration.cancel": _("Registration cancelled"),
    "registration.promote": _("Moved from the waiting list into the event"),
    "registration.check_in": _("Checked in"),
    "registration.check_in_undo": _("Check-in undone"),
}
