"""The columns of the registrations' export (incubator.exports): the staff list's rows.

Its times are written as the clock reads them in each row's event's zone, which a column
names: a coordinator in Harbin and one in Seoul read the same file, and a spreadsheet keeps
them date-times (an offset would make them text).
"""

from django.utils.translation import gettext_lazy as _

from events.models import Registration, TimeZone
from incubator.exports import Column, column, field_column, in_zone, translated

EVENT_ZONE = "event__time_zone"
# The column naming the zone the times of a row of an event are written in (`in_zone`).
EVENT_ZONE_COLUMN = Column(_("time zone"), (EVENT_ZONE,), labels=dict(TimeZone.choices))

REGISTRATION_COLUMNS = (
    translated(_("event"), "event__title"),
    EVENT_ZONE_COLUMN,
    in_zone(column(_("event starts at"), "event__starts_at"), EVENT_ZONE),
    field_column(Registration, "kind"),
    field_column(Registration, "status"),
    field_column(Registration, "waitlist_position"),
    # The people: only to the roles that work with registrations (incubator.exports).
    field_column(Registration, "name", personal=True),
    column(
        _("e-mail address"), "user__email", "guest_email", value=lambda a, b: a or b, personal=True
    ),
    field_column(Registration, "affiliation", personal=True),
    translated(_("company"), "company__name"),
    translated(_("partner organisation"), "partner_organisation__name"),
    *(field_column(Registration, f"speaks_{code}") for code in ("ko", "zh", "en")),
    *(
        in_zone(field_column(Registration, name), EVENT_ZONE)
        for name in ("created_at", "checked_in_at", "cancelled_at")
    ),
)
