"""The events pages: browse and register (portal), badges, calendars; check-in at the door,
online attendance and delegation programmes (staff).

Anyone may browse published events; registering needs a portal account of a startup
member or a partner person. An event a person may not see (a draft, for non-staff) is a
404 everywhere, its calendar file included.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events import checkin_services, ics, policies, selectors, services
from events.feeds import selectors as feed_selectors
from events.forms import (
    FROM_CHECK_IN,
    AttendanceForm,
    CheckInForm,
    CheckInSearchForm,
    EventFilterForm,
    RegistrationForm,
)
from events.models import Delegation, Event, OnlineSession, Registration
from events.online import services as online
from incubator import times

# Another part of the events app (1:1 meetings) shows its panel on the event page when it
# provides this template; the page works without it.
MEETING_PANEL_TEMPLATE = "events/meetings/event_panel.html"


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


def _visible_event(request, pk: int) -> Event:
    try:
        return selectors.event_detail(pk=pk, user=request.user)
    except Event.DoesNotExist:
        raise Http404 from None


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _meeting_panel() -> str | None:
    try:
        return select_template([MEETING_PANEL_TEMPLATE]).template.name
    except TemplateDoesNotExist:
        return None


# --- Browsing -------------------------------------------------------------------------


@require_GET
def event_list(request):
    form = EventFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    page = Paginator(selectors.event_list_upcoming(kind=kind or None), 20).get_page(
        request.GET.get("page")
    )
    for event in page:
        event.places_left = selectors.places_left(event)
    return render(
        request, "events/event_list.html", {"form": form, "page": page, "kind": kind or ""}
    )


def _render_detail(request, event: Event, *, form=None, status: int = 200):
    user = request.user
    registration = selectors.registration_of(event=event, user=user)
    kind = services.registration_kind_for(user)
    if form is None and kind == Registration.Kind.STARTUP:
        form = RegistrationForm()
    context = {
        "event": event,
        "places_left": selectors.places_left(event),
        "registration": registration,
        "registration_state": selectors.registration_state(registration),
        "may_cancel": registration is not None
        and policies.can_cancel_registration(user, registration),
        "registrant_kind": kind,
        "form": form,
        "registration_open": event.is_registration_open(),
        "sessions": list(selectors.online_sessions(event=event))
        if event.kind == Event.Kind.ONLINE_PROGRAMME
        else [],
        "show_links": policies.can_see_online_link(user, event, registration),
        "is_staff_viewer": user.is_staff and user.has_perm("events.view_registration"),
        "delegations": list(event.delegations.all())
        if user.is_staff and event.kind == Event.Kind.DELEGATION_VISIT
        else [],
        "meeting_panel": _meeting_panel(),
    }
    return render(request, "events/event_detail.html", context, status=status)


@require_GET
def event_detail(request, pk):
    return _render_detail(request, _visible_event(request, pk))


@login_required
@require_POST
def event_register(request, pk):
    event = _visible_event(request, pk)
    form = None
    languages = None
    if services.registration_kind_for(request.user) == Registration.Kind.STARTUP:
        form = RegistrationForm(request.POST)
        if not form.is_valid():
            return _render_detail(request, event, form=form, status=400)
        languages = form.languages()
    try:
        registration = services.registration_create(
            event=event, user=request.user, languages=languages
        )
    except ValidationError as error:
        _errors(request, error)
        return _render_detail(request, _visible_event(request, pk), form=form, status=400)
    if registration.status == Registration.Status.WAITLISTED:
        messages.warning(
            request,
            _(
                "The event is full: you are on the waitlist, position %(n)s. "
                "We e-mail you as soon as a place frees."
            )
            % {"n": registration.waitlist_position},
        )
    elif event.held_online:
        # Nobody comes to a door: no badge, the links to join are on the event's page.
        messages.success(
            request,
            _("You are registered for %(event)s. The links to join are on this page.")
            % {"event": event.title},
        )
    else:
        messages.success(
            request,
            _("You are registered for %(event)s. Your badge code is %(code)s.")
            % {"event": event.title, "code": registration.badge_code},
        )
    return redirect("events:event-detail", event.pk)


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = get_object_or_404(
        Registration.objects.select_related("event"), event_id=pk, user=request.user
    )
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("Your registration for %(event)s is cancelled.")
            % {"event": registration.event.title},
        )
    return redirect("events:event-detail", pk)


@login_required
@require_GET
def my_events(request):
    registrations = list(selectors.registrations_of_user(request.user, include_cancelled=True))
    now = timezone.now()
    return render(
        request,
        "events/my_events.html",
        {
            "upcoming": [r for r in registrations if r.event.ends_at > now],
            # The last event first: the one a person looks back for.
            "past": [r for r in registrations[::-1] if r.event.ends_at <= now],
        },
    )


# --- Calendars --------------------------------------------------------------------------


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def event_ics(request, pk):
    event = _visible_event(request, pk)
    url = request.build_absolute_uri(reverse("events:event-detail", args=[pk]))
    registration = selectors.registration_of(event=event, user=request.user)
    items = ics.event_items(
        event, url=url, online_link=policies.can_see_online_link(request.user, event, registration)
    )
    content = ics.calendar_for(items, name=event.title)
    return _calendar_response(content, f"event-{event.pk}.ics")


@login_required
@require_GET
def my_agenda_ics(request):
    """Download what the person's calendar feed lists: their events and their 1:1 meetings."""

    def url_of(name):
        return lambda pk: request.build_absolute_uri(reverse(name, args=[pk]))

    items = feed_selectors.user_feed_items(
        request.user,
        event_url=url_of("events:event-detail"),
        agenda_url=url_of("events:meeting-agenda"),
    )
    return _calendar_response(
        ics.calendar_for(items, name=_("My events at the center")), "my-agenda.ics"
    )


