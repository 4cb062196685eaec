from django.urls import include, path

from events import views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="event-list"),
    path("events/mine/", views.my_events, name="my-events"),
    path("events/my-agenda.ics", views.my_agenda_ics, name="my-agenda-ics"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/register/", views.event_register, name="event-register"),
    path("events/<int:pk>/cancel/", views.registration_cancel, name="registration-cancel"),
    path("events/<int:pk>/event.ics", views.event_ics, name="event-ics"),
    path("events/registrations/<int:pk>/badge/", views.badge, name="badge"),
    path("staff/events/<int:pk>/check-in/", views.check_in, name="check-in"),
    path(
        "staff/events/<int:pk>/sessions/<int:session_id>/attendance/",
        views.session_attendance,
        name="session-attendance",
    ),
    path(
        "staff/delegations/<int:pk>/programme/",
        views.delegation_programme,
        name="delegation-programme",
    ),
    # 1:1 meetings and judging: their own sub-packages, in the same namespace.
    path("", include("events.matching.urls")),
    path("", include("events.judging.urls")),
    path("", include("events.feeds.urls")),
]
