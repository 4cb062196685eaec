"""The admin site: Django's, with the staff dashboard on its front page."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class CenterAdminConfig(AdminConfig):
    """Django's admin app, its default site being the one below."""

    default_site = "incubator.admin_site.CenterAdminSite"


class CenterAdminSite(admin.AdminSite):
    def index(self, request, extra_context=None):
        from incubator.dashboard.selectors import staff_dashboard

        context = {"dashboard": staff_dashboard(request=request, site=self)}
        return super().index(request, {**context, **(extra_context or {})})
