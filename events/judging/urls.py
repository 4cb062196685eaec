"""URLs of judging, included in the "events" namespace under /portal/."""

from django.urls import path

from events.judging import views

urlpatterns = [
    # Judges.
    path("judging/", views.judging_home, name="judging-home"),
    path("judging/assignments/<int:pk>/", views.judging_score, name="judging-score"),
    # Staff: judges, results and their publication.
    path("staff/competition-rounds/<int:pk>/judges/", views.judging_assign, name="judging-assign"),
    path(
        "staff/competition-rounds/<int:pk>/judges/<int:assignment_id>/remove/",
        views.judging_unassign,
        name="judging-unassign",
    ),
    path(
        "staff/competition-rounds/<int:pk>/results/",
        views.judging_results,
        name="judging-results",
    ),
    path(
        "staff/competition-rounds/<int:pk>/publish/",
        views.judging_release,
        name="judging-release",
    ),
    # Everyone: published results.
    path(
        "competitions/rounds/<int:pk>/results/",
        views.competition_results,
        name="competition-results",
    ),
]
