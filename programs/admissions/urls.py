"""The admissions pages, in the `programs` URL namespace (included by programs/urls.py)."""

from django.urls import path

from programs.admissions import views

urlpatterns = [
    path("company/", views.dashboard, name="dashboard"),
    path("company/members/invite/", views.member_invite, name="member-invite"),
    path("company/members/invitations/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("intakes/<int:intake_id>/apply/", views.application_start, name="application-start"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/continue/", views.application_resume, name="application-resume"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application-withdraw"
    ),
    path(
        "applications/<int:pk>/evidence/<slug:kind>/<int:item_id>/delete/",
        views.evidence_delete,
        name="evidence-delete",
    ),
    path("applications/<int:pk>/<slug:step>/", views.application_step, name="application-step"),
]
