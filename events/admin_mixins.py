"""Admin behaviour shared by the events admins (core, matching, judging).

Nothing in these admins writes a row itself: a save, a delete or an action calls a
service, which checks its policy and leaves its audit record (`ServiceAdmin` and `Rows`
of `incubator.admin_mixins`). `through_services` marks the methods that do, and
tests/events/test_admin_writes.py walks every admin of the app to find a write a staff role
could make without one.
"""

from django.contrib import admin


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
