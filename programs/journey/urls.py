from django.urls import path

from programs.journey import views

urlpatterns = [
    path("journey/", views.journey, name="journey"),
    path("journey/local-entity/", views.local_entity, name="local-entity"),
    path("journey/local-entity/<int:pk>/edit/", views.local_entity_edit, name="local-entity-edit"),
    path("journey/milestones/<int:pk>/done/", views.milestone_done, name="milestone-done"),
    path(
        "journey/milestones/<int:pk>/evidence/",
        views.milestone_evidence,
        name="milestone-evidence",
    ),
    path("reports/new/", views.report_create, name="report-create"),
]
