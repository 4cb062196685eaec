from django.urls import path

from programs.concierge import views

urlpatterns = [
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/close/", views.request_close, name="request-close"),
    path(
        "requests/<int:pk>/files/<int:message_id>/",
        views.request_file,
        name="request-file",
    ),
]
