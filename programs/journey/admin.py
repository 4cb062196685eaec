"""The staff side of the journey: cohorts, milestone templates and milestones, enrollments
(the pipeline board and stage moves), local entities, quarterly reports.
"""

from functools import cache

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from companies import validators
from incubator.admin_mixins import (
    CreatedThroughService,
    PageRows,
    ReadOnlyInline,
    ServiceModelAdmin,
    call_service,
    one_choice_filter,
)
from incubator.forms import DateInput
from incubator.multilingual import translated_names
from programs import policies, stages
from programs.admin_display import money_or_dash as _money
from programs.admin_display import overdue as _overdue
from programs.journey import selectors as journey_selectors
from programs.journey import services as journey_services
from programs.journey.forms import LocalEntityForm as PortalLocalEntityForm
from programs.models import (
    Cohort,
    Enrollment,
    Intake,
    LocalEntity,
    Milestone,
    MilestoneTemplate,
    QuarterlyReport,
    StageTransition,
)

# --- Programs and cohorts ------------------------------------------------------------------


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["label", "program", "starts_on", "ends_on", "enrolled", "open_now"]
    list_filter = ["program"]
    search_fields = [
        *translated_names("label"),
        "program__name_ko",
        "program__name_zh",
        "program__name_en",
    ]
    list_select_related = ["program"]
    fields = ["program", *translated_names("label"), "intake", "starts_on", "ends_on"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                enrolled_total=Count("enrollments", distinct=True),
                open_total=Count(
                    "enrollments",
                    filter=Q(enrollments__stage__in=stages.WORKING_STAGES),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("enrolled"), ordering="enrolled_total")
    def enrolled(self, cohort):
        return cohort.enrolled_total

    @admin.display(description=_("still in the program"), ordering="open_total")
    def open_now(self, cohort):
        return cohort.open_total

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "intake":
            kwargs["queryset"] = Intake.objects.select_related("program")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Milestone templates and milestones ---------------------------------------------------------


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(admin.ModelAdmin):
    list_display = [
        "title_ko",
        "title_zh",
        "title_en",
        "stage",
        "due_days",
        "required",
        "position",
        "is_active",
    ]
    list_editable = ["due_days", "required", "position", "is_active"]
    list_filter = ["stage", "required", "is_active"]
    fields = [
        "code",
        "stage",
        "title_ko",
        "title_zh",
        "title_en",
        "due_days",
        "required",
        "position",
        "is_active",
    ]


class OverdueMilestoneFilter(admin.SimpleListFilter):
    title = _("progress")
    parameter_name = "progress"

    def lookups(self, request, model_admin):
        # "open" of a milestone is "not done yet", not a request's "open" (ko 접수, received).
        not_done = pgettext_lazy("milestone", "open")
        return [("open", not_done), ("overdue", _("overdue")), ("done", _("done"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "open":
            return queryset.filter(done_at__isnull=True)
        if self.value() == "overdue":
            return queryset.filter(journey_selectors.overdue_milestones_q(today))
        if self.value() == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset


class MilestoneForm(forms.ModelForm):
    mark_done = forms.BooleanField(label=_("mark as done"), required=False)
    new_evidence = forms.CharField(
        label=_("evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("What was done, when, with which document; needed to mark it done."),
    )
    evidence_upload = forms.FileField(label=_("evidence file"), required=False)

    class Meta:
        model = Milestone
        fields = ["due_on"]
        widgets = {"due_on": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("mark_done") and not (data.get("new_evidence") or "").strip():
            self.add_error("new_evidence", _("Describe the evidence to mark the milestone done."))
        return data


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    form = MilestoneForm
    list_display = ["title_display", "company", "stage", "due", "required", "done_at", "done_by"]
    list_select_related = ["company", "done_by", "enrollment"]
    list_filter = [OverdueMilestoneFilter, "stage", "required", "code"]
    search_fields = ["company__name_ko", "company__name_zh", "company__name_en", "title_ko"]
    ordering = ["done_at", "due_on"]
    readonly_fields = [
        "enrollment",
        "company",
        "title_display",
        "stage",
        "required",
        "done_at",
        "done_by",
        "evidence",
        "evidence_link",
    ]

    def get_fields(self, request, obj=None):
        fields = ["enrollment", "title_display", "stage", "required", "due_on"]
        if obj is not None and obj.is_done:
            return [*fields, "done_at", "done_by", "evidence", "evidence_link"]
        return [*fields, "mark_done", "new_evidence", "evidence_upload"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_done:
            return [*self.readonly_fields, "due_on"]
        return self.readonly_fields

    def has_add_permission(self, request):
        return False  # copied from the templates when a company is enrolled

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("milestone"), ordering="title_ko")
    def title_display(self, milestone):
        return milestone.title

    @admin.display(description=_("due on"), ordering="due_on")
    def due(self, milestone):
        return _overdue(milestone.due_on.isoformat(), milestone.is_overdue())

    @admin.display(description=_("evidence file"))
    def evidence_link(self, milestone):
        if not milestone.evidence_file:
            return "—"
        url = reverse("programs:milestone-evidence", args=[milestone.pk])
        return format_html('<a href="{}">{}</a>', url, milestone.evidence_name)

    def save_model(self, request, obj, form, change):
        # The form's errors were shown before; a service refusal is shown as a message.
        try:
            if "due_on" in form.changed_data:
                journey_services.milestone_reschedule(
                    milestone=obj, due_on=form.cleaned_data["due_on"], actor=request.user
                )
            if form.cleaned_data.get("mark_done"):
                journey_services.milestone_complete(
                    milestone=obj,
                    actor=request.user,
                    evidence=form.cleaned_data["new_evidence"],
                    uploaded_file=form.cleaned_data.get("evidence_upload"),
                    max_bytes=settings.UPLOAD_MAX_BYTES,
                )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ["title_display", "stage", "required", "due", "done_at", "evidence"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("enrollment")
            .order_by("position", "due_on")
        )

    @admin.display(description=_("milestone"))
    def title_display(self, milestone):
        return milestone.title

    @admin.display(description=_("due on"))
    def due(self, milestone):
        return _overdue(milestone.due_on.isoformat(), milestone.is_overdue())


class StageTransitionInline(ReadOnlyInline):
    model = StageTransition
    fields = ["created_at", "actor", "from_display", "to_display", "overridden", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("timeline")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("from"))
    def from_display(self, transition):
        return transition.from_label or "—"

    @admin.display(description=_("to"))
    def to_display(self, transition):
        return transition.to_label


# What a quarterly report says, on its company's enrollment and in the list of reports.
REPORT_COLUMNS = [
    "period",
    "revenue_display",
    "employees_china",
    "employees_korea",
    "funding_display",
    "customers_china",
    "submitted_at",
]


class ReportColumns:
    """The computed columns of REPORT_COLUMNS."""

    @admin.display(description=_("quarter"), ordering="year")
    def period(self, report):
        return str(report.period)

    @admin.display(description=_("revenue"), ordering="revenue")
    def revenue_display(self, report):
        return _money(report.revenue, report.revenue_currency)

    @admin.display(description=_("funding raised"), ordering="funding_raised")
    def funding_display(self, report):
        return _money(report.funding_raised, report.funding_currency)


class QuarterlyReportInline(ReportColumns, ReadOnlyInline):
    model = QuarterlyReport
    fields = REPORT_COLUMNS
    readonly_fields = fields
    verbose_name_plural = _("quarterly reports (the series)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("company").order_by("year", "quarter")


# --- Enrollments: list, pipeline board, stage moves -----------------------------------------


class CohortFilter(admin.RelatedFieldListFilter):
    """Cohorts named with their program, in one query."""

    def field_choices(self, field, request, model_admin):
        return [(c.pk, str(c)) for c in Cohort.objects.select_related("program")]


ReportMissingFilter = one_choice_filter(
    "report",
    _("quarterly report"),
    ("missing", _("last quarter's report not filed")),
    lambda enrollments: journey_selectors.report_missing(enrollments, today=timezone.localdate()),
)


class EnrollmentAddForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("Why the company is enrolled without an application in the portal."),
    )

    class Meta:
        model = Enrollment
        fields = ["company", "cohort", "started_on"]
        widgets = {"started_on": DateInput()}


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("move to"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("The company reads this reason in its timeline."),
    )
    override = forms.BooleanField(
        label=_("override the required milestones that are still open"),
        required=False,
        help_text=_("Center managers only; say why in the reason."),
    )

    def __init__(self, *args, enrollment: Enrollment, may_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = enrollment.next_stages()
        if not may_override:
            del self.fields["override"]


def _per_count(phrase):
    """Return n -> `phrase(n)` filled with n, translated once for each n."""
    return cache(lambda n: phrase(n) % {"counter": n})


def board_columns(columns, changelist: str) -> list[tuple]:
    """Return (stage, label, cards, total, "and N more" link) of each column of the board.

    Each card gets its link and its phrases here, each phrase translated once per count
    shown: a translation tag and a URL lookup per card were most of the board's time.
    """
    overdue = _per_count(
        lambda n: ngettext("%(counter)s milestone overdue", "%(counter)s milestones overdue", n)
    )
    active = _per_count(
        lambda n: ngettext("%(counter)s open request", "%(counter)s open requests", n)
    )
    waiting = _per_count(
        lambda n: ngettext(
            "%(counter)s waiting on the center", "%(counter)s waiting on the center", n
        )
    )
    late = _per_count(
        lambda n: ngettext("%(counter)s request overdue", "%(counter)s requests overdue", n)
    )
    board = []
    for stage, cards, total in columns:
        for card in cards:
            card.change_url = f"{changelist}{card.pk}/change/"
            card.overdue_text = overdue(card.overdue_milestones) if card.overdue_milestones else ""
            card.requests_text = active(card.active_requests) if card.active_requests else ""
            card.waiting_text = waiting(card.waiting_requests) if card.waiting_requests else ""
            card.late_text = late(card.overdue_requests) if card.overdue_requests else ""
        rest = total - len(cards)
        more = (
            (
                ngettext("and %(counter)s more", "and %(counter)s more", rest) % {"counter": rest},
                f"{changelist}?stage__exact={stage}",
            )
            if rest > 0
            else None
        )
        board.append((stage, Enrollment.Stage(stage).label, cards, total, more))
    return board


@admin.register(Enrollment)
class EnrollmentAdmin(PageRows, CreatedThroughService, ServiceModelAdmin):
    list_display = [
        "company",
        "cohort",
        "stage",
        "stage_changed_at",
        "milestone_progress",
        "overdue",
        "started_on",
    ]
    list_select_related = ["company", "cohort__program"]
    list_filter = ["stage", ReportMissingFilter, ("cohort", CohortFilter)]
    search_fields = ["company__name_ko", "company__name_zh", "company__name_en", "company__brn"]
    readonly_fields = [
        "company",
        "cohort",
        "application",
        "stage",
        "started_on",
        "stage_changed_at",
        "ended_on",
        "local_entities",
    ]
    inlines = [MilestoneInline, StageTransitionInline, QuarterlyReportInline]
    autocomplete_fields = ["company", "cohort"]

    def get_queryset(self, request):
        # A sort key only: computed when the list is sorted by it, never for its count.
        overdue = journey_selectors.overdue_milestones_counted(timezone.localdate())
        return super().get_queryset(request).alias(overdue_sort=overdue)

    def page_rows(self, request, rows):
        counts = journey_selectors.milestone_counts(
            [enrollment.pk for enrollment in rows], today=timezone.localdate()
        )
        for enrollment in rows:
            done, total, overdue = counts.get(enrollment.pk, (0, 0, 0))
            enrollment.done_total, enrollment.milestone_total = done, total
            enrollment.overdue_total = overdue

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = EnrollmentAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["company", "cohort", "started_on", "reason"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # an enrollment ends as graduated or withdrawn, with its history

    @admin.display(description=_("milestones done"))
    def milestone_progress(self, enrollment):
        return f"{enrollment.done_total} / {enrollment.milestone_total}"

    @admin.display(description=_("overdue milestones"), ordering="overdue_sort")
    def overdue(self, enrollment):
        return _overdue(str(enrollment.overdue_total), enrollment.overdue_total > 0)

    @admin.display(description=_("local entities"))
    def local_entities(self, enrollment):
        entities = journey_selectors.local_entities_for_company(enrollment.company_id)
        return ", ".join(str(e) for e in entities) or "—"

    def create(self, request, form):
        return journey_services.enrollment_create(
            company=form.cleaned_data["company"],
            cohort=form.cleaned_data["cohort"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
            started_on=form.cleaned_data["started_on"],
        )

    def get_urls(self):
        return [
            path(
                "pipeline/",
                self.admin_site.admin_view(self.pipeline_view),
                name="programs_enrollment_pipeline",
            ),
            path(
                "<path:object_id>/move/",
                self.admin_site.admin_view(self.move_view),
                name="programs_enrollment_move",
            ),
        ] + super().get_urls()

    def change_view_context(self, request):
        return {"can_move": self.has_change_permission(request)}

    def pipeline_view(self, request):
        """The board: companies per working stage and per cohort, what is overdue, at a glance."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        board = journey_selectors.pipeline()
        changelist = reverse("admin:programs_enrollment_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Pipeline board"),
            "subtitle": None,
            "opts": self.opts,
            **board,
            "stage_labels": [Enrollment.Stage(s).label for s in stages.STAGES],
            "columns": board_columns(board["columns"], changelist),
            "ended": [
                (Enrollment.Stage(stage).label, f"{changelist}?stage__exact={stage}")
                for stage in stages.STAGES
                if stage in stages.ENDED
            ],
        }
        milestones = reverse("admin:programs_milestone_changelist")
        for milestone in board["overdue_milestones"]:
            milestone.change_url = f"{milestones}{milestone.pk}/change/"
        requests = reverse("admin:programs_servicerequest_changelist")
        for service_request in board["overdue_requests"]:
            service_request.conversation_url = f"{requests}{service_request.pk}/conversation/"
        return TemplateResponse(request, "admin/programs/enrollment/pipeline.html", context)

    def move_view(self, request, object_id):
        enrollment = self.action_object(request, object_id)
        may_override = policies.can_override_stage_guard(request.user)
        form = MoveForm(request.POST or None, enrollment=enrollment, may_override=may_override)
        if request.method == "POST" and form.is_valid():
            to_stage = form.cleaned_data["to_stage"]
            if call_service(
                form,
                journey_services.enrollment_advance,
                enrollment=enrollment,
                to_stage=to_stage,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                override=form.cleaned_data.get("override", False),
            ):
                return self.action_done(
                    request,
                    enrollment,
                    gettext("%(company)s: now in %(stage)s.")
                    % {"company": enrollment.company, "stage": Enrollment.Stage(to_stage).label},
                )
        return self.action_page(
            request,
            enrollment,
            title=gettext("Move %(enrollment)s") % {"enrollment": enrollment},
            template="admin/programs/enrollment/move.html",
            form=form if form.fields["to_stage"].choices else None,
            open_required=enrollment.milestones.filter(
                stage=enrollment.stage, required=True, done_at__isnull=True
            ),
        )


# --- Local entities --------------------------------------------------------------------------


class LocalEntityForm(forms.ModelForm):
    class Meta:
        model = LocalEntity
        fields = ["company", *PortalLocalEntityForm.Meta.fields]

    def clean_uscc(self):
        return validators.uscc_compact(self.cleaned_data["uscc"])


@admin.register(LocalEntity)
class LocalEntityAdmin(admin.ModelAdmin):
    form = LocalEntityForm
    list_display = ["name_zh", "uscc", "company", "city", "registered_on", "capital"]
    list_select_related = ["company"]
    search_fields = ["name_zh", "uscc", "company__name_ko", "company__name_en"]
    autocomplete_fields = ["company"]

    @admin.display(description=_("registered capital"), ordering="registered_capital")
    def capital(self, entity):
        return _money(entity.registered_capital, entity.capital_currency)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        entity = journey_services.local_entity_register(
            company=form.cleaned_data["company"],
            actor=request.user,
            **{name: form.cleaned_data[name] for name in form.Meta.fields if name != "company"},
        )
        obj.pk = entity.pk
        obj._state.adding = False


# --- Quarterly reports -----------------------------------------------------------------------


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(ReportColumns, admin.ModelAdmin):
    list_display = ["company", *REPORT_COLUMNS]
    list_select_related = ["company"]
    list_filter = ["year", "quarter"]
    search_fields = ["company__name_ko", "company__name_zh", "company__name_en"]
    ordering = ["company__name_ko", "year", "quarter"]

    def has_add_permission(self, request):
        return False  # companies file them in the portal

    def has_change_permission(self, request, obj=None):
        return False
