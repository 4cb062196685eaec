import json

from axes import admin as axes_admin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from incubator import services
from incubator.admin_mixins import ReadOnlyAdmin
from incubator.audit import redacted
from incubator.models import AuditRecord, OutboxMessage, User

admin.site.site_header = _("China–Korea Innovation & Startup Center")
admin.site.site_title = _("China–Korea Center admin")
admin.site.index_title = _("Center operations")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "time_zone", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "groups", "language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "language", "time_zone", "email_verified"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    filter_horizontal = ["groups"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "kind",
        "recipient",
        "language",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["channel", "status", "kind", "language"]
    search_fields = ["recipient", "dedupe_key"]
    date_hierarchy = "created_at"
    # The payload is shown through payload_shown only: a message never stores a
    # secret, and the page masks anything that looks like one all the same.
    readonly_fields = [
        *(f.name for f in OutboxMessage._meta.fields if f.name != "payload"),
        "payload_shown",
    ]
    exclude = ["payload"]
    actions = ["deliver_now"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("payload"))
    def payload_shown(self, message):
        return json.dumps(redacted(message.payload), ensure_ascii=False, indent=2)

    @admin.action(
        description=_("Deliver the selected pending messages now"), permissions=["change"]
    )
    def deliver_now(self, request, queryset):
        sent = sum(
            services.outbox_deliver(message_id=pk) for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext("%(count)d message sent.", "%(count)d messages sent.", sent) % {"count": sent},
            messages.SUCCESS,
        )


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """Sign-in lockouts: the manager lifts one by deleting its attempt."""

    @admin.action(description=_("Clean up expired attempts"), permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        # django-axes reads the attempt time that only its sign-in path sets.
        request.axes_attempt_time = None
        return super().cleanup_expired_attempts(request, queryset)


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    """The audit trail, read-only: services write it, nobody edits it."""

    list_display = ["at", "actor_label", "verb", "object_repr", "company_repr"]
    list_filter = ["verb", "object_type"]
    search_fields = ["actor_label", "object_repr", "company_repr", "verb"]
    date_hierarchy = "at"
    fields = [
        "at",
        "actor",
        "actor_label",
        "verb",
        "object_type",
        "object_id",
        "object_repr",
        "company_id",
        "company_repr",
        "changes",
    ]
    readonly_fields = fields

    def lookup_allowed(self, lookup, value, request=None):
        # A company's and an actor's history are links from their own pages.
        return lookup in {"company_id", "actor", "actor__id__exact"} or super().lookup_allowed(
            lookup, value, request
        )
