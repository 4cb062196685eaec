from django.urls import path

from companies import views

app_name = "companies"
urlpatterns = [
    path("company/", views.dashboard, name="dashboard"),
    path("company/create/", views.company_create, name="company-create"),
    path("company/members/invite/", views.member_invite, name="member-invite"),
    path("invitations/<uuid:token>/", views.invitation_accept, name="invitation-accept"),
    path("intakes/<int:intake_id>/apply/", views.application_start, name="application-start"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/continue/", views.application_resume, name="application-resume"),
    path(
        "applications/<int:pk>/evidence/<slug:kind>/<int:item_id>/delete/",
        views.evidence_delete,
        name="evidence-delete",
    ),
    path("applications/<int:pk>/<slug:step>/", views.application_step, name="application-step"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
]