# --- Badges -----------------------------------------------------------------------------


@login_required
@require_GET
def badge(request, pk):
    """Show a printable badge to its holder, and to the staff at the door."""
    try:
        registration = selectors.badge(pk=pk)
    except Registration.DoesNotExist:
        raise Http404 from None
    if not policies.can_see_badge(request.user, registration):
        # Staff who read registrations know the badge exists: they are told it is not theirs.
        if request.user.is_staff and request.user.has_perm("events.view_registration"):
            raise PermissionDenied(_("Badges are printed by the staff who check people in."))
        raise Http404
    return render(request, "events/badge.html", {"registration": registration})


# --- Staff: check-in, attendance, delegations --------------------------------------------


def _checked_in_time(registration: Registration, event: Event) -> str:
    """Return the time of the check-in in the event's zone, named, with its date unless it
    is today there: the desk and the coordinator may be in the other country."""
    zone = event.time_zone
    today = timezone.localdate(timezone=event.tzinfo)
    on_another_day = timezone.localdate(registration.checked_in_at, event.tzinfo) != today
    return times.span(registration.checked_in_at, None, zone, with_date=on_another_day)


def _check_in(request, event: Event, registration: Registration) -> None:
    try:
        registration, newly = checkin_services.registration_check_in(
            registration=registration, actor=request.user
        )
    except ValidationError as error:
        _errors(request, error)
        return
    words = {"name": registration.name, "time": _checked_in_time(registration, event)}
    if newly:
        messages.success(request, _("Checked in: %(name)s at %(time)s.") % words)
    else:
        messages.warning(request, _("%(name)s is already checked in, at %(time)s.") % words)


def _undo_check_in(request, registration: Registration) -> None:
    try:
        checkin_services.registration_check_in_undo(registration=registration, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("The check-in of %(name)s is undone.") % {"name": registration.name}
        )


def _walk_in_url(event: Event, query: str) -> str:
    """The admin's add page for a guest at the door: the event chosen, the name that was
    searched for typed in, and saved, back to this page (`FROM_CHECK_IN`)."""
    # A badge code or an address searched for is no name to print on a badge.
    name = "" if selectors.is_badge_code(query) or "@" in query else query.strip()
    fields = {"event": event.pk, **({"name": name} if name else {}), FROM_CHECK_IN: 1}
    return f"{reverse('admin:events_registration_add')}?{urlencode(fields)}"


@staff_view("events.change_registration")
@require_http_methods(["GET", "POST"])
def check_in(request, pk):
    event = get_object_or_404(Event, pk=pk)
    if request.method == "POST":
        form = CheckInForm(request.POST, event=event)
        if not form.is_valid():
            raise Http404
        if request.POST.get("undo"):
            _undo_check_in(request, form.cleaned_data["registration"])
        else:
            _check_in(request, event, form.cleaned_data["registration"])
        return redirect("events:check-in", event.pk)
    form = CheckInSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.checkin_search(event=event, query=query) if query else []
    return render(
        request,
        "events/check_in.html",
        {
            "event": event,
            "form": form,
            "query": query,
            "results": results,
            "counts": selectors.checkin_counts(event=event),
            "door_closed_because": policies.check_in_refused_because(event),
            "walk_in_url": _walk_in_url(event, query)
            if policies.can_add_guest(request.user, event)
            else None,
        },
    )


@staff_view("events.add_sessionattendance")
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk, session_id):
    session = get_object_or_404(
        OnlineSession.objects.select_related("event"), pk=session_id, event_id=pk
    )
    form = AttendanceForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = online.session_attendance_set(
                session=session,
                registration_ids=[r.pk for r in form.cleaned_data["attendees"]],
                actor=request.user,
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _("Attendance saved: %(added)s added, %(removed)s removed.")
                % {"added": added, "removed": removed},
            )
            return redirect("events:session-attendance", pk, session.pk)
    if request.method == "GET":
        attended = session.attendances.values_list("registration_id", flat=True)
        form = AttendanceForm(initial={"attendees": list(attended)}, session=session)
    return render(
        request,
        "events/session_attendance.html",
        {"session": session, "event": session.event, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_view("events.view_delegation")
@require_GET
def delegation_programme(request, pk):
    try:
        delegation = selectors.delegation_programme(pk=pk)
    except Delegation.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "events/delegation_programme.html",
        {"delegation": delegation, "zone": delegation.time_zone},
    )
