"""The partner API of events: the published events and their calendars, and the
registrations of the organisation's people.

Thin: what a partner sees comes from `events.selectors`, every write from
`events.services`, who may act for whom from the policies. A service's refusal of a
well-formed request (the event is over, the person is registered already...) is a 409 with
the service's message in the caller's language; another organisation's object is a 404.
"""

import datetime as dt
import json
import zoneinfo

import django_filters
from django import forms
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from companies.api import MAX_ID, an_id, organisation_person, utc
from events import ics, policies, selectors, services
from events.models import Event, Registration, TimeZone
from incubator.api.errors import refusals_as_conflicts
from incubator.api.filters import refuse_unknown_parameters
from incubator.api.negotiation import AnyAccept
from incubator.api.permissions import HasScope
from incubator.api.schema import NO_BODY, refusals, response_example
from incubator.api.serializers import StrictInput
from incubator.api.viewsets import ListCreateDestroyViewSet

LANGUAGE_CODES = ("ko", "zh", "en")
PARTNER_STATUSES = [
    (code, label)
    for code, label in Event.Status.choices
    if code in (*selectors.PUBLIC_STATUSES, Event.Status.CANCELLED)
]


# --- Shared by the endpoints of events and of 1:1 meetings -------------------------------


def validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def validated_query(serializer_class, request, paginator=None) -> dict:
    """The query of a view without filter backends, read by `serializer_class`: a parameter
    it does not take (nor its `paginator`) is a 400, as on the lists (KnownParameters)."""
    known = [*serializer_class().fields, "format"]
    if paginator is not None:
        known += [
            parameter["name"] for parameter in paginator.get_schema_operation_parameters(None)
        ]
    refuse_unknown_parameters(request.query_params, known)
    return validated(serializer_class, request.query_params)


def visible_event(request, event_id: int) -> Event:
    """Return an event the caller's organisation sees, with its counts; else a 404."""
    event = selectors.events_for_partner(request.user.organisation_id).filter(pk=event_id).first()
    if event is None:
        raise NotFound
    return event


class TextInLanguages(serializers.Serializer):
    ko = serializers.CharField()
    zh = serializers.CharField()
    en = serializers.CharField()


def in_languages(instance, field: str) -> dict:
    return {code: getattr(instance, f"{field}_{code}") for code in LANGUAGE_CODES}


def in_zone(value: dt.datetime | None, zone: str) -> str | None:
    """Return `value` in ISO 8601 with the offset of `zone` ("2026-12-10T09:00:00+08:00")."""
    return None if value is None else value.astimezone(zoneinfo.ZoneInfo(zone)).isoformat()


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    """An id in a filter: a whole number (a NumberFilter would take 1.5)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class MomentField(forms.DateTimeField):
    """A time the database can hold: 0001-01-01 in Harbin is still year 0 in UTC."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None:
            try:
                # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows.
                moment = moment.astimezone(dt.UTC)
            except OverflowError:
                raise forms.ValidationError(self.error_messages["invalid"], "invalid") from None
        return moment


class MomentFilter(django_filters.DateTimeFilter):
    field_class = MomentField


# --- Events -------------------------------------------------------------------------------


class EventFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Event.Kind.choices)
    status = django_filters.MultipleChoiceFilter(choices=PARTNER_STATUSES)
    time_zone = django_filters.ChoiceFilter(choices=TimeZone.choices)
    starts_after = MomentFilter(
        field_name="starts_at",
        lookup_expr="gte",
        label=_("Starting at or after this time (ISO 8601; a date alone: midnight, center time)."),
    )
    starts_before = MomentFilter(
        field_name="starts_at",
        lookup_expr="lt",
        label=_("Starting before this time (ISO 8601; a date alone: midnight, center time)."),
    )

    class Meta:
        model = Event
        fields = []


class EventSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    venue = serializers.SerializerMethodField()
    starts_at = utc()
    ends_at = utc()
    local_starts_at = serializers.SerializerMethodField(
        help_text=_("The start in the event's time zone, with its offset.")
    )
    local_ends_at = serializers.SerializerMethodField()
    registration_closes_at = serializers.SerializerMethodField(
        help_text=_("The registration deadline, or the event's end when it has none.")
    )
    registration_open = serializers.SerializerMethodField()
    places_left = serializers.SerializerMethodField()
    meeting_requests_deadline = utc(allow_null=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "status",
            "title",
            "description",
            "venue",
            "time_zone",
            "starts_at",
            "ends_at",
            "local_starts_at",
            "local_ends_at",
            "capacity",
            "places_left",
            "registration_open",
            "registration_closes_at",
            "meeting_requests_deadline",
        ]

    @extend_schema_field(TextInLanguages)
    def get_title(self, event) -> dict:
        return in_languages(event, "title")

    @extend_schema_field(TextInLanguages)
    def get_description(self, event) -> dict:
        return in_languages(event, "description")

    @extend_schema_field(TextInLanguages)
    def get_venue(self, event) -> dict:
        return in_languages(event, "venue")

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_local_starts_at(self, event) -> str:
        return in_zone(event.starts_at, event.time_zone)

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_local_ends_at(self, event) -> str:
        return in_zone(event.ends_at, event.time_zone)

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_registration_closes_at(self, event) -> str:
        return utc().to_representation(event.registration_closes_at())

    def get_registration_open(self, event) -> bool:
        return event.is_registration_open()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_places_left(self, event) -> int | None:
        """Free places; null when the event has no limit (a full event takes a waitlist)."""
        return selectors.places_left(event)


EVENT_EXAMPLE = {
    "id": 7,
    "kind": "matching_session",
    "status": "published",
    "title": {
        "ko": "하얼빈 한중 매칭 세션",
        "zh": "哈尔滨中韩对接会",
        "en": "Harbin China–Korea matching session",
    },
    "description": {"ko": "", "zh": "", "en": "One-to-one meetings with Korean startups."},
    "venue": {"ko": "", "zh": "哈尔滨宾西中韩创新产业合作中心", "en": "Binxi Center, Harbin"},
    "time_zone": "Asia/Shanghai",
    "starts_at": "2026-12-10T01:00:00Z",
    "ends_at": "2026-12-10T09:00:00Z",
    "local_starts_at": "2026-12-10T09:00:00+08:00",
    "local_ends_at": "2026-12-10T17:00:00+08:00",
    "capacity": 60,
    "places_left": 12,
    "registration_open": True,
    "registration_closes_at": "2026-12-08T09:00:00Z",
    "meeting_requests_deadline": "2026-12-09T09:00:00Z",
}


@extend_schema_view(
    list=extend_schema(
        summary=_("Events open to partners"),
        description=_(
            "The published and completed events, and a cancelled one your organisation "
            "had registered people for; never drafts. Soonest first "
            "(`ordering=-starts_at` for the latest). Times in UTC, and in the event's own "
            "zone (`local_*`)."
        ),
        examples=[response_example("A matching session", _("A matching session"), EVENT_EXAMPLE)],
    ),
    retrieve=extend_schema(
        summary=_("One event"),
        description=_("An event your organisation may see, with its free places."),
        examples=[response_example("A matching session", _("A matching session"), EVENT_EXAMPLE)],
    ),
)
class EventViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasScope]
    scope = "events:read"
    queryset = Event.objects.none()  # the model, for the schema; get_queryset() is served
    serializer_class = EventSerializer
    filterset_class = EventFilter
    ordering_fields = ["starts_at", "id"]
    ordering = ["starts_at", "id"]

    def get_queryset(self):
        return selectors.events_for_partner(self.request.user.organisation_id)


