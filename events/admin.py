"""The staff side of events: a first, plain registration of every model.

State changes that matter (publishing, waitlist promotion, check-in, scheduling, releasing
results) will move to `events.services`; until then the admin edits rows directly and the
database constraints and `clean()` keep them consistent.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from companies.models import PartnerOrganisation, PartnerPerson
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
    SessionAttendance,
)

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
    ]
    list_filter = ["kind", "status", "time_zone"]
    search_fields = [*TITLES, "venue"]
    date_hierarchy = "starts_at"
    readonly_fields = ["created_by", "created_at", "updated_at"]
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

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


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
    autocomplete_fields = ["event", "user", "company", "partner_organisation", "checked_in_by"]
    readonly_fields = ["badge_code", "created_at"]
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
        (_("Check-in"), {"fields": ["badge_code", "checked_in_at", "checked_in_by"]}),
        (_("Record"), {"fields": ["notes", "created_at", "cancelled_at"]}),
    ]


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
    list_display = ["__str__", "event", "starts_at", "ends_at"]
    list_select_related = ["event"]
    search_fields = [*TITLES, *[f"event__{t}" for t in TITLES]]
    autocomplete_fields = ["event"]
    date_hierarchy = "starts_at"


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
    list_display = ["__str__", "arrives_at", "departs_at", "host_organisation", "member_count"]
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
    readonly_fields = ["assigned_by", "assigned_at"]

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


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["assignment", "criterion", "value", "updated_at"]
    list_select_related = ["assignment__judge", "assignment__entry__company", "criterion"]
    search_fields = ["assignment__judge__email", "assignment__entry__title"]
    autocomplete_fields = ["assignment", "criterion"]
