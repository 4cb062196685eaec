from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from companies import api_urls as companies_api
from events import api_urls as events_api
from incubator import views
from incubator.api import views as api_views
from incubator.reports import api_urls as reports_api
from programs import api_urls as programs_api

# The partner API: each app names its own endpoints; the core serves the schema and docs.
api_patterns = [
    *api_views.urlpatterns,
    *companies_api.urlpatterns,
    *programs_api.urlpatterns,
    *events_api.urlpatterns,
    *reports_api.urlpatterns,
]

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"))),
    path("portal/", include("incubator.accounts_urls")),
    path("portal/", include("companies.urls")),
    path("portal/", include("programs.urls")),
    path("portal/", include("events.urls")),
]

handler400 = "incubator.views.bad_request"
handler403 = "incubator.views.permission_denied"
handler404 = "incubator.views.page_not_found"
