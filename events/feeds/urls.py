"""URLs of calendar feeds, included in the "events" namespace under /portal/."""

from django.urls import path

from events.feeds import views

urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/regenerate/", views.calendar_regenerate, name="calendar-regenerate"),
    path("calendar/stop/", views.calendar_stop, name="calendar-stop"),
    # Public by its token: what a calendar app fetches, without a session.
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar-feed"),
]
