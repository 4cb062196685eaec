"""Calendar feeds in the staff side: who has one, since when, last fetched; the center
manager stops one. No token is shown (none is kept: see `events.feeds.models`)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.admin_mixins import ReadOnlyAdmin
from events.feeds import policies, services
from events.feeds.models import CalendarFeed
from incubator.admin_mixins import through_services


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "user", "organisation", "active", "created_at", "last_fetched_at")
    list_filter = (("organisation", admin.EmptyFieldListFilter),)
    list_select_related = ("user", "organisation")
    search_fields = ("user__email", "organisation__name_en", "organisation__name_ko")
    fields = ("user", "organisation", "active", "language", "created_by", "created_at")
    readonly_fields = fields
    actions = ["stop_feeds"]

    @admin.display(description=_("active"), boolean=True)
    def active(self, feed):
        return feed.is_active

    @through_services
    @admin.action(description=_("Stop the selected feeds"), permissions=["stop"])
    def stop_feeds(self, request, queryset):
        feeds = [feed for feed in queryset.select_related("user", "organisation")]
        if not all(policies.can_stop_feed(request.user, feed) for feed in feeds):
            raise PermissionDenied
        for feed in feeds:
            services.calendar_feed_stop(actor=request.user, feed=feed)
        count = len(feeds)
        self.message_user(
            request,
            ngettext("%(count)d feed stopped.", "%(count)d feeds stopped.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def has_stop_permission(self, request):
        return request.user.has_perm(policies.MANAGE_PERMISSION)