class CalendarRenderer(renderers.BaseRenderer):
    """text/calendar for the file itself; an error keeps the JSON of every error."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data, ensure_ascii=False).encode()


ICS_EXAMPLE = (
    "BEGIN:VCALENDAR\r\nPRODID:-//China-Korea Innovation & Startup Center//Portal//EN\r\n"
    "VERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Harbin China–Korea matching session\r\n"
    "DTSTART;TZID=Asia/Shanghai:20261210T090000\r\n"
    "DTEND;TZID=Asia/Shanghai:20261210T170000\r\nUID:event-7@portal.example.cn\r\n"
    "STATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


class EventCalendarView(generics.GenericAPIView):
    permission_classes = [HasScope]
    scope = "events:read"
    queryset = Event.objects.none()  # the model, for the schema
    renderer_classes = [CalendarRenderer]
    # The file whatever the Accept header says: a calendar client asks for text/calendar,
    # curl for */*, an HTTP library often for application/json.
    content_negotiation_class = AnyAccept
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return selectors.events_for_partner(self.request.user.organisation_id)

    @extend_schema(
        summary=_("An event's calendar file"),
        description=_(
            "The event as an iCalendar file (text/calendar), its times in the event's "
            "zone with the matching VTIMEZONE, its summary in the language of "
            "Accept-Language."
        ),
        responses={
            (200, "text/calendar"): OpenApiResponse(
                response=OpenApiTypes.STR,
                description=_("The .ics file."),
                examples=[
                    OpenApiExample(
                        "A calendar file", summary=_("A calendar file"), value=ICS_EXAMPLE
                    )
                ],
            )
        },
    )
    def get(self, request, pk):
        refuse_unknown_parameters(request.query_params, ["format"])
        event = self.get_object()
        url = request.build_absolute_uri(reverse("events:event-detail", args=[event.pk]))
        # The meeting link only where one of the organisation's people has a place.
        registration = selectors.standing_registration_of_organisation(
            request.user.organisation_id, event
        )
        items = ics.event_items(
            event, url=url, online_link=policies.can_see_online_link(None, event, registration)
        )
        response = HttpResponse(
            ics.calendar_for(items, name=event.title), content_type=ics.CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
        return response


# --- Registrations --------------------------------------------------------------------------


class EventSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = TextInLanguages()
    status = serializers.ChoiceField(
        choices=Event.Status.choices,
        help_text=_(
            "The event's status: `cancelled` once the center cancels it, while the "
            "registration keeps its own."
        ),
    )
    starts_at = utc()
    time_zone = serializers.CharField()


class RegistrationSerializer(serializers.ModelSerializer):
    event = serializers.SerializerMethodField()
    person = serializers.IntegerField(source="user.partner_person.pk", read_only=True)
    created_at = utc()
    cancelled_at = utc(allow_null=True)
    checked_in = serializers.BooleanField(source="is_checked_in", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "person",
            "name",
            "status",
            "waitlist_position",
            "checked_in",
            "created_at",
            "cancelled_at",
        ]

    @extend_schema_field(EventSummarySerializer)
    def get_event(self, registration) -> dict:
        event = registration.event
        return {
            "id": event.pk,
            "title": in_languages(event, "title"),
            "status": event.status,
            "starts_at": utc().to_representation(event.starts_at),
            "time_zone": event.time_zone,
        }


class RegistrationCreateSerializer(StrictInput, serializers.Serializer):
    event = an_id(_("The id of a published event."))
    person = an_id(_("The id of one of your organisation's people."))


class RegistrationFilter(django_filters.FilterSet):
    event = IdFilter(field_name="event_id")
    person = IdFilter(field_name="user__partner_person")
    status = django_filters.MultipleChoiceFilter(choices=Registration.Status.choices)

    class Meta:
        model = Registration
        fields = []


REGISTRATION_EXAMPLE = {
    "id": 301,
    "event": {
        "id": 7,
        "title": EVENT_EXAMPLE["title"],
        "status": "published",
        "starts_at": "2026-12-10T01:00:00Z",
        "time_zone": "Asia/Shanghai",
    },
    "person": 42,
    "name": "Li Wei",
    "status": "registered",
    "waitlist_position": None,
    "checked_in": False,
    "created_at": "2026-11-20T03:15:00Z",
    "cancelled_at": None,
}
WAITLISTED_EXAMPLE = {**REGISTRATION_EXAMPLE, "status": "waitlisted", "waitlist_position": 3}
# The `reason`s of the 409s (events.services' codes), as docs/api.md lists them.
REGISTER_REASONS = ("twice", "closed", "over", "cancelled", "draft")
CANCEL_REASONS = ("cancelled", "checked_in", "over", "event_cancelled")
CANCELLED_EXAMPLE = {
    **REGISTRATION_EXAMPLE,
    "status": "cancelled",
    "cancelled_at": "2026-11-25T08:00:00Z",
}


@extend_schema_view(
    list=extend_schema(
        summary=_("Your organisation's registrations"),
        description=_(
            "The registrations of your organisation's people (cancelled ones too: "
            "`status=registered` for those that stand), soonest event first."
        ),
        examples=[response_example("A registration", _("A registration"), REGISTRATION_EXAMPLE)],
    ),
    retrieve=extend_schema(
        summary=_("One registration"),
        description=_("A registration of one of your organisation's people."),
        examples=[response_example("A registration", _("A registration"), REGISTRATION_EXAMPLE)],
    ),
    create=extend_schema(
        summary=_("Register one of your people for an event"),
        description=_(
            "Registers the person as the portal does: a place while there is one, else "
            "the next place on the waitlist (`status` waitlisted, with its "
            "`waitlist_position`); a freed place goes to the waitlist's first. The person "
            "gets the confirmation e-mail with their badge. Someone who cancelled earlier "
            "gets their registration back. 404 for a person who is not of your "
            "organisation or an event you cannot see; 409 when registration is closed, "
            "the event is over or cancelled, or the person is registered or waitlisted "
            "already."
        ),
        request=RegistrationCreateSerializer,
        responses={201: RegistrationSerializer},
        examples=[
            OpenApiExample(
                "Register",
                summary=_("Register"),
                value={"event": 7, "person": 42},
                request_only=True,
            ),
            response_example("A place", _("A place"), REGISTRATION_EXAMPLE, status_codes=["201"]),
            response_example(
                "The event is full: waitlisted",
                _("The event is full: waitlisted"),
                WAITLISTED_EXAMPLE,
                status_codes=["201"],
            ),
        ],
        extensions=refusals(*REGISTER_REASONS),
    ),
    destroy=extend_schema(
        summary=_("Cancel a registration"),
        description=_("As `POST /registrations/{id}/cancel/`, answering 204."),
        responses={204: NO_BODY},
        extensions=refusals(*CANCEL_REASONS),
    ),
)
class RegistrationViewSet(ListCreateDestroyViewSet):
    permission_classes = [HasScope]
    scope = "registrations:write"
    queryset = Registration.objects.none()  # the model, for the schema
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    ordering_fields = ["created_at", "event__starts_at", "id"]
    ordering = ["event__starts_at", "id"]

    def get_queryset(self):
        return selectors.registrations_of_organisation(self.request.user.organisation_id)

    def create(self, request, *args, **kwargs):
        data = validated(RegistrationCreateSerializer, request.data)
        person = organisation_person(request, data["person"])
        event = visible_event(request, data["event"])
        with refusals_as_conflicts():
            registration = services.registration_create(
                event=event, user=person.user, actor=request.user
            )
        registration = self.get_queryset().get(pk=registration.pk)
        return Response(self.get_serializer(registration).data, status=status.HTTP_201_CREATED)

    def _cancel(self, request) -> Registration:
        with refusals_as_conflicts():
            registration = services.registration_cancel(
                registration=self.get_object(), actor=request.user
            )
        return self.get_queryset().get(pk=registration.pk)

    def destroy(self, request, *args, **kwargs):
        self._cancel(request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Cancel a registration"),
        description=_(
            "Cancels a registration or a place on the waitlist; a freed place goes to the "
            "waitlist's first. 409 when it is cancelled already, the person is checked "
            "in, or the event is over."
        ),
        request=None,
        responses={200: RegistrationSerializer},
        examples=[response_example("Cancelled", _("Cancelled"), CANCELLED_EXAMPLE)],
        extensions=refusals(*CANCEL_REASONS),
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return Response(self.get_serializer(self._cancel(request)).data)
