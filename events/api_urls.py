from django.urls import path
from rest_framework.routers import SimpleRouter

from events.api import EventCalendarView, EventViewSet, RegistrationViewSet
from events.matching.api import MeetingAgendaView, MeetingParticipantsView, MeetingRequestViewSet

router = SimpleRouter()
router.register("events", EventViewSet, basename="event")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("meeting-requests", MeetingRequestViewSet, basename="meeting-request")
urlpatterns = [
    # No trailing slash: the file's address, as the portal's event.ics.
    path("events/<int:pk>/ics", EventCalendarView.as_view(), name="event-ics"),
    path("meeting-participants/", MeetingParticipantsView.as_view(), name="meeting-participants"),
    path("meeting-agenda/", MeetingAgendaView.as_view(), name="meeting-agenda"),
    *router.urls,
]
