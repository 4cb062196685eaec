"""The staff side of enrollments: the list, the pipeline board and the stage moves, with
the company's milestones, transitions and reports on its page."""

from functools import cache

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from incubator.admin_mixins import (
    CreatedThroughService,
    PageRows,
    ReadOnlyInline,
    ServiceModelAdmin,
    call_service,
    one_choice_filter,
)
from incubator.forms import DateInput, reason_field
from programs import policies, stages
from programs.admin_display import overdue as _overdue
from programs.journey import selectors as journey_selectors
from programs.journey import services as journey_services
from programs.journey.admin.entities import QuarterlyReportInline
from programs.models import (
    Cohort,
    Enrollment,
    Milestone,
    StageTransition,
)


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

# A company that graduated and enrolled again has two enrollments: the dashboard's
# companies per stage link here, to the one it counts.
LatestFilter = one_choice_filter(
    "latest",
    _("enrollments"),
    ("yes", _("each company's latest")),
    journey_selectors.latest_enrollments,
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
    reason = reason_field(_("The company reads this reason in its timeline."))
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
    list_filter = ["stage", LatestFilter, ReportMissingFilter, ("cohort", CohortFilter)]
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
