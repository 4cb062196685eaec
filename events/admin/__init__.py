"""The staff side of events, one module per page family: `events` (events and their
action pages) and `registrations`; each room's admin (matching, judging, online sessions,
delegations, calendar feeds) is in its sub-package, and all are imported here so that the
admin finds them.

Nothing here writes a row itself: events are created and changed by `event_create` /
`event_update`, published, cancelled (with a reason, registrants told) and completed on
action pages, and deleted by `event_delete` only when nobody is to be told; their slots,
sessions and rounds are saved by their services (`events.admin_mixins.ServiceAdmin`);
registrations are added, corrected, checked in and cancelled through `events.services`
(adding takes a place or a waitlist position under the event lock, cancelling promotes
the waitlist), and are never deleted, so the waitlist always moves. A delegation's programme
is e-mailed to its members on an action page (`delegation_programme_send`).

An event's times, and its rows' (slots, sessions, rounds' deadlines), are typed and shown
in the event's own zone, not the staff member's (`TimesInEventZone`).
"""

from events.admin import events, registrations  # noqa: F401
from events.delegations import admin as delegations_admin  # noqa: F401
from events.feeds import admin as feeds_admin  # noqa: F401
from events.judging import admin as judging_admin  # noqa: F401
from events.matching import admin as matching_admin  # noqa: F401
from events.online import admin as online_admin  # noqa: F401
