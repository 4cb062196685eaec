"""The staff side of 1:1 meetings: the slots set up here, the rest read-only.

Slots are saved and deleted by `meeting_slot_save` / `meeting_slot_delete` (here and on
their event's page). Availability, requests and meetings change through
`events.matching.services` and `runs`: the participants' pages and the staff schedule
page (generate, add, lock, remove) call them; here staff read, search and follow the links
to those pages.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.admin_mixins import ReadOnlyAdmin, TimesInEventZone, zone_of
from events.exports import EVENT_ZONE, EVENT_ZONE_COLUMN
from events.matching import policies, services
from events.matching.models import Availability, Meeting, MeetingRequest, MeetingSlot, ScheduleRun
from events.models import Event
from events.reports import scheduled
from incubator.admin_mixins import Rows, ServiceAdmin, ServiceInline, one_choice_filter
from incubator.exports import ExportAdminMixin, column, field_column, in_zone, translated
from incubator.multilingual import translated_names

EVENT_TITLES = [f"event__{name}" for name in translated_names("title")]


SLOTS = Rows("slot", services.meeting_slot_save, services.meeting_slot_delete)


class MeetingSlotInline(ServiceInline):
    model = MeetingSlot
    rows = SLOTS
    fields = ["starts_at", "ends_at", "tables", "interpreters"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")


@admin.register(MeetingSlot)
class MeetingSlotAdmin(TimesInEventZone, ServiceAdmin):
    """A slot, its times typed and shown in its event's zone (as on the event's page)."""

    rows = SLOTS
    list_display = ["__str__", "event", "tables", "interpreters"]
    list_select_related = ["event"]
    search_fields = EVENT_TITLES
    autocomplete_fields = ["event"]
    date_hierarchy = "starts_at"

    def times_zone(self, request, object_id):
        # The event sent with the form, else the slot's; none chosen yet: the person's own.
        return zone_of(Event.objects, request.POST.get("event")) or zone_of(
            MeetingSlot.objects, object_id, "event__time_zone"
        )

    def get_queryset(self, request):
        # A slot's name is its time in its event's zone.
        return super().get_queryset(request).select_related("event")


@admin.register(Availability)
class AvailabilityAdmin(ReadOnlyAdmin):
    list_display = ["registration", "slot"]
    list_select_related = ["registration", "slot__event"]
    search_fields = ["registration__search_name"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "from_registration",
        "to_registration",
        "event",
        "priority",
        "status",
        "created_at",
    ]
    list_filter = ["status", "priority"]
    list_select_related = ["event", "from_registration", "to_registration"]
    search_fields = ["from_registration__search_name", "to_registration__search_name"]


ScheduledFilter = one_choice_filter(
    "schedule",
    _("schedule"),
    ("scheduled", _("on the schedule (event not cancelled)")),
    lambda meetings: meetings.filter(scheduled()),
)


@admin.register(Meeting)
class MeetingAdmin(ExportAdminMixin, ReadOnlyAdmin):
    list_display = [
        "slot",
        "table",
        "registration_a",
        "registration_b",
        "interpreter",
        "locked",
        "event",
        "schedule_link",
    ]
    list_filter = [ScheduledFilter, "locked"]
    list_select_related = ["event", "slot__event", "registration_a", "registration_b"]
    search_fields = ["registration_a__search_name", "registration_b__search_name"]
    export_columns = (
        translated(_("event"), "event__title"),
        # The slots' times as the event's clock reads them, its zone named (events.exports).
        EVENT_ZONE_COLUMN,
        in_zone(column(_("starts at"), "slot__starts_at"), EVENT_ZONE),
        in_zone(column(_("ends at"), "slot__ends_at"), EVENT_ZONE),
        field_column(Meeting, "table"),
        column(_("participant A"), "registration_a__name", personal=True),
        column(_("participant B"), "registration_b__name", personal=True),
        field_column(Meeting, "interpreter"),
        field_column(Meeting, "locked"),
    )

    def lookup_allowed(self, lookup, value, request=None):
        # The dashboard's months: meetings by the time of their slot.
        return lookup in {"slot__starts_at__gte", "slot__starts_at__lt"} or super().lookup_allowed(
            lookup, value, request
        )

    def get_list_display(self, request):
        # The schedule page is read-only for who may not schedule: its link says so.
        shown = super().get_list_display(request)
        if policies.can_schedule(request.user):
            return shown
        return ["schedule_read_link" if name == "schedule_link" else name for name in shown]

    @admin.display(description=_("schedule"))
    def schedule_link(self, meeting):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("events:schedule", args=[meeting.event_id]),
            gettext("add, lock or remove meetings"),
        )

    @admin.display(description=_("schedule"))
    def schedule_read_link(self, meeting):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("events:schedule", args=[meeting.event_id]),
            gettext("the event's schedule"),
        )


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnlyAdmin):
    list_display = [
        "event",
        "status",
        "progress",
        "created_at",
        "finished_at",
        "scheduled_count",
        "unscheduled_count",
        "moved_count",
        "bound_share",
        "requested_by",
    ]
    list_filter = ["status"]
    list_select_related = ["event", "requested_by"]
    search_fields = EVENT_TITLES
