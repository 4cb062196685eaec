"""Pages of 1:1 meetings: participants (availability, requests, agenda) and staff (schedule).

Thin: validate, call one service of `events.matching.services` or `runs`, render. A
participant only reaches the matching sessions they are registered for: the session's pages
tell anyone else how to take part, its other URLs answer 404.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from events import ics
from events.judging.models import JudgeAssignment
from events.matching import policies, runs, selectors, services
from events.matching.forms import (
    AvailabilityForm,
    MeetingAddForm,
    MeetingAnswerForm,
    MeetingLockForm,
    MeetingRequestForm,
    ScheduleGenerateForm,
)
from events.matching.models import Meeting, MeetingRequest, ScheduleRun
from events.models import Event, Registration
from events.views import staff_view


def _matching_event(pk: int) -> Event:
    return get_object_or_404(Event, pk=pk, kind=Event.Kind.MATCHING_SESSION)


def _participant(request, pk: int) -> Registration:
    registration = selectors.participant_of(event=_matching_event(pk), user=request.user)
    if registration is None:
        raise Http404
    return registration


class NotParticipating(Exception):
    """A page of a session opened by someone not registered for it."""

    def __init__(self, event):
        self.event = event


def _participant_page(view):
    """A participant's page of a session: anyone else is told how to take part (staff who
    may see the meetings go to the schedule) instead of a 404."""

    @functools.wraps(view)
    def page(request, pk):
        try:
            return view(request, pk)
        except NotParticipating as refusal:
            if request.user.is_staff and request.user.has_perm("events.view_meeting"):
                return redirect("events:schedule", refusal.event.pk)
            messages.info(
                request, _("Register for this matching session to take part in meetings.")
            )
            return redirect("events:event-detail", refusal.event.pk)

    return page


def _viewer(request, pk: int) -> Registration:
    """The registration of a participant's page, or NotParticipating."""
    event = _matching_event(pk)
    registration = selectors.participant_of(event=event, user=request.user)
    if registration is None:
        raise NotParticipating(event)
    return registration


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# For a button's value that no page of the portal sends: a forged or broken POST.
UNREADABLE = gettext_lazy("The form could not be read; nothing was changed.")

# --- Participants -------------------------------------------------------------------------


@login_required
@require_GET
def matching_list(request):
    """The matching sessions and the judging of the signed-in person."""
    return render(
        request,
        "events/meetings/matching_list.html",
        {
            "events": selectors.matching_sessions_of(request.user),
            "assignments": JudgeAssignment.objects.filter(judge=request.user).exists(),
        },
    )


def _render_session(request, registration: Registration, form=None, status=200):
    event = registration.event
    if form is None:
        form = AvailabilityForm(
            event=event,
            viewer_zone=request.user.time_zone,
            initial={
                "slots": list(registration.availabilities.values_list("slot_id", flat=True)),
                "languages": sorted(registration.languages),
            },
        )
    received, sent = selectors.requests_of(registration=registration)
    agenda = selectors.agenda_of(registration=registration)
    # A request whose meeting is scheduled cannot be withdrawn (the center removes it).
    meeting_with = {item.counterpart.pk for item in agenda}
    for item in sent:
        item.scheduled = item.to_registration_id in meeting_with
    # The services' own rule: a session that is over shows its meetings as held, and no
    # form whose answer could only be "this event is over".
    closed_because = policies.matching_closed_because(event)
    context = {
        "event": event,
        "registration": registration,
        "closed_because": closed_because,
        "form": form,
        "received": received,
        "sent": sent,
        "agenda": agenda,
        "outside_availability": []
        if closed_because
        else [item for item in agenda if not item.available],
    }
    return render(request, "events/meetings/session.html", context, status=status)


@login_required
@require_GET
@_participant_page
def matching_session(request, pk):
    return _render_session(request, _viewer(request, pk))


