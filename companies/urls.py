from django.urls import path

from companies import views
from companies.exchange import urls as exchange

app_name = "companies"
urlpatterns = [
    path("company/create/", views.company_create, name="company-create"),
    path("company/edit/", views.company_edit, name="company-edit"),
    path("company/members/remove/", views.member_remove, name="member-remove"),
    path("company/members/leave/", views.member_leave, name="member-leave"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    *exchange.urlpatterns,
]
