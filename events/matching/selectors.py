"""Reads of 1:1 meetings shared by the pages, the calendar files and the scheduler."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.ics import uid_for
from events.matching import matchmaking
from events.matching.models import Availability, Meeting, MeetingRequest, MeetingSlot, ScheduleRun
from events.models import Event, Registration
from events.selectors import of_organisation

REGISTERED = Registration.Status.REGISTERED
PENDING = MeetingRequest.Status.PENDING
ACCEPTED = MeetingRequest.Status.ACCEPTED

# A guard: cancelling a registration takes its meetings off the schedule, but a meeting
# with someone no longer registered must never be shown as one to go to.
STANDING = Q(registration_a__status=REGISTERED, registration_b__status=REGISTERED)

REASONS = {
    matchmaking.NO_COMMON_SLOT: gettext_lazy("no time slot where both are available"),
    matchmaking.NO_INTERPRETER: gettext_lazy(
        "an interpreter is needed and none works in their common slots"
    ),
    matchmaking.PARTICIPANT_BUSY: gettext_lazy(
        "one of them has other meetings in every common slot"
    ),
    matchmaking.CAPACITY: gettext_lazy("no table or interpreter left in their common slots"),
}


def reason_label(code: str) -> str:
    """Return the reason a request was not scheduled, in the active language."""
    return str(REASONS[code]) if code in REASONS else code


def participant_of(*, event: Event, user) -> Registration | None:
    """Return the registered participation of `user` in a matching session, or None."""
    if not getattr(user, "is_authenticated", False) or not event.is_matching_session:
        return None
    return (
        Registration.objects.filter(event=event, user=user, status=REGISTERED)
        .select_related("event", "company", "partner_organisation")
        .first()
    )


def matching_sessions_of(user):
    """Return the matching sessions `user` is registered for, latest first."""
    return Event.objects.filter(
        kind=Event.Kind.MATCHING_SESSION,
        registrations__user=user,
        registrations__status=REGISTERED,
    ).order_by("-starts_at")


def participants_for(*, registration: Registration):
    """Return the participants `registration` may ask for a meeting, by name."""
    others = Registration.objects.filter(event_id=registration.event_id, status=REGISTERED).exclude(
        pk=registration.pk
    )
    if registration.kind == Registration.Kind.STARTUP:
        others = others.filter(kind=Registration.Kind.PARTNER)
    elif registration.kind == Registration.Kind.PARTNER:
        others = others.filter(kind=Registration.Kind.STARTUP, company__consent_to_partners=True)
    else:
        others = others.none()
    return others.select_related("company", "partner_organisation").order_by("search_name")


def requests_of(*, registration: Registration) -> tuple[list, list]:
    """Return (received, sent) meeting requests of a participant, newest first."""
    requests = MeetingRequest.objects.filter(
        Q(to_registration=registration) | Q(from_registration=registration)
    ).select_related(
        "from_registration__company",
        "from_registration__partner_organisation",
        "to_registration__company",
        "to_registration__partner_organisation",
    )
    received = [r for r in requests if r.to_registration_id == registration.pk]
    sent = [r for r in requests if r.from_registration_id == registration.pk]
    return received, sent


def meeting_requests_of_organisation(organisation_id: int) -> QuerySet[MeetingRequest]:
    """Return the requests sent or received by a partner organisation's people, each with
    `scheduled` (the two have a meeting in the schedule), in one query whatever their number."""
    pair = Q(
        registration_a=OuterRef("from_registration"), registration_b=OuterRef("to_registration")
    ) | Q(registration_a=OuterRef("to_registration"), registration_b=OuterRef("from_registration"))
    return (
        MeetingRequest.objects.filter(
            of_organisation(organisation_id, "from_registration__")
            | of_organisation(organisation_id, "to_registration__")
        )
        .annotate(scheduled=Exists(Meeting.objects.filter(pair)))
        .select_related(
            "from_registration__user__partner_person",
            "from_registration__company",
            "from_registration__partner_organisation",
            "to_registration__user__partner_person",
            "to_registration__company",
            "to_registration__partner_organisation",
        )
    )


def is_scheduled(*, event: Event) -> bool:
    """Say whether the center has applied a schedule to the matching session."""
    return event.schedule_runs.filter(status=ScheduleRun.Status.DONE).exists()


def organisation_met_company(organisation_id: int, company_id: int) -> bool:
    """Say whether a meeting on a schedule joins one of the organisation's people and a
    member of the company (of an event not cancelled, both still registered).

    Registered as a contact opener: such a meeting opens the company's contacts to the
    organisation.
    """
    standing = Q(registration_a__status=REGISTERED, registration_b__status=REGISTERED) & ~Q(
        event__status=Event.Status.CANCELLED
    )
    ours_a = of_organisation(organisation_id, "registration_a__") & Q(
        registration_b__company_id=company_id
    )
    ours_b = of_organisation(organisation_id, "registration_b__") & Q(
        registration_a__company_id=company_id
    )
    return Meeting.objects.filter(standing, ours_a | ours_b).exists()


@dataclass
class AgendaItem:
    meeting: Meeting
    slot: MeetingSlot
    counterpart: Registration
    table: int
    interpreter: int | None
    # False: the participant took this slot out of their availability after the meeting
    # was placed (or staff placed it there); the page says so.
    available: bool = True


def _free_in_slot(registration) -> Exists:
    """Whether `registration` (an id, or an OuterRef) marked the meeting's slot available."""
    return Exists(Availability.objects.filter(registration=registration, slot=OuterRef("slot")))


