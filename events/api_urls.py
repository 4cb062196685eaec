from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from events.api import EventCalendarView, EventViewSet, RegistrationViewSet
from events.matching.api import MeetingAgendaView, MeetingParticipantsView, MeetingRequestViewSet

router = SimpleRouter()
router.register("events", EventViewSet, basename="event")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("meeting-requests", MeetingRequestViewSet, basename="meeting-request")
urlpatterns = [
    # No trailing slash: a file's address. The router's id pattern: a wrong id is the API's
    # 404, in JSON.
    re_path(r"^events/(?P<pk>[^/.]+)/ics$", EventCalendarView.as_view(), name="event-ics"),
    path("meeting-participants/", MeetingParticipantsView.as_view(), name="meeting-participants"),
    path("meeting-agenda/", MeetingAgendaView.as_view(), name="meeting-agenda"),
    *router.urls,
]
