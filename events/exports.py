"""The columns of the registrations' export (incubator.exports): the staff list's rows."""

from django.utils.translation import gettext_lazy as _

from events.models import Registration
from incubator.exports import column, field_column, translated

REGISTRATION_COLUMNS = (
    translated(_("event"), "event__title"),
    column(_("event starts at"), "event__starts_at"),
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
    field_column(Registration, "created_at"),
    field_column(Registration, "checked_in_at"),
    field_column(Registration, "cancelled_at"),
)
