"""Pages of 1:1 meetings (participants and staff) and of competition judging.

Thin: validate, call one service of `events.meetings` or `events.judging`, render. A
participant only reaches the matching sessions they are registered for, a judge only their
own assignments: anything else is a 404.
"""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from companies.models import SPOKEN_LANGUAGES
from events import ics, judging, meetings, times
from events.models import (
    CompetitionRound,
    Event,
    JudgeAssignment,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    Registration,
    ScheduleRun,
    Score,
)

# --- Access -------------------------------------------------------------------------------


def staff_view(permission: str):
    """Sign-in required; staff holding `permission` only (others get a 403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not (request.user.is_staff and request.user.has_perm(permission)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _matching_event(pk: int) -> Event:
    return get_object_or_404(Event, pk=pk, kind=Event.Kind.MATCHING_SESSION)


def _participant(request, pk: int) -> Registration:
    registration = meetings.participant_of(event=_matching_event(pk), user=request.user)
    if registration is None:
        raise Http404
    return registration


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# For a button's value that no page of the portal sends: a forged or broken POST.
UNREADABLE = gettext_lazy("The form could not be read; nothing was changed.")


def _language_choices():
    return [
        (code, Registration._meta.get_field(f"speaks_{code}").verbose_name)
        for code in SPOKEN_LANGUAGES
    ]


def _slot_label(slot: MeetingSlot, event: Event, viewer_zone: str | None) -> str:
    return times.when(
        slot.starts_at, slot.ends_at, event_zone=event.time_zone, viewer_zone=viewer_zone
    )


# --- Forms --------------------------------------------------------------------------------


class AvailabilityForm(forms.Form):
    slots = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Time slots when you can meet"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy("A chosen time slot is not part of this event.")
        },
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages you can meet in"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one language you speak.")},
    )

    def __init__(self, *args, event: Event, viewer_zone: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slots"].choices = [
            (slot.pk, _slot_label(slot, event, viewer_zone)) for slot in event.slots.all()
        ]
        self.fields["languages"].choices = _language_choices()


class MeetingRequestForm(forms.Form):
    to = forms.IntegerField(widget=forms.HiddenInput)
    priority = forms.ChoiceField(
        label=gettext_lazy("How much do you want this meeting?"),
        choices=MeetingRequest.Priority.choices,
        initial=MeetingRequest.Priority.WOULD_LIKE,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MeetingAddForm(forms.Form):
    registration_a = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Participant"))
    registration_b = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Meets"))
    slot = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Time slot"))
    table = forms.IntegerField(
        label=gettext_lazy("Table"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Empty: the first free table."),
    )
    locked = forms.BooleanField(
        label=gettext_lazy("Locked (the next schedule keeps it here)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        people = event.registrations.filter(status=Registration.Status.REGISTERED).order_by(
            "search_name"
        )
        self.fields["registration_a"].queryset = people
        self.fields["registration_b"].queryset = people
        self.fields["slot"].queryset = event.slots.all()


class JudgeAssignForm(forms.Form):
    entry = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Entry"))
    email = forms.EmailField(
        label=gettext_lazy("Judge's e-mail address"),
        max_length=254,
        help_text=gettext_lazy("The judge's portal account."),
    )

    def __init__(self, *args, round_: CompetitionRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = round_.entries.select_related("company")


class MeetingAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])


class MeetingLockForm(forms.Form):
    locked = forms.ChoiceField(choices=[("1", "1"), ("0", "0")])


class ScheduleGenerateForm(forms.Form):
    pin_previous = forms.MultipleChoiceField(choices=[("0", "0"), ("1", "1")], required=False)

    def clean_pin_previous(self) -> bool:
        # The hidden "0" comes before the checkbox: absent altogether means the default.
        values = self.cleaned_data["pin_previous"]
        return "1" in values if values else True


class ScoreSheetForm(forms.Form):
    """A judge's sheet as typed: a number the score column can hold and a comment per criterion.

    Whether every criterion is scored and within its range is `judging.score_submit`'s rule.
    """

    action = forms.ChoiceField(choices=[("save", "save"), ("submit", "submit")], required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = Score._meta.get_field("value").formfield(
                required=False
            )
            self.fields[f"comment_{criterion.pk}"] = Score._meta.get_field("comment").formfield()

    def scores(self) -> dict[int, tuple]:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }

    def sheet_errors(self) -> dict[str, list]:
        """Return the errors keyed as `score_submit` keys them, comments as "comment_<id>"."""
        errors = {"": [*self.non_field_errors(), *self.errors.get("action", [])]}
        for criterion in self.criteria:
            errors[str(criterion.pk)] = self.errors.get(f"score_{criterion.pk}", [])
            errors[f"comment_{criterion.pk}"] = self.errors.get(f"comment_{criterion.pk}", [])
        return errors


# --- Participants -------------------------------------------------------------------------


@login_required
@require_GET
def matching_list(request):
    """The matching sessions and the judging of the signed-in person."""
    return render(
        request,
        "events/meetings/matching_list.html",
        {
            "events": meetings.matching_sessions_of(request.user),
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
    received, sent = meetings.requests_of(registration=registration)
    context = {
        "event": event,
        "registration": registration,
        "form": form,
        "received": received,
        "sent": sent,
        "agenda": meetings.agenda_of(registration=registration),
    }
    return render(request, "events/meetings/session.html", context, status=status)


@login_required
@require_GET
def matching_session(request, pk):
    event = _matching_event(pk)
    registration = meetings.participant_of(event=event, user=request.user)
    if registration is None:
        if request.user.is_staff and request.user.has_perm("events.view_meeting"):
            return redirect("events:schedule", event.pk)
        messages.info(request, _("Register for this matching session to take part in meetings."))
        return redirect("events:event-detail", event.pk)
    return _render_session(request, registration)


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
        meetings.availability_set(
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
def matching_participants(request, pk):
    registration = _participant(request, pk)
    received, sent = meetings.requests_of(registration=registration)
    asked = {r.to_registration_id: r for r in sent}
    asking = {r.from_registration_id: r for r in received}
    people = []
    for other in meetings.participants_for(registration=registration):
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
        request_row = meetings.meeting_request_create(
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
        meetings.meeting_request_respond(
            request=meeting_request, registration=meeting_request.to_registration, accept=accept
        )
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
@require_GET
def meeting_agenda(request, pk):
    registration = _participant(request, pk)
    return render(
        request,
        "events/meetings/agenda.html",
        {
            "event": registration.event,
            "registration": registration,
            "agenda": meetings.agenda_of(registration=registration),
            "viewer_zone": request.user.time_zone,
        },
    )


@login_required
@require_GET
def meeting_agenda_ics(request, pk):
    registration = _participant(request, pk)
    url = request.build_absolute_uri(reverse("events:meeting-agenda", args=[pk]))
    items = meetings.agenda_calendar_items(registration=registration, url=url)
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
            "reason": meetings.reason_label(row["reason"]),
        }
        for row in run.unscheduled
    ]


def _render_schedule(request, event: Event, add_form=None, status=200):
    run = event.schedule_runs.select_related("requested_by").first()
    people = _names(event) if run and run.unscheduled else {}
    context = {
        "event": event,
        "overview": meetings.schedule_overview(event=event),
        "run": run,
        "unscheduled": _unscheduled_rows(run, people),
        "meetings": meetings.meetings_of_event(event=event),
        "add_form": add_form or MeetingAddForm(event=event),
        "can_change": request.user.has_perm("events.change_meeting"),
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
        run = meetings.schedule_run_start(
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
        meeting = meetings.meeting_add(
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
        meetings.meeting_lock(meeting=meeting, locked=locked, actor=request.user)
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
        meetings.meeting_remove(meeting=meeting, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The meeting is removed: %(m)s.") % {"m": meeting})
    return redirect("events:schedule", pk)


@staff_view("events.view_meeting")
@require_GET
def meeting_table_plan(request, pk):
    event = _matching_event(pk)
    slots, tables, grid = meetings.table_plan(event=event)
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
    slots, numbers, grid = meetings.interpreter_plan(event=event)
    rows = [(slot, [grid.get((slot.pk, n)) for n in numbers]) for slot in slots]
    return render(
        request,
        "events/meetings/interpreter_plan.html",
        {"event": event, "interpreters": numbers, "rows": rows},
    )


# --- Judges -------------------------------------------------------------------------------


@login_required
@require_GET
def judging_home(request):
    assignments = JudgeAssignment.objects.filter(judge=request.user).select_related(
        "entry__round__event", "entry__company"
    )
    return render(request, "events/judging/home.html", {"assignments": assignments})


def _score_rows(assignment: JudgeAssignment, form=None, errors=None):
    criteria = assignment.entry.round.criteria.all()
    saved = {score.criterion_id: score for score in assignment.scores.all()}
    errors = errors or {}
    rows = []
    for criterion in criteria:
        score = saved.get(criterion.pk)
        if form is not None:
            value = form[f"score_{criterion.pk}"].value() or ""
            comment = form[f"comment_{criterion.pk}"].value() or ""
        else:
            value = "" if score is None else score.value.normalize()
            comment = "" if score is None else score.comment
        rows.append(
            {
                "criterion": criterion,
                "value": value,
                "comment": comment,
                "errors": errors.get(str(criterion.pk), []),
                "comment_errors": errors.get(f"comment_{criterion.pk}", []),
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def judging_score(request, pk):
    assignment = get_object_or_404(
        JudgeAssignment.objects.select_related("entry__round__event", "entry__company"),
        pk=pk,
        judge=request.user,
    )
    context = {"assignment": assignment, "entry": assignment.entry, "round": assignment.entry.round}
    if request.method == "POST":
        form = ScoreSheetForm(request.POST, criteria=assignment.entry.round.criteria.all())
        errors = None if form.is_valid() else form.sheet_errors()
        submit = errors is None and form.cleaned_data["action"] == "submit"
        if errors is None:
            try:
                judging.score_submit(
                    assignment=assignment, scores=form.scores(), judge=request.user, submit=submit
                )
            except ValidationError as error:
                by_field = hasattr(error, "error_dict")
                errors = error.message_dict if by_field else {"": error.messages}
        if errors is not None:
            context["rows"] = _score_rows(assignment, form, errors)
            context["sheet_errors"] = errors.get("", []) + errors.get("__all__", [])
            return render(request, "events/judging/score.html", context, status=400)
        if submit:
            messages.success(request, _("Your scores are submitted. Thank you."))
            return redirect("events:judging-home")
        messages.success(request, _("Your scores are saved; submit them when you are ready."))
        return redirect("events:judging-score", pk)
    context["rows"] = _score_rows(assignment)
    return render(request, "events/judging/score.html", context)


# --- Staff: judges, results, publication --------------------------------------------------


def _round(pk: int) -> CompetitionRound:
    return get_object_or_404(CompetitionRound.objects.select_related("event"), pk=pk)


def _render_assign(request, round_: CompetitionRound, form=None, status=200):
    entries = round_.entries.select_related("company").prefetch_related("judge_assignments__judge")
    return render(
        request,
        "events/judging/assign.html",
        {"round": round_, "entries": entries, "form": form or JudgeAssignForm(round_=round_)},
        status=status,
    )


@staff_view("events.add_judgeassignment")
@require_http_methods(["GET", "POST"])
def judging_assign(request, pk):
    round_ = _round(pk)
    if request.method == "GET":
        return _render_assign(request, round_)
    form = JudgeAssignForm(request.POST, round_=round_)
    if form.is_valid():
        judge = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if judge is None:
            form.add_error("email", _("No portal account has this e-mail address."))
        else:
            try:
                judging.judge_assign(
                    entry=form.cleaned_data["entry"], judge=judge, actor=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(judge)s now judges %(entry)s.")
                    % {"judge": judge, "entry": form.cleaned_data["entry"].title},
                )
                return redirect("events:judging-assign", pk)
    return _render_assign(request, round_, form=form, status=400)


@staff_view("events.delete_judgeassignment")
@require_POST
def judging_unassign(request, pk, assignment_id):
    assignment = get_object_or_404(JudgeAssignment, pk=assignment_id, entry__round_id=pk)
    try:
        judging.judge_unassign(assignment=assignment, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The assignment is removed."))
    return redirect("events:judging-assign", pk)


@staff_view("events.view_judgeassignment")
@require_GET
def judging_results(request, pk):
    round_ = _round(pk)
    return render(
        request,
        "events/judging/results.html",
        {
            "round": round_,
            "results": judging.round_results(round=round_),
            "can_release": request.user.has_perm("events.change_competitionround"),
        },
    )


@staff_view("events.change_competitionround")
@require_POST
def judging_release(request, pk):
    round_ = _round(pk)
    try:
        judging.round_release(round=round_, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The results are published."))
    return redirect("events:judging-results", pk)


@require_GET
def competition_results(request, pk):
    round_ = get_object_or_404(
        CompetitionRound.objects.select_related("event"),
        pk=pk,
        released_at__isnull=False,
        event__status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED],
    )
    results = judging.round_results(round=round_)
    return render(
        request,
        "events/judging/public_results.html",
        {"round": round_, "rows": [row for row in results.rows if row.rank is not None]},
    )