@login_required
@require_POST
def matching_availability(request, pk):
    registration = _participant(request, pk)
    form = AvailabilityForm(
        request.POST, event=registration.event, viewer_zone=request.user.time_zone
    )
    if not form.is_valid():
        return _render_session(request, registration, form=form, status=400)
    try:
        services.availability_set(
            registration=registration,
            slot_ids=form.cleaned_data["slots"],
            languages=form.cleaned_data["languages"],
            actor=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render_session(request, registration, form=form, status=400)
    messages.success(request, _("Your availability and languages are saved."))
    return redirect("events:matching-session", pk)


@login_required
@require_GET
@_participant_page
def matching_participants(request, pk):
    registration = _viewer(request, pk)
    received, sent = selectors.requests_of(registration=registration)
    asked = {r.to_registration_id: r for r in sent}
    asking = {r.from_registration_id: r for r in received}
    people = []
    for other in selectors.participants_for(registration=registration):
        other.sent_request = asked.get(other.pk)
        other.received_request = asking.get(other.pk)
        people.append(other)
    return render(
        request,
        "events/meetings/participants.html",
        {
            "event": registration.event,
            "registration": registration,
            "people": people,
            "form": MeetingRequestForm(),
            "closed_because": policies.matching_closed_because(registration.event),
        },
    )


@login_required
@require_POST
def meeting_request_create(request, pk):
    registration = _participant(request, pk)
    form = MeetingRequestForm(request.POST)
    back = redirect("events:matching-participants", pk)
    if not form.is_valid():
        messages.error(request, _("The request could not be read; nothing was sent."))
        return back
    other = (
        Registration.objects.select_related("event")
        .filter(pk=form.cleaned_data["to"], event_id=registration.event_id)
        .first()
    )
    if other is None:
        messages.error(request, _("This person is not registered for this event."))
        return back
    try:
        request_row = services.meeting_request_create(
            from_registration=registration,
            to_registration=other,
            priority=form.cleaned_data["priority"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        _errors(request, error)
        return back
    if request_row.status == MeetingRequest.Status.ACCEPTED:
        messages.success(
            request,
            _("%(name)s asked to meet you too: the meeting is agreed.") % {"name": other.name},
        )
    else:
        messages.success(request, _("Your request is sent to %(name)s.") % {"name": other.name})
    return back


@login_required
@require_POST
def meeting_request_respond(request, request_id):
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related("from_registration", "to_registration"),
        pk=request_id,
        to_registration__user=request.user,
    )
    form = MeetingAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, UNREADABLE)
        return redirect("events:matching-session", meeting_request.event_id)
    accept = form.cleaned_data["answer"] == "accept"
    try:
        services.meeting_request_respond(request=meeting_request, actor=request.user, accept=accept)
    except ValidationError as error:
        _errors(request, error)
    else:
        name = meeting_request.from_registration.name
        if accept:
            messages.success(request, _("You accepted to meet %(name)s.") % {"name": name})
        else:
            messages.success(request, _("You declined to meet %(name)s.") % {"name": name})
    return redirect("events:matching-session", meeting_request.event_id)


@login_required
@require_POST
def meeting_request_withdraw(request, request_id):
    # Only its sender finds the request: anyone else gets a 404, as for any other's row.
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related("event", "from_registration", "to_registration"),
        pk=request_id,
        from_registration__user=request.user,
    )
    name = meeting_request.to_registration.name
    try:
        services.meeting_request_withdraw(request=meeting_request, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Your request to %(name)s is withdrawn.") % {"name": name})
    return redirect("events:matching-session", meeting_request.event_id)


@login_required
@require_GET
@_participant_page
def meeting_agenda(request, pk):
    registration = _viewer(request, pk)
    return render(
        request,
        "events/meetings/agenda.html",
        {
            "event": registration.event,
            "registration": registration,
            "agenda": selectors.agenda_of(registration=registration),
            "viewer_zone": request.user.time_zone,
        },
    )


@login_required
@require_GET
def meeting_agenda_ics(request, pk):
    registration = _participant(request, pk)
    url = request.build_absolute_uri(reverse("events:meeting-agenda", args=[pk]))
    items = selectors.agenda_calendar_items(registration=registration, url=url)
    content = ics.calendar_for(items, name=registration.event.title)
    response = HttpResponse(content, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="meetings-{pk}.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response


# --- Staff: scheduling --------------------------------------------------------------------


def _names(event: Event) -> dict[int, Registration]:
    return {r.pk: r for r in event.registrations.all()}


def _unscheduled_rows(run: ScheduleRun | None, people: dict[int, Registration]) -> list[dict]:
    if run is None:
        return []
    return [
        {
            "a": people.get(row["a"]),
            "b": people.get(row["b"]),
            "reason": selectors.reason_label(row["reason"]),
        }
        for row in run.unscheduled
    ]


def _render_schedule(request, event: Event, add_form=None, status=200):
    run = event.schedule_runs.select_related("requested_by").first()
    people = _names(event) if run and run.unscheduled else {}
    # The buttons ask the services' own rule: an event that is over keeps the schedule held.
    closed_because = policies.matching_closed_because(event)
    context = {
        "event": event,
        "closed_because": closed_because,
        "overview": selectors.schedule_overview(event=event),
        "run": run,
        "unscheduled": _unscheduled_rows(run, people),
        "meetings": selectors.meetings_of_event(event=event),
        "add_form": add_form or MeetingAddForm(event=event),
        "can_change": policies.can_schedule(request.user, event) and not closed_because,
    }
    return render(request, "events/meetings/schedule.html", context, status=status)


@staff_view("events.view_meeting")
@require_GET
def schedule(request, pk):
    return _render_schedule(request, _matching_event(pk))


@staff_view("events.change_meeting")
@require_POST
def schedule_generate(request, pk):
    event = _matching_event(pk)
    form = ScheduleGenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, UNREADABLE)
        return redirect("events:schedule", pk)
    try:
        run = runs.schedule_run_start(
            event=event, actor=request.user, pin_previous=form.cleaned_data["pin_previous"]
        )
    except ValidationError as error:
        _errors(request, error)
        return redirect("events:schedule", pk)
    return redirect("events:schedule-run", pk, run.pk)


def _run(pk: int, run_id: int) -> ScheduleRun:
    return get_object_or_404(
        ScheduleRun.objects.select_related("event", "requested_by"),
        pk=run_id,
        event_id=pk,
        event__kind=Event.Kind.MATCHING_SESSION,
    )


@staff_view("events.view_meeting")
@require_GET
def schedule_run(request, pk, run_id):
    run = _run(pk, run_id)
    people = _names(run.event) if run.unscheduled else {}
    return render(
        request,
        "events/meetings/run.html",
        {"event": run.event, "run": run, "unscheduled": _unscheduled_rows(run, people)},
    )


@staff_view("events.view_meeting")
@require_GET
def schedule_run_progress(request, pk, run_id):
    run = _run(pk, run_id)
    response = JsonResponse(
        {
            "status": run.status,
            "status_label": str(run.get_status_display()),
            "progress": run.progress,
            "done": not run.is_active,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_view("events.change_meeting")
@require_POST
def meeting_add(request, pk):
    event = _matching_event(pk)
    form = MeetingAddForm(request.POST, event=event)
    if not form.is_valid():
        return _render_schedule(request, event, add_form=form, status=400)
    data = form.cleaned_data
    try:
        meeting = services.meeting_add(
            event=event,
            registration_a=data["registration_a"],
            registration_b=data["registration_b"],
            slot=data["slot"],
            table=data["table"],
            locked=data["locked"],
            actor=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render_schedule(request, event, add_form=form, status=400)
    messages.success(request, _("The meeting is added: %(meeting)s.") % {"meeting": meeting})
    for person in meeting.unavailable:
        messages.warning(
            request,
            _(
                "%(name)s did not say they are free at this time; the meeting is added all "
                "the same, and a new schedule run keeps it only if it is locked."
            )
            % {"name": person.name},
        )
    return redirect("events:schedule", pk)


def _meeting(pk: int, meeting_id: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("event"), pk=meeting_id, event_id=pk)


@staff_view("events.change_meeting")
@require_POST
def meeting_lock(request, pk, meeting_id):
    meeting = _meeting(pk, meeting_id)
    form = MeetingLockForm(request.POST)
    if not form.is_valid():
        messages.error(request, UNREADABLE)
        return redirect("events:schedule", pk)
    locked = form.cleaned_data["locked"] == "1"
    try:
        services.meeting_lock(meeting=meeting, locked=locked, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        if locked:
            messages.success(request, _("The meeting is locked: %(m)s.") % {"m": meeting})
        else:
            messages.success(request, _("The meeting is unlocked: %(m)s.") % {"m": meeting})
    return redirect("events:schedule", pk)


@staff_view("events.change_meeting")
@require_POST
def meeting_remove(request, pk, meeting_id):
    meeting = _meeting(pk, meeting_id)
    try:
        services.meeting_remove(meeting=meeting, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The meeting is removed: %(m)s.") % {"m": meeting})
    return redirect("events:schedule", pk)


@staff_view("events.view_meeting")
@require_GET
def meeting_table_plan(request, pk):
    event = _matching_event(pk)
    slots, tables, grid = selectors.table_plan(event=event)
    rows = [(slot, [grid.get((slot.pk, table)) for table in tables]) for slot in slots]
    return render(
        request,
        "events/meetings/table_plan.html",
        {"event": event, "tables": tables, "rows": rows},
    )


@staff_view("events.view_meeting")
@require_GET
def meeting_interpreter_plan(request, pk):
    event = _matching_event(pk)
    slots, numbers, grid = selectors.interpreter_plan(event=event)
    rows = [(slot, [grid.get((slot.pk, n)) for n in numbers]) for slot in slots]
    return render(
        request,
        "events/meetings/interpreter_plan.html",
        {"event": event, "interpreters": numbers, "rows": rows},
    )
