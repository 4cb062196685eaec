"""The staff side of online programmes' sessions: their page, read in the event's zone,
and their attendance, read-only (the session's attendance page records it, a service).
The event's page holds its sessions as an inline, saved by the same services."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import policies
from events.admin_mixins import EventZoneHelp, ReadOnlyAdmin, TimesInEventZone
from events.admin_mixins import zone_of as _zone_of
from events.models import Event, OnlineSession, SessionAttendance
from events.online import services as online
from incubator import times
from incubator.admin_mixins import PageRows, Rows, ServiceAdmin, ServiceInline
from incubator.multilingual import translated_names

TITLES = translated_names("title")


SESSIONS = Rows("session", online.online_session_save, online.online_session_delete)


class OnlineSessionInline(EventZoneHelp, ServiceInline):
    model = OnlineSession
    rows = SESSIONS
    fields = [*TITLES, "starts_at", "ends_at", "link"]


# The matching and judging rooms' inlines, as the event page shows them: read in its zone


@admin.register(OnlineSession)
class OnlineSessionAdmin(TimesInEventZone, PageRows, ServiceAdmin):
    rows = SESSIONS
    list_display = ["__str__", "event", "when", "attendance_link"]
    list_select_related = ["event"]
    search_fields = [*TITLES, *[f"event__{t}" for t in TITLES]]
    autocomplete_fields = ["event"]
    date_hierarchy = "starts_at"

    def times_zone(self, request, object_id):
        # The event sent with the form, else the session's; none chosen yet: the person's own.
        return _zone_of(Event.objects, request.POST.get("event")) or _zone_of(
            OnlineSession.objects, object_id, "event__time_zone"
        )

    @admin.display(description=_("when"), ordering="starts_at")
    def when(self, session):
        return times.span(session.starts_at, session.ends_at, session.event.time_zone)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attended=Count("attendances"))

    def page_rows(self, request, rows):
        for session in rows:
            session.may_record = policies.can_record_attendance(request.user, session)

    @admin.display(description=_("attendance"), ordering="attended")
    def attendance_link(self, session):
        # Who records attendance opens the session's page; who reads, the attendance list.
        if getattr(session, "may_record", False):
            url = reverse("events:session-attendance", args=[session.event_id, session.pk])
        else:
            url = reverse("admin:events_sessionattendance_changelist") + (
                f"?session__id__exact={session.pk}"
            )
        return format_html(
            '<a href="{}">{}</a>',
            url,
            ngettext("%(n)d person", "%(n)d people", session.attended) % {"n": session.attended},
        )


@admin.register(SessionAttendance)
class SessionAttendanceAdmin(ReadOnlyAdmin):
    """Attendance, read-only: the session's attendance page records it (a service)."""

    list_display = ["registration", "session", "joined_at", "left_at", "recorded_by"]
    list_select_related = ["registration", "session", "recorded_by"]
    search_fields = ["registration__search_name"]
