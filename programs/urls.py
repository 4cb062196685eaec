from django.urls import path

from programs import views
from programs.admissions import urls as admissions

app_name = "programs"
urlpatterns = admissions.urlpatterns + [
    path("journey/", views.journey, name="journey"),
    path("journey/local-entity/", views.local_entity, name="local-entity"),
    path("journey/milestones/<int:pk>/done/", views.milestone_done, name="milestone-done"),
    path(
        "journey/milestones/<int:pk>/evidence/",
        views.milestone_evidence,
        name="milestone-evidence",
    ),
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/close/", views.request_close, name="request-close"),
    path(
        "requests/<int:pk>/files/<int:message_id>/",
        views.request_file,
        name="request-file",
    ),
    path("fund/", views.fund, name="fund"),
    path("fund/calls/<int:pk>/apply/", views.fund_apply, name="fund-apply"),
    path("reports/new/", views.report_create, name="report-create"),
]