def agenda_of(*, registration: Registration) -> list[AgendaItem]:
    """Return a participant's meetings in time order."""
    meetings = (
        Meeting.objects.filter(
            Q(registration_a=registration) | Q(registration_b=registration),
            STANDING,
            event_id=registration.event_id,
        )
        .annotate(available=_free_in_slot(registration.pk))
        .select_related(
            "slot",
            "registration_a__company",
            "registration_a__partner_organisation",
            "registration_b__company",
            "registration_b__partner_organisation",
        )
        .order_by("slot__starts_at")
    )
    return [agenda_item(meeting, side=registration.pk) for meeting in meetings]


def agenda_calendar_items(*, registration: Registration, url: str = "") -> list[dict]:
    """Return the agenda as items for `events.ics.calendar_for`, in the event's zone."""
    return [
        meeting_calendar_item(item, event=registration.event, url=url)
        for item in agenda_of(registration=registration)
    ]


def meeting_calendar_item(item: AgendaItem, *, event: Event, url: str = "", **fields) -> dict:
    """Return one meeting of an agenda as an item for `events.ics.calendar_for`; `fields`
    (summary, status, last_modified...) replace what it says by default."""
    description = [_("Table %(table)s") % {"table": item.table}]
    if item.counterpart.affiliation_shown:
        description.append(item.counterpart.affiliation_shown)
    if item.interpreter:
        description.append(_("Interpreter %(n)s") % {"n": item.interpreter})
    table = _("table %(table)s") % {"table": item.table}
    return {
        "uid": _meeting_uid(item.meeting),
        "summary": _("Meeting: %(name)s") % {"name": item.counterpart.name},
        "start": item.slot.starts_at,
        "end": item.slot.ends_at,
        "tz": event.time_zone,
        "location": " · ".join(part for part in (event.venue, table) if part),
        "description": "\n".join(description),
        "url": url,
    } | fields


def meetings_of_registrations(registrations: QuerySet[Registration]) -> QuerySet[Meeting]:
    """Return the meetings of any of `registrations` (a query, so that this is one query
    whatever their number), with their slots, both people and events, in time order."""
    ids = registrations.values("pk")
    return (
        Meeting.objects.filter(Q(registration_a__in=ids) | Q(registration_b__in=ids))
        .select_related(
            "slot",
            "event",
            "registration_a__company",
            "registration_a__partner_organisation",
            "registration_b__company",
            "registration_b__partner_organisation",
        )
        .order_by("slot__starts_at", "pk")
    )


def agenda_item(meeting: Meeting, *, side: int) -> AgendaItem:
    """Return `meeting` as the agenda item of its registration `side` (an id)."""
    a, b = meeting.registration_a, meeting.registration_b
    other = b if a.pk == side else a
    available = getattr(meeting, "available", True)
    return AgendaItem(meeting, meeting.slot, other, meeting.table, meeting.interpreter, available)


def _meeting_uid(meeting: Meeting) -> str:
    # By pair, not by row: a re-run replaces the rows, and a calendar should update its entry.
    return uid_for(
        "meeting", f"{meeting.event_id}-{meeting.registration_a_id}-{meeting.registration_b_id}"
    )


def schedule_overview(*, event: Event) -> dict:
    """Return the counts the staff scheduling page shows."""
    slots = list(event.slots.all())
    participants = event.registrations.filter(status=REGISTERED).count()
    requests = event.meeting_requests.aggregate(
        accepted=Count("pk", filter=Q(status=ACCEPTED)),
        pending=Count("pk", filter=Q(status=PENDING)),
    )
    meetings = event.meetings.filter(STANDING).aggregate(
        total=Count("pk"), locked=Count("pk", filter=Q(locked=True))
    )
    for slot in slots:
        slot.event = event
    return {
        "participants": participants,
        "accepted_requests": requests["accepted"],
        "pending_requests": requests["pending"],
        "slots": len(slots),
        "tables": sum(slot.table_count for slot in slots),
        "tables_per_slot": event.meeting_tables,
        "interpreters": sum(slot.interpreter_count for slot in slots),
        "interpreters_per_slot": event.interpreters_per_slot,
        "meetings": meetings["total"],
        "locked_meetings": meetings["locked"],
    }


