"""The admin site: Django's, with the staff dashboard on its front page."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
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
