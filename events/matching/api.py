"""The partner API of 1:1 meetings at matching sessions: whom one of the organisation's
people may ask, their meeting requests (sent and received), and their agenda once the
center has scheduled the session.

Thin, as `events.api`: the reads of `events.matching.selectors`, the writes of
`events.matching.services`; a refusal is a 409, another organisation's object a 404.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from companies.api import an_id, organisation_person, utc
from events import policies
from events import selectors as event_selectors
from events.api import (
    IdFilter,
    in_zone,
    refusals_as_conflicts,
    validated,
    validated_query,
    visible_event,
)
from events.matching import selectors, services
from events.matching.models import MeetingRequest
from events.models import Registration
from incubator.api.errors import Conflict, refusal_as_wrong_side
from incubator.api.permissions import HasScope
from incubator.api.schema import NO_BODY, refusals, response_example
from incubator.api.serializers import StrictInput
from incubator.api.viewsets import ListCreateDestroyViewSet


class ParticipationQuery(serializers.Serializer):
    event = an_id(gettext_lazy("The id of a matching session."))
    person = an_id(gettext_lazy("The id of one of your organisation's people registered for it."))


def participation(request, paginator=None) -> Registration:
    """Return the registration in a matching session of the person named by `?event=&person=`.

    A person of another organisation, an event the organisation does not see, and a person
    not registered for that matching session are all a 404.
    """
    query = validated_query(ParticipationQuery, request, paginator)
    person = organisation_person(request, query["person"])
    event = visible_event(request, query["event"])
    registration = selectors.participant_of(event=event, user=person.user)
    if registration is not None:
        registration.user = person.user  # with its person: no query more
    if registration is None or not policies.acts_for_registrant(request.user, registration):
        raise NotFound
    return registration


# Whether a request is one your person sent or one a startup sent them.
DIRECTIONS = [
    ("sent", pgettext_lazy("meeting request", "sent")),
    ("received", pgettext_lazy("meeting request", "received")),
]


# One side of a request or a meeting. (No docstring: the schema would show it, untranslated.)
class PartySerializer(serializers.Serializer):
    participant = serializers.IntegerField(
        source="pk", help_text=gettext_lazy("The registration's id.")
    )
    person = serializers.SerializerMethodField()
    name = serializers.CharField()
    affiliation = serializers.CharField(source="affiliation_shown")
    company = serializers.IntegerField(source="company_id", allow_null=True)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_person(self, registration):
        """The id of the person when they are one of your organisation's people."""
        ours = policies.acts_for_registrant(self.context["request"].user, registration)
        return registration.user.partner_person.pk if ours else None


class ParticipantSerializer(serializers.ModelSerializer):
    participant = serializers.IntegerField(source="pk", read_only=True)
    # The company's or organisation's name in the caller's language, as the portal shows it.
    affiliation = serializers.CharField(source="affiliation_shown", read_only=True)
    company = serializers.IntegerField(source="company_id", read_only=True, allow_null=True)
    languages = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["participant", "name", "affiliation", "kind", "company", "languages"]

    def get_languages(self, registration) -> list[str]:
        return sorted(registration.languages)


PARTICIPANT_EXAMPLE = {
    "participant": 512,
    "name": "Nam Jeong-hwa",
    "affiliation": "Orangsimhan",
    "kind": "startup",
    "company": 12,
    "languages": ["en", "ko", "zh"],
}


@extend_schema(tags=["meetings"])
@extend_schema_view(
    get=extend_schema(
        summary=gettext_lazy("Whom one of your people may ask for a meeting"),
        description=gettext_lazy(
            "The participants of a matching session whom the person may ask for a 1:1 "
            "meeting: the registered startups that agreed to be shown to partners. "
            "`participant` is what a meeting request's `to_participant` names. 404 for a "
            "person not of your organisation or not registered for the session."
        ),
        parameters=[ParticipationQuery],
        examples=[response_example("A startup", gettext_lazy("A startup"), PARTICIPANT_EXAMPLE)],
    )
)
class MeetingParticipantsView(generics.ListAPIView):
    permission_classes = [HasScope]
    scope = "meetings:write"
    queryset = Registration.objects.none()  # the model, for the schema
    serializer_class = ParticipantSerializer
    filter_backends = []

    def get_queryset(self):
        registration = participation(self.request, self.paginator)
        return selectors.participants_for(registration=registration)


