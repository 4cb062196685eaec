"""The admin site: Django's, with the staff dashboard on its front page."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse


class CenterAdminConfig(AdminConfig):
    """Django's admin app, its default site being the one below."""

    default_site = "incubator.admin_site.CenterAdminSite"


class CenterAdminSite(admin.AdminSite):
    def each_context(self, request):
        from incubator.audit import can_read_audit_trail

        context = super().each_context(request)
        # A record's "History" opens its part of the audit trail, where the services write
        # who changed what (Django's own log stays empty: nothing is saved by its forms),
        # for those who may read the trail; others get no button leading nowhere.
        context["reads_audit_trail"] = can_read_audit_trail(request.user)
        return context

    def admin_view(self, view, cacheable=False):
        # Every admin's "history" page: Django's reads its own log, which the services never
        # write, and would say a decided and paid record has no history.
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin) and view.__name__ == "history_view":
            original = view

            def view(request, object_id, extra_context=None):
                return audit_trail_history(model_admin, original, request, object_id, extra_context)

        return super().admin_view(view, cacheable)

    def index(self, request, extra_context=None):
        from incubator.dashboard.selectors import staff_dashboard

        context = {"dashboard": staff_dashboard(request=request, site=self)}
        return super().index(request, {**context, **(extra_context or {})})

    def password_change(self, request, extra_context=None):
        # Django's page, with a form that saves through the account service and its record.
        from django.contrib.auth.views import PasswordChangeView

        from incubator.forms import OwnPasswordChangeForm

        request.current_app = self.name
        return PasswordChangeView.as_view(
            form_class=OwnPasswordChangeForm,
            success_url=reverse("admin:password_change_done", current_app=self.name),
            extra_context={**self.each_context(request), **(extra_context or {})},
        )(request)


def audit_trail_history(model_admin, history_view, request, object_id, extra_context=None):
    """Open a record's part of the audit trail, for those who may read the trail (its
    object tools link there too); others read Django's page, saying where the history is."""
    from incubator.audit import can_read_audit_trail, trail_url

    if not can_read_audit_trail(request.user):
        return history_view(request, object_id, extra_context)
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)
    if not model_admin.has_view_or_change_permission(request, obj):
        raise PermissionDenied
    return redirect(trail_url(obj))
