"""URLs of 1:1 meetings, included in the "events" namespace under /portal/."""

from django.urls import path

from events.matching import views

urlpatterns = [
    # Participants of matching sessions.
    path("matching/", views.matching_list, name="matching-list"),
    path("matching/<int:pk>/", views.matching_session, name="matching-session"),
    path(
        "matching/<int:pk>/availability/",
        views.matching_availability,
        name="matching-availability",
    ),
    path(
        "matching/<int:pk>/participants/",
        views.matching_participants,
        name="matching-participants",
    ),
    path(
        "matching/<int:pk>/requests/", views.meeting_request_create, name="meeting-request-create"
    ),
    path(
        "matching/requests/<int:request_id>/answer/",
        views.meeting_request_respond,
        name="meeting-request-respond",
    ),
    path(
        "matching/requests/<int:request_id>/withdraw/",
        views.meeting_request_withdraw,
        name="meeting-request-withdraw",
    ),
    path("matching/<int:pk>/agenda/", views.meeting_agenda, name="meeting-agenda"),
    path("matching/<int:pk>/agenda.ics", views.meeting_agenda_ics, name="meeting-agenda-ics"),
    # Staff: the schedule of a matching session.
    path("staff/events/<int:pk>/schedule/", views.schedule, name="schedule"),
    path(
        "staff/events/<int:pk>/schedule/generate/",
        views.schedule_generate,
        name="schedule-generate",
    ),
    path(
        "staff/events/<int:pk>/schedule/runs/<int:run_id>/",
        views.schedule_run,
        name="schedule-run",
    ),
    path(
        "staff/events/<int:pk>/schedule/runs/<int:run_id>/progress.json",
        views.schedule_run_progress,
        name="schedule-run-progress",
    ),
    path("staff/events/<int:pk>/meetings/add/", views.meeting_add, name="meeting-add"),
    path(
        "staff/events/<int:pk>/meetings/<int:meeting_id>/lock/",
        views.meeting_lock,
        name="meeting-lock",
    ),
    path(
        "staff/events/<int:pk>/meetings/<int:meeting_id>/remove/",
        views.meeting_remove,
        name="meeting-remove",
    ),
    path(
        "staff/events/<int:pk>/meetings/table-plan/",
        views.meeting_table_plan,
        name="meeting-table-plan",
    ),
    path(
        "staff/events/<int:pk>/meetings/interpreter-plan/",
        views.meeting_interpreter_plan,
        name="meeting-interpreter-plan",
    ),
]
