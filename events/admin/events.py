"""The events' pages of the staff side: the event with its kind's rows (slots, sessions,
rounds) and the action pages that move its status (publish, cancel, complete)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events import policies, selectors, services
from events.admin_mixins import EventZoneHelp, TimesInEventZone
from events.admin_mixins import zone_of as _zone_of
from events.judging.admin import CompetitionRoundInline
from events.matching.admin import MeetingSlotInline
from events.models import Event, Registration, TimeZone
from events.online.admin import OnlineSessionInline
from events.reports import held
from incubator import times
from incubator.admin_mixins import (
    ActionPages,
    ConfirmForm,
    PageRows,
    Rows,
    ServiceAdmin,
    call_service,
    one_choice_filter,
    through_services,
)
from incubator.multilingual import LANGUAGES, translated_names

TITLES = translated_names("title")
VENUES = translated_names("venue")


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
