"""Admin behaviour shared by the events admins (core, matching, judging).

Nothing in these admins writes a row itself: a save, a delete or an action calls a
service, which checks its policy and leaves its audit record (`ServiceAdmin` and `Rows`
of `incubator.admin_mixins`). `through_services` marks the methods that do, and
tests/events/test_admin_writes.py walks every admin of the app to find a write a staff role
could make without one.

The event-zone mixins are here rather than in `events.admin`, which imports the
sub-packages' admins: judging's round admin uses them too.
"""

import contextlib
import zoneinfo

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


def on_own_page(request, model_admin) -> bool:
    """Say whether `request` is one of `model_admin`'s own pages (not a cascade from another's).

    Deleting an event or an account takes its registrations, meetings and attendance
    along; deleting them one by one on their own pages is what a service does instead.
    """
    match = getattr(request, "resolver_match", None)
    prefix = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_"
    return bool(match and match.url_name and match.url_name.startswith(prefix))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by services: listed and shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if on_own_page(request, self):
            return False
        return super().has_delete_permission(request, obj)


IN_EVENT_ZONE = _("In the event's time zone.")
IN_DELEGATION_ZONE = _("In the time zone of the delegation's event; without an event, China time.")


def zone_of(queryset, pk, zone_field: str = "time_zone") -> str | None:
    """Return the zone of the row `pk` of `queryset` (an id as typed: None if it names none)."""
    if pk in (None, ""):
        return None
    try:
        return queryset.filter(pk=pk).values_list(zone_field, flat=True).first()
    except (ValueError, ValidationError):
        return None


class EventZoneDateTime(AdminSplitDateTime):
    """Django's date-time widget, without its note that the browser is hours off "server time".

    The note compares the browser's zone with the page's; the times here are in the event's
    zone, which the field's help says (static/js/admin_event_zone_times.js).
    """

    def __init__(self, attrs=None):
        super().__init__({"data-event-zone": "", **(attrs or {})})

    class Media:
        js = ["admin/js/admin/DateTimeShortcuts.js", "js/admin_event_zone_times.js"]


class EventZoneHelp:
    """Say beside each date-time of the form (an admin's or an inline's) that it is in the
    event's zone."""

    zone_help = IN_EVENT_ZONE

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateTimeField):
            kwargs.setdefault("widget", EventZoneDateTime)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.DateTimeField):
            field.help_text = (
                format_lazy("{} {}", field.help_text, self.zone_help)
                if field.help_text
                else self.zone_help
            )
        return field


class TimesInEventZone(EventZoneHelp):
    """An admin whose add and change pages show and read date-times in an event's zone.

    Django's admin shows a form's date-times, reads the typed ones and tells which changed in
    the current zone, which `UserPreferencesMiddleware` makes the staff member's own: a
    coordinator in Shanghai typing a Seoul event's 10:00 stored 10:00 China time. On these
    pages the current zone is the event's (`times_zone`): the one sent with the form, so
    that a zone changed with the times reads them in the new zone, else the saved one. The
    inlines' rows are read in it too, and a time it cannot tell (a clock set back) is an
    error on its field.
    """

    def times_zone(self, request, object_id) -> str | None:
        """Return the zone of the page's times; None: the staff member's own."""
        return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        zone = self.times_zone(request, object_id and unquote(object_id))
        in_zone = timezone.override(zoneinfo.ZoneInfo(zone)) if zone else contextlib.nullcontext()
        with in_zone:
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Drawn in the zone: a TemplateResponse would be rendered after the view returns.
            if hasattr(response, "render"):
                response.render()
        return response
