"""The staff side of events; the sub-packages' admins (matching, judging) register theirs.

Nothing here writes a row itself: events are created and changed by `event_create` /
`event_update`, published, cancelled (with a reason, registrants told) and completed on
action pages, and deleted by `event_delete` only when nobody is to be told; their slots,
sessions and rounds are saved by their services (`events.admin_mixins.ServiceAdmin`);
registrations are added, corrected, checked in and cancelled through `events.services`
(adding takes a place or a waitlist position under the event lock, cancelling promotes
the waitlist), and are never deleted, so the waitlist always moves. A delegation's programme
is e-mailed to its members on an action page (`delegation_programme_send`).

An event's times, and its rows' (slots, sessions, rounds' deadlines), are typed and shown
in the event's own zone, not the staff member's (`TimesInEventZone`).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events import policies, selectors, services
from events.admin_mixins import (
    IN_DELEGATION_ZONE,
    EventZoneHelp,
    ReadOnlyAdmin,
    TimesInEventZone,
    on_own_page,
)
from events.admin_mixins import zone_of as _zone_of
from events.delegations import messages as delegation_messages
from events.delegations import services as delegations
from events.exports import REGISTRATION_COLUMNS

# The sub-packages' admins register their models with the same site.
from events.feeds.admin import CalendarFeedAdmin  # noqa: F401
from events.forms import FROM_CHECK_IN, RegistrationAddForm
from events.judging.admin import CompetitionRoundInline
from events.matching.admin import MeetingSlotInline
from events.models import (
    Delegation,
    DelegationMember,
    DelegationProgrammeItem,
    Event,
    OnlineSession,
    Registration,
    SessionAttendance,
    TimeZone,
)
from events.online import services as online
from events.reports import held
from incubator import times
from incubator.admin_mixins import (
    ActionPages,
    InlineRowsLoaded,
    PageRows,
    Rows,
    ServiceAdmin,
    ServiceInline,
    call_service,
    one_choice_filter,
    through_services,
)
from incubator.exports import ExportAdminMixin
from incubator.multilingual import LANGUAGES, translated_names

TITLES = translated_names("title")
NAMES = translated_names("name")
VENUES = translated_names("venue")


SESSIONS = Rows("session", online.online_session_save, online.online_session_delete)


class OnlineSessionInline(EventZoneHelp, ServiceInline):
    model = OnlineSession
    rows = SESSIONS
    fields = [*TITLES, "starts_at", "ends_at", "link"]


# The matching and judging rooms' inlines, as the event page shows them: read in its zone
# (`TimesInEventZone`), and saying so beside their times.
class EventMeetingSlotInline(EventZoneHelp, MeetingSlotInline):
    pass


class EventCompetitionRoundInline(EventZoneHelp, CompetitionRoundInline):
    pass


# The kind of event whose page shows each inline (`EventAdmin.get_inlines`).
KIND_OF_INLINE = {
    EventMeetingSlotInline: Event.Kind.MATCHING_SESSION,
    OnlineSessionInline: Event.Kind.ONLINE_PROGRAMME,
    EventCompetitionRoundInline: Event.Kind.COMPETITION,
}


class EventCancelForm(forms.Form):
    """The reason in each language, as the event's own texts: each registered and waitlisted
    person reads theirs, or another language's by the usual fallback (`event_cancel`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, language in LANGUAGES.items():
            self.fields[f"reason_{code}"] = forms.CharField(
                label=format_lazy("{} ({})", _("reason"), language),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
        self.fields["reason_en"].help_text = _(
            "Each registered and waitlisted person gets the reason by e-mail in their language. "
            "Fill in at least one: whoever reads a language left empty gets another language's "
            "text as typed."
        )

    def clean(self):
        reasons = {code: self.cleaned_data.get(f"reason_{code}", "").strip() for code in LANGUAGES}
        if not any(reasons.values()):
            raise ValidationError(_("Write why the event is cancelled, in at least one language."))
        # What `event_cancel` takes.
        return {"reason": reasons}


class ConfirmForm(forms.Form):
    """An action page's form with nothing to fill in: the button confirms."""


def _promoted_message(request, admin_, promoted) -> None:
    if promoted:
        admin_.message_user(
            request,
            ngettext(
                "%(n)d person moved from the waitlist to a place.",
                "%(n)d people moved from the waitlist to a place.",
                len(promoted),
            )
            % {"n": len(promoted)},
        )


def _told_message(request, admin_, told: int) -> None:
    # The save e-mailed people: the coordinator hears how many, as after a cancel.
    if told:
        admin_.message_user(
            request,
            ngettext(
                "%(n)d registrant is told of the change by e-mail.",
                "%(n)d registrants are told of the change by e-mail.",
                told,
            )
            % {"n": told},
        )


# Events held as the KPI report counts them: completed, or published and over.
HeldFilter = one_choice_filter(
    "held", _("held"), ("yes", _("held")), lambda events: events.filter(held())
)


@admin.register(Event)
class EventAdmin(TimesInEventZone, PageRows, ActionPages, ServiceAdmin):
    list_display = [
        "__str__",
        "kind",
        "status",
        "when",
        "time_zone",
        "capacity",
        "registered_count",
        "waitlisted_count",
        "places_left",
        "portal_links",
    ]
    list_filter = ["kind", "status", HeldFilter, "time_zone"]
    search_fields = [*TITLES, *VENUES]
    date_hierarchy = "starts_at"
    # The status moves on its action pages (publish, cancel, complete), through the services.
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]
    actions = ["fill_places"]
    fieldsets = [
        (None, {"fields": ["kind", "status"]}),
        (_("Title"), {"fields": TITLES}),
        (_("Description"), {"fields": translated_names("description")}),
        (
            _("When and where"),
            {"fields": ["starts_at", "ends_at", "time_zone", *VENUES, "online_url"]},
        ),
        (_("Registration"), {"fields": ["capacity", "registration_deadline"]}),
        (
            _("Matching session"),
            {
                "fields": ["meeting_tables", "interpreters_per_slot", "meeting_requests_deadline"],
                "classes": ["collapse"],
            },
        ),
        (_("Record"), {"fields": ["created_by", "created_at", "updated_at"]}),
    ]
    inlines = [EventMeetingSlotInline, OnlineSessionInline, EventCompetitionRoundInline]
    rows = Rows(
        "event",
        delete=services.event_delete,
        may_delete=policies.can_delete_event,
        kept_because=policies.event_kept_because,
    )

    def times_zone(self, request, object_id):
        # The zone chosen on the form, else the saved one, else the one a new event starts with.
        sent = request.POST.get("time_zone")
        if sent in TimeZone.values:
            return sent
        if object_id is None:
            return Event._meta.get_field("time_zone").get_default()
        return _zone_of(Event.objects, object_id)

    @admin.display(description=_("when"), ordering="starts_at")
    def when(self, event):
        return times.span(event.starts_at, event.ends_at, event.time_zone)

    def page_rows(self, request, rows):
        counts = selectors.registration_counts([event.pk for event in rows])
        # The door page is for those who check people in; others get no link to a refusal.
        may_check_in = policies.can_check_in(request.user, None)
        for event in rows:
            event.registered, event.waitlisted = counts.get(event.pk, (0, 0))
            event.may_check_in = may_check_in

    @admin.display(
        description=_("registered"),
        ordering=selectors.registrations_counted(Registration.Status.REGISTERED),
    )
    def registered_count(self, event):
        return event.registered

    @admin.display(
        description=_("waitlisted"),
        ordering=selectors.registrations_counted(Registration.Status.WAITLISTED),
    )
    def waitlisted_count(self, event):
        return event.waitlisted

    @admin.display(description=_("places left"))
    def places_left(self, event):
        if event.capacity is None:
            return "—"
        return max(event.capacity - event.registered, 0)

    @admin.display(description=_("pages"))
    def portal_links(self, event):
        page = format_html(
            '<a href="{}">{}</a>', reverse("events:event-detail", args=[event.pk]), gettext("page")
        )
        if not getattr(event, "may_check_in", False):
            return page
        return format_html(
            '{} · <a href="{}">{}</a>',
            page,
            reverse("events:check-in", args=[event.pk]),
            gettext("check-in"),
        )

    @through_services
    @admin.action(description=_("Give free places to the waitlist"), permissions=["change"])
    def fill_places(self, request, queryset):
        promoted = sum(
            len(services.event_fill_places(event=event, actor=request.user)) for event in queryset
        )
        self.message_user(
            request,
            ngettext(
                "%(n)d person moved from the waitlist to a place.",
                "%(n)d people moved from the waitlist to a place.",
                promoted,
            )
            % {"n": promoted},
        )

    @through_services
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in data}
            saved = services.event_update(event=obj, actor=request.user, data=changes)
            _promoted_message(request, self, getattr(saved, "promoted", []))
            _told_message(request, self, getattr(saved, "told", 0))
        else:
            saved = services.event_create(actor=request.user, data=dict(data))
        # The admin goes on with `obj` (its inlines, its log entry): make it the saved row.
        obj.__dict__.update(saved.__dict__)

    # --- Action pages: the status, through the services ---------------------------------

    def get_urls(self):
        pages = [
            ("publish", self.publish_view),
            ("cancel", self.cancel_view),
            ("complete", self.complete_view),
        ]
        return [
            *[
                path(
                    f"<path:object_id>/{name}/",
                    self.admin_site.admin_view(self.action_view(view)),
                    name=f"events_event_{name}",
                )
                for name, view in pages
            ],
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        event = self.get_object(request, object_id)
        if event is not None:
            extra_context = {
                **(extra_context or {}),
                "can_publish": policies.can_publish_event(request.user, event),
                "can_cancel": policies.can_cancel_event(request.user, event),
                "can_complete": policies.can_complete_event(request.user, event),
            }
            if request.method == "POST":
                # A form sent back with errors: Django names the page after its object with
                # what was typed (a date not saved); the heading names the saved event.
                extra_context |= {"subtitle": str(event), "original": event}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_inlines(self, request, obj):
        # Only the rows of the event's kind: slots for a matching session, sessions for an
        # online programme, rounds for a competition; none until the kind is saved.
        kind = getattr(obj, "kind", None)
        return [inline for inline in self.inlines if KIND_OF_INLINE.get(inline) == kind]

    def _status_page(
        self,
        request,
        object_id,
        *,
        allowed,
        status,
        service,
        form_class,
        title,
        done,
        submit_label,
    ):
        event = self.action_object(
            request,
            object_id,
            allowed=lambda request, event: allowed(request.user, event),
            refused_because=lambda request, event: policies.event_move_refused_because(
                request.user, event, status
            ),
        )
        # Bound on every POST: the confirm form has no field, so its POST may be empty.
        form = form_class(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            if call_service(form, service, event=event, actor=request.user, **form.cleaned_data):
                return self.action_done(request, event, done)
        registered, waitlisted = selectors.registration_counts([event.pk]).get(event.pk, (0, 0))
        return self.action_page(
            request,
            event,
            title=title % {"event": event},
            template="admin/events/event/status_page.html",
            form=form,
            submit_label=submit_label,
            # Who holds a place and who waits: a cancel e-mails both.
            counts={"registered": registered, "waitlisted": waitlisted},
            tells_registrants=status == Event.Status.CANCELLED,
        )

    def publish_view(self, request, object_id):
        return self._status_page(
            request,
            object_id,
            allowed=policies.can_publish_event,
            status=Event.Status.PUBLISHED,
            service=services.event_publish,
            form_class=ConfirmForm,
            title=gettext("Publish %(event)s"),
            done=gettext("The event is published."),
            submit_label=gettext("Publish the event"),
        )

    def cancel_view(self, request, object_id):
        return self._status_page(
            request,
            object_id,
            allowed=policies.can_cancel_event,
            status=Event.Status.CANCELLED,
            service=services.event_cancel,
            form_class=EventCancelForm,
            title=gettext("Cancel %(event)s"),
            done=gettext("The event is cancelled; its registrants are told by e-mail."),
            submit_label=gettext("Cancel the event"),
        )

    def complete_view(self, request, object_id):
        return self._status_page(
            request,
            object_id,
            allowed=policies.can_complete_event,
            status=Event.Status.COMPLETED,
            service=services.event_complete,
            form_class=ConfirmForm,
            title=gettext("Complete %(event)s"),
            done=gettext("The event is marked as completed."),
            submit_label=gettext("Mark as completed"),
        )


SERVICE_OWNED = [
    "status",
    "waitlist_position",
    "badge_code",
    "checked_in_at",
    "checked_in_by",
    "cancelled_at",
    "created_at",
]


@admin.register(Registration)
class RegistrationAdmin(ExportAdminMixin, ServiceAdmin):
    list_display = [
        "name",
        "event",
        "kind",
        "status",
        "waitlist_position",
        "badge_code",
        "checked_in_at",
    ]
    list_filter = ["status", "kind", "event__kind", "speaks_ko", "speaks_zh", "speaks_en"]
    list_select_related = ["event"]
    # What the search box searches; `get_search_results` asks each of its index.
    search_fields = ["^search_name", "=badge_code", "guest_email", "user__email"]
    search_help_text = _("The first letters of the name, a badge code or an e-mail address.")
    # A search's page counts what it found, not every registration besides.
    show_full_result_count = False
    export_columns = REGISTRATION_COLUMNS
    autocomplete_fields = ["event", "user", "company", "partner_organisation", "checked_in_by"]
    actions = ["check_in", "cancel"]
    fieldsets = [
        (None, {"fields": ["event", "kind", "status", "waitlist_position"]}),
        (
            _("Who"),
            {
                "fields": [
                    "name",
                    "user",
                    "company",
                    "partner_organisation",
                    "guest_email",
                    "affiliation",
                ]
            },
        ),
        (_("Languages"), {"fields": ["speaks_ko", "speaks_zh", "speaks_en"]}),
        (_("Check-in"), {"fields": ["badge_code", "checked_in_at", "checked_in_by", "badge"]}),
        (_("Record"), {"fields": ["notes", "created_at", "cancelled_at"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["event"]}),
        (_("An account"), {"fields": ["user"]}),
        (_("Or a guest"), {"fields": ["name", "guest_email", "affiliation", "over_capacity"]}),
        (_("Languages"), {"fields": ["speaks_ko", "speaks_zh", "speaks_en"]}),
        (None, {"fields": ["notes"]}),
    ]

    def get_list_display(self, request):
        # The badge code is what the door scans: a column only for those who read every
        # badge (events.policies), not for staff who only read registrations.
        if policies.can_see_badges(request.user):
            return self.list_display
        return [name for name in self.list_display if name != "badge_code"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if policies.can_see_badge(request.user, obj):
            return self.fieldsets
        # The badge, its code and the link to its page are the door's: only for those the
        # badge page opens for.
        hidden = {"badge_code", "badge"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in self.fieldsets
        ]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if not policies.can_see_badges(request.user):
            changelist.search_help_text = gettext(
                "The first letters of the name or an e-mail address."
            )
        return changelist

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        # Who reads no badge finds nobody by a badge code: the search would say whose it is.
        condition = selectors.registration_search(
            search_term, by_badge_code=policies.can_see_badges(request.user)
        )
        return queryset.filter(condition), False

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = RegistrationAddForm
        return super().get_form(request, obj, **kwargs)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        # Added from the door (`events.views.check_in`'s link): back to the door, the new
        # person found by their badge code, ready to check in; not the list of everyone.
        plain_save = not {"_continue", "_addanother", IS_POPUP_VAR} & set(request.POST)
        if request.GET.get(FROM_CHECK_IN) and plain_save:
            door = reverse("events:check-in", args=[obj.event_id])
            return HttpResponseRedirect(f"{door}?{urlencode({'q': obj.badge_code})}")
        return response

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Who registered, and the state the services own, do not change by hand.
        return [
            "event",
            "kind",
            "user",
            "company",
            "partner_organisation",
            "guest_email",
            *SERVICE_OWNED,
            "badge",
        ]

    @admin.display(description=_("badge"))
    def badge(self, registration):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("events:badge", args=[registration.pk]),
            gettext("Show and print the badge"),
        )

    def has_delete_permission(self, request, obj=None):
        # Cancelled through the service, so that the waitlist moves; the row stays (it goes
        # only with its event or its account).
        if on_own_page(request, self):
            return False
        return super().has_delete_permission(request, obj)

    @through_services
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in data}
            saved = services.registration_update(registration=obj, actor=request.user, data=changes)
            obj.__dict__.update(saved.__dict__)
            return
        if data["user"] is not None:
            registration = services.registration_create(
                event=data["event"],
                user=data["user"],
                languages=form.languages() or None,
                actor=request.user,
            )
            if data["notes"]:
                registration = services.registration_update(
                    registration=registration, actor=request.user, data={"notes": data["notes"]}
                )
        else:
            registration = services.registration_create_guest(
                event=data["event"],
                name=data["name"],
                email=data["guest_email"],
                affiliation=data["affiliation"],
                languages=form.languages(),
                notes=data["notes"],
                over_capacity=data.get("over_capacity", False),
                actor=request.user,
            )
        # The admin goes on with `obj` (its log entry, its redirect): make it the saved row.
        obj.__dict__.update(registration.__dict__)
        if registration.status == Registration.Status.WAITLISTED:
            self.message_user(
                request,
                gettext("The event is full: %(name)s is on the waitlist, position %(n)s.")
                % {"name": registration.name, "n": registration.waitlist_position},
                messages.WARNING,
            )

    def _each(self, request, queryset, call) -> tuple[int, list[str]]:
        done, refused = 0, []
        for registration in queryset.select_related("event"):
            try:
                if call(registration):
                    done += 1
            except ValidationError as error:
                refused.append(f"{registration.name}: {' '.join(error.messages)}")
        for message in refused:
            self.message_user(request, message, messages.WARNING)
        return done, refused

    @through_services
    @admin.action(description=_("Check in the selected people"), permissions=["change"])
    def check_in(self, request, queryset):
        done, _refused = self._each(
            request,
            queryset,
            lambda r: services.registration_check_in(registration=r, actor=request.user)[1],
        )
        self.message_user(
            request,
            ngettext("%(n)d person checked in.", "%(n)d people checked in.", done) % {"n": done},
        )

    @through_services
    @admin.action(description=_("Cancel the selected registrations…"), permissions=["change"])
    def cancel(self, request, queryset):
        # Cancelling e-mails each person at once: a page says who, and its button confirms.
        if "_confirm" not in request.POST:
            return TemplateResponse(
                request,
                "admin/events/registration/cancel_selected.html",
                {
                    **self.admin_site.each_context(request),
                    "title": gettext("Cancel registrations"),
                    "opts": self.opts,
                    "registrations": queryset.select_related("event"),
                    "action": request.POST.get("action", ""),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "media": self.media,
                },
            )
        done, _refused = self._each(
            request,
            queryset,
            lambda r: services.registration_cancel(registration=r, actor=request.user),
        )
        self.message_user(
            request,
            ngettext(
                "%(n)d registration cancelled; the waitlist moved up.",
                "%(n)d registrations cancelled; the waitlist moved up.",
                done,
            )
            % {"n": done},
        )


@admin.register(OnlineSession)
class OnlineSessionAdmin(TimesInEventZone, PageRows, ServiceAdmin):
    rows = SESSIONS
    list_display = ["__str__", "event", "when", "attendance_link"]
    list_select_related = ["event"]
    search_fields = [*TITLES, *[f"event__{t}" for t in TITLES]]
    autocomplete_fields = ["event"]
    date_hierarchy = "starts_at"

    def times_zone(self, request, object_id):
        # The event sent with the form, else the session's; none chosen yet: the person's own.
        return _zone_of(Event.objects, request.POST.get("event")) or _zone_of(
            OnlineSession.objects, object_id, "event__time_zone"
        )

    @admin.display(description=_("when"), ordering="starts_at")
    def when(self, session):
        return times.span(session.starts_at, session.ends_at, session.event.time_zone)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attended=Count("attendances"))

    def page_rows(self, request, rows):
        for session in rows:
            session.may_record = policies.can_record_attendance(request.user, session)

    @admin.display(description=_("attendance"), ordering="attended")
    def attendance_link(self, session):
        # Who records attendance opens the session's page; who reads, the attendance list.
        if getattr(session, "may_record", False):
            url = reverse("events:session-attendance", args=[session.event_id, session.pk])
        else:
            url = reverse("admin:events_sessionattendance_changelist") + (
                f"?session__id__exact={session.pk}"
            )
        return format_html(
            '<a href="{}">{}</a>',
            url,
            ngettext("%(n)d person", "%(n)d people", session.attended) % {"n": session.attended},
        )


@admin.register(SessionAttendance)
class SessionAttendanceAdmin(ReadOnlyAdmin):
    """Attendance, read-only: the session's attendance page records it (a service)."""

    list_display = ["registration", "session", "joined_at", "left_at", "recorded_by"]
    list_select_related = ["registration", "session", "recorded_by"]
    search_fields = ["registration__search_name"]


class DelegationMemberInline(InlineRowsLoaded, admin.TabularInline):
    model = DelegationMember
    extra = 0
    fields = [
        "name",
        "role",
        "position",
        "company",
        "organisation_name",
        "email",
        "language",
        "phone",
    ]
    autocomplete_fields = ["company"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("company")


class DelegationProgrammeItemInline(EventZoneHelp, admin.TabularInline):
    zone_help = IN_DELEGATION_ZONE
    model = DelegationProgrammeItem
    extra = 0
    fields = ["starts_at", "ends_at", *TITLES, *translated_names("place"), "host"]
    autocomplete_fields = ["host"]


@admin.register(Delegation)
class DelegationAdmin(TimesInEventZone, ActionPages, ServiceAdmin):
    zone_help = IN_DELEGATION_ZONE
    list_display = [
        "__str__",
        "arrives_at",
        "departs_at",
        "host_organisation",
        "member_count",
        "programme_link",
    ]
    list_select_related = ["host_organisation"]
    search_fields = NAMES
    date_hierarchy = "arrives_at"
    autocomplete_fields = ["event", "host_organisation", "coordinator"]
    # The name first: the form is long, with two inlines below.
    fields = [
        *NAMES,
        "event",
        "arrives_at",
        "departs_at",
        "host_organisation",
        "coordinator",
        "notes",
    ]
    inlines = [DelegationMemberInline, DelegationProgrammeItemInline]

    def times_zone(self, request, object_id):
        # The event sent with the form, else the saved delegation's; no event: the center's.
        if "event" in request.POST:
            zone = _zone_of(Event.objects, request.POST["event"])
        else:
            zone = _zone_of(Delegation.objects, object_id, "event__time_zone")
        return zone or Delegation.CENTER_ZONE

    rows = Rows("delegation", delete=delegations.delegation_delete)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members_total=Count("members"))

    @admin.display(description=_("members"), ordering="members_total")
    def member_count(self, delegation):
        return delegation.members_total

    @admin.display(description=_("programme"))
    def programme_link(self, delegation):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("events:delegation-programme", args=[delegation.pk]),
            gettext("printable programme"),
        )

    @through_services
    def save_model(self, request, obj, form, change):
        # Saved with its members and programme in `save_related`, by one service call.
        pass

    @through_services
    def save_related(self, request, form, formsets, change):
        delegations.delegation_save(
            delegation=form.instance,
            actor=request.user,
            fields=form.changed_data if change else (),
            parts=formsets,
        )

    # --- Action page: the programme e-mailed to the members, through the service ---------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/send-programme/",
                self.admin_site.admin_view(self.action_view(self.programme_send_view)),
                name="events_delegation_send_programme",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_send_programme": policies.can_send_delegation_programme(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def programme_send_view(self, request, object_id):
        # Who may send it is refused (403); a delegation with nothing to send goes back to
        # its page, which says what is missing.
        delegation = self.action_object(
            request,
            object_id,
            allowed=lambda request, delegation: (
                policies.can_send_delegation_programme(request.user, delegation)
                and policies.delegation_programme_unsendable_because(delegation) is None
            ),
            refused_because=lambda request, delegation: (
                policies.delegation_programme_unsendable_because(delegation)
                if policies.can_send_delegation_programme(request.user, delegation)
                else None
            ),
        )
        # Bound on every POST: the confirm form has no field, so its POST may be empty.
        form = ConfirmForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            done = call_service(
                form,
                delegations.delegation_programme_send,
                delegation=delegation,
                actor=request.user,
            )
            if done:
                return self._programme_sent(request, delegation, done)
        return self.action_page(
            request,
            delegation,
            title=gettext("Send the programme of %(delegation)s") % {"delegation": delegation},
            template="admin/events/delegation/send_programme.html",
            form=form,
            submit_label=gettext("E-mail the programme to the members"),
            plan=delegation_messages.programme_plan(delegation),
            languages=dict(settings.LANGUAGES),
        )

    def _programme_sent(self, request, delegation, done):
        if not done.sent:
            self.message_user(
                request,
                gettext(
                    "Every member with an address has this version of the programme already: "
                    "nobody is e-mailed again. Change the programme to send a new version."
                ),
                messages.WARNING,
            )
            return redirect(self._change_url(delegation))
        if done.had_it:
            self.message_user(
                request,
                ngettext(
                    "%(n)d member has this version already and is not e-mailed again.",
                    "%(n)d members have this version already and are not e-mailed again.",
                    len(done.had_it),
                )
                % {"n": len(done.had_it)},
            )
        return self.action_done(
            request,
            delegation,
            ngettext(
                "The programme is e-mailed to %(n)d member.",
                "The programme is e-mailed to %(n)d members.",
                len(done.sent),
            )
            % {"n": len(done.sent)},
        )


# Members and programme items have no pages of their own: they change on their delegation's
# page, saved with it by `delegation_save` (one audit record), and go with it when deleted.