def meetings_of_event(*, event: Event) -> list[Meeting]:
    """Return the event's meetings in time order, each with `a_available` and `b_available`:
    whether each of the two marked the slot available (the staff page flags who did not)."""
    return list(
        event.meetings.filter(STANDING)
        .annotate(
            a_available=_free_in_slot(OuterRef("registration_a")),
            b_available=_free_in_slot(OuterRef("registration_b")),
        )
        .select_related("slot", "registration_a", "registration_b")
        .order_by("slot__starts_at", "table")
    )


def table_plan(*, event: Event) -> tuple[list[MeetingSlot], list[int], dict]:
    """Return (slots, table numbers, {(slot id, table): meeting}) for the printed plan."""
    slots = list(event.slots.all())
    for slot in slots:
        slot.event = event
    tables = list(range(1, max((s.table_count for s in slots), default=0) + 1))
    grid = {(m.slot_id, m.table): m for m in meetings_of_event(event=event)}
    return slots, tables, grid


def interpreter_plan(*, event: Event) -> tuple[list[MeetingSlot], list[int], dict]:
    """Return (slots, interpreter numbers, {(slot id, interpreter): meeting})."""
    slots = list(event.slots.all())
    for slot in slots:
        slot.event = event
    numbers = list(range(1, max((s.interpreter_count for s in slots), default=0) + 1))
    grid = {}
    for m in meetings_of_event(event=event):
        if m.interpreter is not None:
            m.languages_a = ", ".join(sorted(m.registration_a.languages)).upper()
            m.languages_b = ", ".join(sorted(m.registration_b.languages)).upper()
            grid[(m.slot_id, m.interpreter)] = m
    return slots, numbers, grid


def pair_priorities(requests) -> dict[tuple[int, int], str]:
    """Return {(a, b): scheduler priority} with a < b, from (from, to, priority) of accepted
    requests."""
    musts: dict[tuple[int, int], set[int]] = defaultdict(set)
    pairs: set[tuple[int, int]] = set()
    for sender, recipient, priority in requests:
        pair = (min(sender, recipient), max(sender, recipient))
        pairs.add(pair)
        if priority == MeetingRequest.Priority.MUST:
            musts[pair].add(sender)
    result = {}
    for pair in pairs:
        asked = len(musts.get(pair, ()))
        result[pair] = (
            matchmaking.MUTUAL_MUST
            if asked == 2
            else matchmaking.MUST
            if asked == 1
            else matchmaking.WOULD_LIKE
        )
    return result


@dataclass
class Loaded:
    event: Event
    problem: matchmaking.Problem
    slots: dict[int, MeetingSlot]
    people: dict[int, Registration]
    meetings: list[Meeting]  # the schedule before the run, locked and not
    priorities: dict[tuple[int, int], str]


def load_schedule_problem(event: Event) -> Loaded:
    """Load what the scheduler needs for `event` in five queries, whatever its size.

    slots + meetings + participants + availability + accepted requests.
    """
    slots = {
        slot.pk: slot for slot in MeetingSlot.objects.filter(event=event).order_by("starts_at")
    }
    for slot in slots.values():
        slot.event = event
    meetings = list(Meeting.objects.filter(event=event))
    locked = [m for m in meetings if m.locked]
    locked_people = {pk for m in locked for pk in (m.registration_a_id, m.registration_b_id)}
    people = {
        r.pk: r
        for r in Registration.objects.filter(event=event)
        .filter(Q(status=REGISTERED) | Q(pk__in=locked_people))
        .select_related("user")
    }
    available: dict[int, set] = defaultdict(set)
    for registration_id, slot_id in Availability.objects.filter(slot__event=event).values_list(
        "registration_id", "slot_id"
    ):
        available[registration_id].add(slot_id)
    accepted = MeetingRequest.objects.filter(event=event, status=ACCEPTED).values_list(
        "from_registration_id", "to_registration_id", "priority"
    )
    priorities = {
        pair: priority
        for pair, priority in pair_priorities(accepted).items()
        if pair[0] in people and pair[1] in people
    }
    problem = matchmaking.Problem(
        slots=list(slots),
        tables={pk: slot.table_count for pk, slot in slots.items()},
        interpreters={pk: slot.interpreter_count for pk, slot in slots.items()},
        participants={
            pk: matchmaking.Participant(
                available=frozenset(available.get(pk, ())), languages=person.languages
            )
            for pk, person in people.items()
        },
        requests=[matchmaking.Request(a, b, priority) for (a, b), priority in priorities.items()],
        locked=[
            matchmaking.LockedMeeting(
                m.registration_a_id, m.registration_b_id, m.slot_id, m.table - 1
            )
            for m in locked
        ],
        previous={
            (m.registration_a_id, m.registration_b_id): (m.slot_id, m.table - 1)
            for m in meetings
            if not m.locked
        },
    )
    return Loaded(event, problem, slots, people, meetings, priorities)
