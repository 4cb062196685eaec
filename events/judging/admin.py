"""The staff side of judging.

Rounds, entries, criteria and conflicts are set up here, each saved and deleted by its
service in `events.judging.services` (a round or an entry with submitted scores stays;
criteria are fixed once the results are published). Who judges what changes through
`judge_assign` (with its e-mail) and `judge_unassign` on the round's judges page; scores
are the judges' and change only by a correction with its reason; results are published on
the round's results page.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events.admin_mixins import ReadOnlyAdmin, TimesInEventZone, on_own_page, zone_of
from events.judging import policies, services
from events.judging.models import (
    CompetitionEntry,
    CompetitionRound,
    ConflictDeclaration,
    JudgeAssignment,
    JudgingCriterion,
    Score,
    ScoreCorrection,
)
from events.models import Event
from incubator.admin_mixins import (
    ActionPages,
    ReadOnlyInline,
    Rows,
    ServiceAdmin,
    ServiceInline,
    call_service,
    through_services,
)
from incubator.multilingual import translated_names

NAMES = translated_names("name")
EVENT_TITLES = [f"event__{name}" for name in translated_names("title")]


ROUNDS = Rows(
    "round", services.round_save, services.round_delete, may_delete=policies.can_delete_round
)
CRITERIA = Rows(
    "criterion",
    services.criterion_save,
    services.criterion_delete,
    may_delete=lambda actor, criterion: policies.can_set_criteria(actor, criterion.round),
    kept_because=lambda criterion: policies.criteria_fixed_because(criterion.round),
)
# What a criterion is scored against: fixed once a judge submitted a sheet.
SCORING_TERMS = ["weight", "max_score"]


def _say_criteria_fixed(request, round_) -> None:
    """Say on the page why the criteria of `round_` cannot change (if they cannot)."""
    if round_ is not None and (fixed := policies.criteria_fixed_because(round_)):
        messages.warning(request, fixed)


class CompetitionRoundInline(ServiceInline):
    """A competition's rounds, on its event's page."""

    model = CompetitionRound
    rows = ROUNDS
    fields = ["order", *NAMES, "judging_deadline", "released_at"]
    readonly_fields = ["released_at"]
    show_change_link = True


class JudgingCriterionInline(ServiceInline):
    """A round's criteria, on its page: their maximum and weight, and which there are, fixed
    once a judge submitted a sheet; their names once the results are published."""

    model = JudgingCriterion
    rows = CRITERIA
    fields = ["order", *NAMES, *SCORING_TERMS]

    def _may(self, request, round_, permission) -> bool:
        return permission and policies.can_set_criteria(request.user, round_)

    def has_add_permission(self, request, obj=None):
        return self._may(request, obj, super().has_add_permission(request, obj))

    def has_change_permission(self, request, obj=None):
        may = super().has_change_permission(request, obj)
        return may and (obj is None or obj.released_at is None)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj, super().has_delete_permission(request, obj))

    def get_readonly_fields(self, request, obj=None):
        fixed = obj is not None and not policies.can_set_criteria(request.user, obj)
        return [*super().get_readonly_fields(request, obj), *(SCORING_TERMS if fixed else [])]


@admin.register(CompetitionRound)
class CompetitionRoundAdmin(TimesInEventZone, ServiceAdmin):
    """A round, its deadline typed and shown in its event's zone (as on the event's page)."""

    rows = ROUNDS
    list_display = ["__str__", "event", "order", "judging_deadline", "released_at"]
    list_select_related = ["event"]
    search_fields = [*NAMES, *EVENT_TITLES]
    autocomplete_fields = ["event"]
    # Results are published by `round_release` (the results page), which tells the entrants.
    readonly_fields = ["released_at", "staff_pages"]
    inlines = [JudgingCriterionInline]

    def times_zone(self, request, object_id):
        # The event sent with the form, else the round's; none chosen yet: the person's own.
        return zone_of(Event.objects, request.POST.get("event")) or zone_of(
            CompetitionRound.objects, object_id, "event__time_zone"
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            _say_criteria_fixed(request, self.get_object(request, unquote(object_id)))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        round_ = super().get_object(request, object_id, from_field)
        if round_ is not None:
            # Links to the staff pages that open for this reader (the pages' own policies).
            pages = []
            if policies.can_assign_judges(request.user, round_):
                pages.append(
                    (reverse("events:judging-assign", args=[round_.pk]), gettext("judges"))
                )
            if policies.results_hidden_because(request.user, round_) is None:
                url = reverse("events:judging-results", args=[round_.pk])
                pages.append((url, gettext("results and publication")))
            round_.pages_shown = pages
        return round_

    @admin.display(description=_("pages"))
    def staff_pages(self, round_):
        pages = getattr(round_, "pages_shown", None)
        if round_.pk is None or not pages:
            return "—"
        return format_html_join(" · ", '<a href="{}">{}</a>', pages)


@admin.register(CompetitionEntry)
class CompetitionEntryAdmin(ServiceAdmin):
    rows = Rows(
        "entry", services.entry_save, services.entry_delete, may_delete=policies.can_delete_entry
    )
    list_display = ["title", "company", "round"]
    list_select_related = ["company", "round"]
    search_fields = ["title", "company__name_ko", "company__name_zh", "company__name_en"]
    autocomplete_fields = ["round", "company"]


@admin.register(JudgingCriterion)
class JudgingCriterionAdmin(ServiceAdmin):
    rows = CRITERIA
    list_display = ["__str__", "round", "weight", "max_score", "order"]
    list_select_related = ["round"]
    search_fields = NAMES
    autocomplete_fields = ["round"]

    def has_change_permission(self, request, obj=None):
        may = super().has_change_permission(request, obj)
        return may and (obj is None or policies.can_change_criterion(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        fixed = obj is not None and not policies.can_set_criteria(request.user, obj.round)
        terms = ["round", *SCORING_TERMS] if fixed else []
        return [*super().get_readonly_fields(request, obj), *terms]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        criterion = self.get_object(request, unquote(object_id))
        if request.method == "GET" and criterion is not None:
            _say_criteria_fixed(request, criterion.round)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(JudgeAssignment)
class JudgeAssignmentAdmin(ReadOnlyAdmin):
    """Assignments, read-only: the round's judges page assigns (`judge_assign`, which checks
    conflicts and e-mails the judge) and removes them."""

    list_display = ["judge", "entry", "assigned_at", "submitted_at", "judges_page"]

    def has_delete_permission(self, request, obj=None):
        # A submitted sheet is final: neither is its entry, round or event deleted with it.
        return super().has_delete_permission(request, obj) and not (obj and obj.submitted_at)

    list_select_related = ["judge", "entry__company"]
    search_fields = ["judge__email", "judge__full_name", "entry__title"]

    def get_list_display(self, request):
        # The judges page is for those who assign: no link to a refusal for the others.
        shown = super().get_list_display(request)
        if policies.can_assign_judges(request.user):
            return shown
        return [name for name in shown if name != "judges_page"]

    @admin.display(description=_("judges"))
    def judges_page(self, assignment):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("events:judging-assign", args=[assignment.entry.round_id]),
            gettext("assign or remove judges"),
        )


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ServiceAdmin):
    rows = Rows(
        "conflict",
        services.conflict_save,
        services.conflict_delete,
        may_delete=policies.can_withdraw_conflict,
        kept_because=policies.conflict_kept_because,
    )
    list_display = ["judge", "company", "declared_at"]
    list_select_related = ["judge", "company"]
    search_fields = ["judge__email", "judge__full_name", "company__name_ko", "company__name_en"]
    autocomplete_fields = ["judge", "company"]

    @through_services
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Say what the declaration did to the judge's sheets (`services.conflict_save`).
        if obj.withdrawn:
            self.message_user(
                request,
                ngettext(
                    "%(n)d open assignment of this judge to the company's entries is withdrawn.",
                    "%(n)d open assignments of this judge to the company's entries are withdrawn.",
                    len(obj.withdrawn),
                )
                % {"n": len(obj.withdrawn)},
                messages.WARNING,
            )
        if obj.left_out:
            self.message_user(
                request,
                ngettext(
                    "%(n)d score sheet this judge submitted for the company is left out of the "
                    "ranking.",
                    "%(n)d score sheets this judge submitted for the company are left out of the "
                    "ranking.",
                    obj.left_out,
                )
                % {"n": obj.left_out},
                messages.WARNING,
            )


class ScoreCorrectionInline(ReadOnlyInline):
    model = ScoreCorrection
    fields = ["corrected_at", "original_value", "corrected_value", "reason", "corrected_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("corrected_by", "score__criterion")


class ScoreCorrectionForm(forms.Form):
    value = forms.DecimalField(label=_("corrected score"), max_digits=5, decimal_places=2)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Score)
class ScoreAdmin(ActionPages, admin.ModelAdmin):
    """Judges' scores, read-only: judges write them, and a final one changes only by a
    correction with its reason (`services.score_correct`), which keeps the judge's value."""

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
        # Never on its own page. A draft goes with its assignment; a submitted score stays,
        # and its presence refuses the deletion of what holds it (entry, round, event).
        return (
            not on_own_page(request, self)
            and obj is not None
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
            "can_correct": policies.can_correct_score(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def correct_view(self, request, object_id):
        score = self.action_object(
            request,
            object_id,
            allowed=lambda request, _score: policies.can_correct_score(request.user),
        )
        form = ScoreCorrectionForm(request.POST or None, initial={"value": score.value})
        if request.method == "POST" and form.is_valid():
            if call_service(
                form, services.score_correct, score=score, actor=request.user, **form.cleaned_data
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
