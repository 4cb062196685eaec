"""The staff side of events.

Registrations change state only through `events.services`: adding one (a guest, or an
account) takes a place or a waitlist position under the event lock, cancelling promotes the
waitlist, checking in is idempotent; the admin shows those fields read-only. Other state
changes (scheduling, releasing results) belong to their own services.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from companies.models import PartnerOrganisation, PartnerPerson
from events import judging, services
from events.models import (
    Availability,
    CompetitionEntry,
    CompetitionRound,
    ConflictDeclaration,
    Delegation,
    DelegationMember,
    DelegationProgrammeItem,
    Event,
    JudgeAssignment,
    JudgingCriterion,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    OnlineSession,
    Registration,
    ScheduleRun,
    Score,
    ScoreCorrection,
    SessionAttendance,
)
from incubator.admin_mixins import ActionPages, call_service

TITLES = ["title_ko", "title_zh", "title_en"]
NAMES = ["name_ko", "name_zh", "name_en"]


# Partner organisations live in companies/ but are first used here: events, meetings and
# delegation hosts. The registration moves to companies/admin.py when that file takes them.
class PartnerPersonInline(admin.TabularInline):
    model = PartnerPerson
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "title", "speaks_ko", "speaks_zh", "speaks_en"]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "country", "city", "is_active"]
    list_filter = ["kind", "country", "is_active"]
    search_fields = [*NAMES, "uscc", "city"]
    inlines = [PartnerPersonInline]


@admin.register(PartnerPerson)
class PartnerPersonAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "title", "speaks_ko", "speaks_zh", "speaks_en"]
    list_filter = ["organisation__kind", "speaks_ko", "speaks_zh", "speaks_en"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__full_name", *[f"organisation__{n}" for n in NAMES]]
    autocomplete_fields = ["user", "organisation"]


class MeetingSlotInline(admin.TabularInline):
    model = MeetingSlot
    extra = 0
    fields = ["starts_at", "ends_at", "tables", "interpreters"]


class OnlineSessionInline(admin.TabularInline):
    model = OnlineSession
    extra = 0
    fields = [*TITLES, "starts_at", "ends_at", "link"]


class CompetitionRoundInline(admin.TabularInline):
    model = CompetitionRound
    extra = 0
    fields = ["order", *NAMES, "judging_deadline", "released_at"]
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "status",
        "starts_at",
        "time_zone",
        "capacity",
        "registered_count",
        "waitlisted_count",
        "places_left",
        "portal_links",
    ]
    list_filter = ["kind", "status", "time_zone"]
    search_fields = [*TITLES, "venue"]
    date_hierarchy = "starts_at"
    readonly_fields = ["created_by", "created_at", "updated_at"]
    actions = ["fill_places"]
    fieldsets = [
        (None, {"fields": ["kind", "status"]}),
        (_("Title"), {"fields": TITLES}),
        (_("Description"), {"fields": ["description_ko", "description_zh", "description_en"]}),
        (
            _("When and where"),
            {"fields": ["starts_at", "ends_at", "time_zone", "venue", "online_url"]},
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
    inlines = [MeetingSlotInline, OnlineSessionInline, CompetitionRoundInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                registered=Count("registrations", filter=Q(registrations__status="registered")),
                waitlisted=Count("registrations", filter=Q(registrations__status="waitlisted")),
            )
        )

    @admin.display(description=_("registered"), ordering="registered")
    def registered_count(self, event):
        return event.registered

    @admin.display(description=_("waitlisted"), ordering="waitlisted")
    def waitlisted_count(self, event):
        return event.waitlisted

    @admin.display(description=_("places left"))
    def places_left(self, event):
        if event.capacity is None:
            return "—"
        return max(event.capacity - event.registered, 0)

    @admin.display(description=_("pages"))
    def portal_links(self, event):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("events:event-detail", args=[event.pk]),
            gettext("page"),
            reverse("events:check-in", args=[event.pk]),
            gettext("check-in"),
        )

    @admin.action(description=_("Give free places to the waitlist"), permissions=["change"])
    def fill_places(self, request, queryset):
        promoted = sum(len(services.event_fill_places(event=event)) for event in queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)d person moved from the waitlist to a place.",
                "%(n)d people moved from the waitlist to a place.",
                promoted,
            )
            % {"n": promoted},
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            # A raised capacity gives its new places to the waitlist, first come first.
            promoted = services.event_fill_places(event=obj)
            if promoted:
                self.message_user(
                    request,
                    ngettext(
                        "%(n)d person moved from the waitlist to a place.",
                        "%(n)d people moved from the waitlist to a place.",
                        len(promoted),
                    )
                    % {"n": len(promoted)},
                )


class RegistrationAddForm(forms.ModelForm):
    """Register an account (startup member, partner person) or a guest (name and e-mail).

    The service decides the place or the waitlist; this form only checks what it can say
    before saving.
    """

    class Meta:
        model = Registration
        fields = [
            "event",
            "user",
            "name",
            "guest_email",
            "affiliation",
            "speaks_ko",
            "speaks_zh",
            "speaks_en",
            "notes",
        ]
        help_texts = {
            "user": _("A startup member or a partner person with a portal account."),
            "guest_email": _("A guest without an account: name and e-mail address."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Required for a guest; an account's full name if empty.")

    def clean(self):
        data = super().clean()
        event, user, email = data.get("event"), data.get("user"), data.get("guest_email")
        if bool(user) == bool(email):
            raise ValidationError(_("Choose an account or give a guest's e-mail address (one)."))
        if email and not data.get("name"):
            self.add_error("name", _("A guest needs a name for the badge."))
        if event is not None:
            refusal = services.registration_refusal(event=event, user=user, email=email or "")
            if refusal:
                raise ValidationError(refusal)
        return data

    def _post_clean(self):
        # The service builds and validates the row (the kind, the company or organisation,
        # the place or waitlist position, the old row of a cancelled person).
        pass

    def languages(self) -> set[str]:
        return {c for c in ("ko", "zh", "en") if self.cleaned_data.get(f"speaks_{c}")}


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
class RegistrationAdmin(admin.ModelAdmin):
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
    search_fields = ["^search_name", "=badge_code", "guest_email", "user__email"]
    search_help_text = _("The first letters of the name, a badge code or an e-mail address.")
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
        (_("Or a guest"), {"fields": ["name", "guest_email", "affiliation"]}),
        (_("Languages"), {"fields": ["speaks_ko", "speaks_zh", "speaks_en"]}),
        (None, {"fields": ["notes"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = RegistrationAddForm
        return super().get_form(request, obj, **kwargs)

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

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        if data["user"] is not None:
            registration = services.registration_create(
                event=data["event"], user=data["user"], languages=form.languages() or None
            )
            if data["notes"]:
                registration.notes = data["notes"]
                registration.save(update_fields=["notes"])
        else:
            registration = services.registration_create_guest(
                event=data["event"],
                name=data["name"],
                email=data["guest_email"],
                affiliation=data["affiliation"],
                languages=form.languages(),
                notes=data["notes"],
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

    @admin.action(description=_("Cancel the selected registrations"), permissions=["change"])
    def cancel(self, request, queryset):
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


@admin.register(MeetingSlot)
class MeetingSlotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "tables", "interpreters"]
    list_select_related = ["event"]
    search_fields = [f"event__{t}" for t in TITLES]
    autocomplete_fields = ["event"]
    date_hierarchy = "starts_at"

    def get_queryset(self, request):
        # A slot's name is its time in its event's zone.
        return super().get_queryset(request).select_related("event")


@admin.register(Availability)
class AvailabilityAdmin(admin.ModelAdmin):
    list_display = ["registration", "slot"]
    list_select_related = ["registration", "slot__event"]
    search_fields = ["registration__search_name"]
    autocomplete_fields = ["registration", "slot"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = [
        "from_registration",
        "to_registration",
        "event",
        "priority",
        "status",
        "created_at",
    ]
    list_filter = ["status", "priority"]
    list_select_related = ["event", "from_registration", "to_registration"]
    search_fields = ["from_registration__search_name", "to_registration__search_name"]
    autocomplete_fields = ["event", "from_registration", "to_registration"]
    readonly_fields = ["created_at"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = [
        "slot",
        "table",
        "registration_a",
        "registration_b",
        "interpreter",
        "locked",
        "event",
    ]
    list_filter = ["locked"]
    list_select_related = ["event", "slot__event", "registration_a", "registration_b"]
    search_fields = ["registration_a__search_name", "registration_b__search_name"]
    autocomplete_fields = ["event", "slot", "registration_a", "registration_b"]
    readonly_fields = ["schedule_run", "created_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "status",
        "progress",
        "created_at",
        "finished_at",
        "scheduled_count",
        "unscheduled_count",
        "moved_count",
        "requested_by",
    ]
    list_filter = ["status"]
    list_select_related = ["event", "requested_by"]
    search_fields = [f"event__{t}" for t in TITLES]
    # Runs are written by the scheduling task; staff read them.
    readonly_fields = [
        f.name for f in ScheduleRun._meta.get_fields() if f.concrete and f.name != "id"
    ]

    def has_add_permission(self, request):
        return False


@admin.register(OnlineSession)
class OnlineSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "starts_at", "ends_at", "attendance_link"]
    list_select_related = ["event"]
    search_fields = [*TITLES, *[f"event__{t}" for t in TITLES]]
    autocomplete_fields = ["event"]
    date_hierarchy = "starts_at"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attended=Count("attendances"))

    @admin.display(description=_("attendance"), ordering="attended")
    def attendance_link(self, session):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("events:session-attendance", args=[session.event_id, session.pk]),
            ngettext("%(n)d person", "%(n)d people", session.attended) % {"n": session.attended},
        )


@admin.register(SessionAttendance)
class SessionAttendanceAdmin(admin.ModelAdmin):
    list_display = ["registration", "session", "joined_at", "left_at"]
    list_select_related = ["registration", "session"]
    search_fields = ["registration__search_name"]
    autocomplete_fields = ["session", "registration"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


class DelegationMemberInline(admin.TabularInline):
    model = DelegationMember
    extra = 0
    fields = ["name", "role", "position", "company", "organisation_name", "email", "phone"]
    autocomplete_fields = ["company"]


class DelegationProgrammeItemInline(admin.TabularInline):
    model = DelegationProgrammeItem
    extra = 0
    fields = ["starts_at", "ends_at", *TITLES, "place", "host"]
    autocomplete_fields = ["host"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
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
    inlines = [DelegationMemberInline, DelegationProgrammeItemInline]

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


@admin.register(DelegationMember)
class DelegationMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "delegation", "company", "organisation_name"]
    list_filter = ["role"]
    list_select_related = ["delegation", "company"]
    search_fields = ["name", "organisation_name", "email"]
    autocomplete_fields = ["delegation", "company", "lead"]


@admin.register(DelegationProgrammeItem)
class DelegationProgrammeItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "delegation", "starts_at", "ends_at", "place", "host"]
    list_select_related = ["delegation", "host"]
    search_fields = [*TITLES, "place"]
    autocomplete_fields = ["delegation", "host"]
    date_hierarchy = "starts_at"


class JudgingCriterionInline(admin.TabularInline):
    model = JudgingCriterion
    extra = 0
    fields = ["order", *NAMES, "weight", "max_score"]


@admin.register(CompetitionRound)
class CompetitionRoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "order", "judging_deadline", "released_at"]
    list_select_related = ["event"]
    search_fields = [*NAMES, *[f"event__{t}" for t in TITLES]]
    autocomplete_fields = ["event"]
    inlines = [JudgingCriterionInline]


@admin.register(CompetitionEntry)
class CompetitionEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "company", "round"]
    list_select_related = ["company", "round"]
    search_fields = ["title", "company__name_ko", "company__name_zh", "company__name_en"]
    autocomplete_fields = ["round", "company"]


@admin.register(JudgingCriterion)
class JudgingCriterionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "round", "weight", "max_score", "order"]
    list_select_related = ["round"]
    search_fields = NAMES
    autocomplete_fields = ["round"]


@admin.register(JudgeAssignment)
class JudgeAssignmentAdmin(admin.ModelAdmin):
    list_display = ["judge", "entry", "assigned_at", "submitted_at"]
    list_select_related = ["judge", "entry__company"]
    search_fields = ["judge__email", "judge__full_name", "entry__title"]
    autocomplete_fields = ["entry", "judge"]
    readonly_fields = ["assigned_by", "assigned_at", "submitted_at"]

    # A submitted sheet is final: it is neither changed nor deleted here, and so
    # neither is its entry, round or event, whose deletion would take it along.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.submitted_at)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.submitted_at)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.assigned_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ["judge", "company", "declared_at"]
    list_select_related = ["judge", "company"]
    search_fields = ["judge__email", "judge__full_name", "company__name_ko", "company__name_en"]
    autocomplete_fields = ["judge", "company"]


class ScoreCorrectionInline(admin.TabularInline):
    model = ScoreCorrection
    extra = 0
    can_delete = False
    fields = ["corrected_at", "original_value", "corrected_value", "reason", "corrected_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ScoreCorrectionForm(forms.Form):
    value = forms.DecimalField(label=_("corrected score"), max_digits=5, decimal_places=2)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Score)
class ScoreAdmin(ActionPages, admin.ModelAdmin):
    """Judges' scores, read-only: judges write them, and a final one changes only by a
    correction with its reason (`judging.score_correct`), which keeps the judge's value."""

    list_display = ["assignment", "criterion", "value", "submitted", "updated_at"]
    list_select_related = ["assignment__judge", "assignment__entry__company", "criterion"]
    search_fields = ["assignment__judge__email", "assignment__entry__title"]
    readonly_fields = ["assignment", "criterion", "value", "comment", "created_at", "updated_at"]
    fields = readonly_fields
    inlines = [ScoreCorrectionInline]

    @admin.display(description=_("submitted"), boolean=True)
    def submitted(self, score):
        return score.assignment.submitted_at is not None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A draft goes with its assignment; a submitted score stays, and its presence
        # refuses the deletion of what holds it (entry, round, event).
        return (
            obj is not None
            and obj.assignment.submitted_at is None
            and super().has_delete_permission(request, obj)
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/correct/",
                self.admin_site.admin_view(self.correct_view),
                name="events_score_correct",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_correct": judging.can_correct_score(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def correct_view(self, request, object_id):
        score = self.action_object(
            request,
            object_id,
            allowed=lambda request, _score: judging.can_correct_score(request.user),
        )
        form = ScoreCorrectionForm(request.POST or None, initial={"value": score.value})
        if request.method == "POST" and form.is_valid():
            if call_service(
                form, judging.score_correct, score=score, actor=request.user, **form.cleaned_data
            ):
                return self.action_done(request, score, gettext("The score is corrected."))
        return self.action_page(
            request,
            score,
            title=gettext("Correct the score %(score)s") % {"score": score},
            template="admin/events/score/correct.html",
            form=form,
            submit_label=gettext("Correct the score"),
        )
