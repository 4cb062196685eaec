from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from incubator import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("portal/", include("incubator.accounts_urls")),
    path("portal/", include("companies.urls")),
    path("portal/", include("programs.urls")),
    path("portal/", include("events.urls")),
]

handler400 = "incubator.views.bad_request"