# --- Meeting requests ------------------------------------------------------------------------


class MeetingRequestSerializer(serializers.ModelSerializer):
    event = serializers.IntegerField(source="event_id", read_only=True)
    direction = serializers.SerializerMethodField()
    sender = PartySerializer(source="from_registration", read_only=True)
    recipient = PartySerializer(source="to_registration", read_only=True)
    scheduled = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("The two have a meeting on the schedule.")
    )
    created_at = utc()
    responded_at = utc(allow_null=True)

    class Meta:
        model = MeetingRequest
        fields = [
            "id",
            "event",
            "direction",
            "sender",
            "recipient",
            "priority",
            "status",
            "message",
            "scheduled",
            "created_at",
            "responded_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=DIRECTIONS))
    def get_direction(self, request_row) -> str:
        """sent: by one of your people; received: by a startup, to one of your people."""
        ours = policies.acts_for_registrant(
            self.context["request"].user, request_row.from_registration
        )
        return "sent" if ours else "received"


class MeetingRequestCreateSerializer(StrictInput, serializers.Serializer):
    event = an_id(gettext_lazy("The id of the matching session."))
    from_person = an_id(gettext_lazy("The id of one of your people registered for the session."))
    to_participant = an_id(
        gettext_lazy("A `participant` of GET /meeting-participants/ for that person.")
    )
    priority = serializers.ChoiceField(
        choices=MeetingRequest.Priority.choices, default=MeetingRequest.Priority.WOULD_LIKE
    )
    message = serializers.CharField(max_length=2000, allow_blank=True, default="")


class MeetingRequestFilter(django_filters.FilterSet):
    event = IdFilter(field_name="event_id")
    person = IdFilter(
        method="filter_person", label=gettext_lazy("Sent or received by this person of yours.")
    )
    direction = django_filters.ChoiceFilter(choices=DIRECTIONS, method="filter_direction")
    status = django_filters.MultipleChoiceFilter(choices=MeetingRequest.Status.choices)
    priority = django_filters.ChoiceFilter(choices=MeetingRequest.Priority.choices)

    class Meta:
        model = MeetingRequest
        fields = []

    def filter_person(self, queryset, name, value):
        return queryset.filter(
            Q(from_registration__user__partner_person=value)
            | Q(to_registration__user__partner_person=value)
        )

    def filter_direction(self, queryset, name, value):
        prefix = "from_registration__" if value == "sent" else "to_registration__"
        return queryset.filter(
            event_selectors.of_organisation(self.request.user.organisation_id, prefix)
        )


# The `reason`s of the 409s (events.matching.services' codes), as docs/api.md lists them.
SESSION_CLOSED = ("cancelled", "over", "not_matching")
ASK_REASONS = ("not_registered", "twice", "closed", *SESSION_CLOSED)
ANSWER_REASONS = ("answered", *SESSION_CLOSED)
WITHDRAW_REASONS = ("withdrawn", "scheduled", "scheduling", *SESSION_CLOSED)

REQUEST_EXAMPLE = {
    "id": 88,
    "event": 7,
    "direction": "sent",
    "sender": {
        "participant": 301,
        "person": 42,
        "name": "Li Wei",
        "affiliation": "Heilongjiang Capital",
        "company": None,
    },
    "recipient": {
        "participant": 512,
        "person": None,
        "name": "Nam Jeong-hwa",
        "affiliation": "Orangsimhan",
        "company": 12,
    },
    "priority": "must",
    "status": "pending",
    "message": "We invest in education technology in Heilongjiang.",
    "scheduled": False,
    "created_at": "2026-11-28T02:00:00Z",
    "responded_at": None,
}


@extend_schema(tags=["meetings"])
@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Your people's meeting requests"),
        description=gettext_lazy(
            "The requests your people sent, and those startups sent them, newest first; "
            "`scheduled` says whether the two have a meeting on the schedule."
        ),
        examples=[response_example("A request", gettext_lazy("A request"), REQUEST_EXAMPLE)],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("One meeting request and its status"),
        description=gettext_lazy(
            "`pending` until the recipient answers; `accepted` or `declined` then."
        ),
        examples=[response_example("A request", gettext_lazy("A request"), REQUEST_EXAMPLE)],
    ),
    create=extend_schema(
        summary=gettext_lazy("Ask a startup for a 1:1 meeting"),
        description=gettext_lazy(
            "For one of your people registered for the matching session (`from_person`), "
            "to a participant they may ask (`to_participant`, from GET "
            "/meeting-participants/), with a priority: `must` (must meet) or "
            "`would_like`. The startup is told by e-mail. When the startup had asked your "
            "person already, both requests are accepted at once (`status` accepted). 404 "
            "for a person not of your organisation or a participant they may not ask; 409 "
            "when the person is not registered, the requests are closed, the session is "
            "over, or they asked already."
        ),
        request=MeetingRequestCreateSerializer,
        responses={201: MeetingRequestSerializer},
        examples=[
            OpenApiExample(
                "Must meet",
                summary=gettext_lazy("Must meet"),
                value={
                    "event": 7,
                    "from_person": 42,
                    "to_participant": 512,
                    "priority": "must",
                    "message": "We invest in education technology in Heilongjiang.",
                },
                request_only=True,
            ),
            response_example("Sent", gettext_lazy("Sent"), REQUEST_EXAMPLE, status_codes=["201"]),
        ],
        extensions=refusals(*ASK_REASONS),
    ),
    destroy=extend_schema(
        summary=gettext_lazy("Withdraw a meeting request"),
        description=gettext_lazy("As `POST /meeting-requests/{id}/withdraw/`."),
        responses={204: NO_BODY},
        extensions=refusals(*WITHDRAW_REASONS, wrong_side=True),
    ),
)
class MeetingRequestViewSet(ListCreateDestroyViewSet):
    permission_classes = [HasScope]
    scope = "meetings:write"
    queryset = MeetingRequest.objects.none()  # the model, for the schema
    serializer_class = MeetingRequestSerializer
    filterset_class = MeetingRequestFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.meeting_requests_of_organisation(self.request.user.organisation_id)

    def create(self, request, *args, **kwargs):
        data = validated(MeetingRequestCreateSerializer, request.data)
        person = organisation_person(request, data["from_person"])
        event = visible_event(request, data["event"])
        sender = (
            event_selectors.registrations_of_organisation(request.user.organisation_id)
            .filter(event=event, user=person.user)
            .first()
        )
        if sender is None:
            raise Conflict(
                _("This person is not registered for this event."), reason="not_registered"
            )
        recipient = (
            selectors.participants_for(registration=sender)
            .filter(pk=data["to_participant"])
            .first()
        )
        if recipient is None:
            raise NotFound
        with refusals_as_conflicts():
            made = services.meeting_request_create(
                from_registration=sender,
                to_registration=recipient,
                priority=data["priority"],
                message=data["message"],
                actor=request.user,
            )
        made = self.get_queryset().get(pk=made.pk)
        return Response(self.get_serializer(made).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        # The request is the organisation's (get_object): refused, it is one sent to them.
        wrong_side = _("Only a request your people sent is withdrawn: a startup sent this one.")
        with refusals_as_conflicts(), refusal_as_wrong_side(wrong_side):
            services.meeting_request_withdraw(request=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=gettext_lazy("Withdraw a meeting request"),
        description=gettext_lazy(
            "Withdraws a request one of your people sent; the startup is told by e-mail. "
            "If the startup had asked your person too, their request waits for an answer "
            "again. 403 `wrong_side` for a request your people received; 409 once the two "
            "are on the schedule (the center takes a meeting off it), while a schedule is "
            "being computed, or after the session."
        ),
        request=None,
        responses={204: NO_BODY},
        extensions=refusals(*WITHDRAW_REASONS, wrong_side=True),
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self.destroy(request, pk=pk)

    def _answer(self, request, accept: bool) -> Response:
        # The request is the organisation's (get_object): refused, one of its people sent it.
        wrong_side = _("Your person sent this request: only the startup answers it.")
        with refusals_as_conflicts(), refusal_as_wrong_side(wrong_side):
            answered = services.meeting_request_respond(
                request=self.get_object(), actor=request.user, accept=accept
            )
        answered = self.get_queryset().get(pk=answered.pk)
        return Response(self.get_serializer(answered).data)

    @extend_schema(
        summary=gettext_lazy("Accept a meeting request"),
        description=gettext_lazy(
            "Accepts a request a startup sent one of your people (`direction` received); "
            "the startup is told by e-mail. 403 `wrong_side` for a request your people "
            "sent; 409 once it is answered, or when the session is cancelled or over."
        ),
        request=None,
        responses={200: MeetingRequestSerializer},
        extensions=refusals(*ANSWER_REASONS, wrong_side=True),
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(request, accept=True)

    @extend_schema(
        summary=gettext_lazy("Decline a meeting request"),
        description=gettext_lazy(
            "Declines a request a startup sent one of your people; the startup is told by "
            "e-mail. 403 `wrong_side` for a request your people sent; 409 once it is "
            "answered, or when the session is cancelled or over."
        ),
        request=None,
        responses={200: MeetingRequestSerializer},
        extensions=refusals(*ANSWER_REASONS, wrong_side=True),
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._answer(request, accept=False)


# --- Agenda ----------------------------------------------------------------------------------


class AgendaMeetingSerializer(serializers.Serializer):
    starts_at = utc()
    ends_at = utc()
    local_starts_at = serializers.DateTimeField(help_text=gettext_lazy("In the event's time zone."))
    local_ends_at = serializers.DateTimeField()
    table = serializers.IntegerField()
    interpreter = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("The interpreter's number; null: none needed.")
    )
    counterpart = PartySerializer()


class AgendaSerializer(serializers.Serializer):
    event = serializers.IntegerField()
    person = serializers.IntegerField()
    participant = serializers.IntegerField()
    time_zone = serializers.CharField(help_text=gettext_lazy("The event's time zone."))
    scheduled = serializers.BooleanField(
        help_text=gettext_lazy("The center has scheduled the session.")
    )
    meetings = AgendaMeetingSerializer(many=True)


AGENDA_EXAMPLE = {
    "event": 7,
    "person": 42,
    "participant": 301,
    "time_zone": "Asia/Shanghai",
    "scheduled": True,
    "meetings": [
        {
            "starts_at": "2026-12-10T01:00:00Z",
            "ends_at": "2026-12-10T01:20:00Z",
            "local_starts_at": "2026-12-10T09:00:00+08:00",
            "local_ends_at": "2026-12-10T09:20:00+08:00",
            "table": 3,
            "interpreter": 1,
            "counterpart": REQUEST_EXAMPLE["recipient"],
        }
    ],
}


@extend_schema(tags=["meetings"])
class MeetingAgendaView(generics.GenericAPIView):
    permission_classes = [HasScope]
    scope = "meetings:write"
    serializer_class = AgendaSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary=gettext_lazy("The agenda of one of your people"),
        description=gettext_lazy(
            "The person's 1:1 meetings at a matching session once the center has "
            "scheduled it (`scheduled`; until then `meetings` is empty), in time order: "
            "times in UTC and in the event's zone, the table, the interpreter, whom they "
            "meet. 404 for a person not of your organisation or not registered for the "
            "session."
        ),
        parameters=[ParticipationQuery],
        examples=[response_example("Scheduled", gettext_lazy("Scheduled"), AGENDA_EXAMPLE)],
    )
    def get(self, request):
        registration = participation(request)
        event = registration.event
        items = selectors.agenda_of(registration=registration)
        meetings = [
            {
                "starts_at": item.slot.starts_at,
                "ends_at": item.slot.ends_at,
                "local_starts_at": in_zone(item.slot.starts_at, event.time_zone),
                "local_ends_at": in_zone(item.slot.ends_at, event.time_zone),
                "table": item.table,
                "interpreter": item.interpreter,
                "counterpart": item.counterpart,
            }
            for item in items
        ]
        agenda = {
            "event": event.pk,
            "person": registration.user.partner_person.pk,
            "participant": registration.pk,
            "time_zone": event.time_zone,
            "scheduled": bool(items) or selectors.is_scheduled(event=event),
            "meetings": meetings,
        }
        return Response(self.get_serializer(agenda).data)
