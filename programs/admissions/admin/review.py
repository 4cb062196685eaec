"""The review queue: applications, their screening and history, the decision page (decide or
override a criterion) and the bulk decisions with their reason.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import _boolean_icon
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from companies import selectors as company_selectors
from companies import validators
from companies.admin import BrnSearchMixin
from incubator.admin_mixins import (
    OneChoiceFilter,
    PageRows,
    ReadOnlyInline,
    ServiceModelAdmin,
    call_service,
    one_choice_filter,
    through_services,
)
from incubator.exports import ExportAdminMixin, column, field_column, translated
from incubator.forms import reason_field
from incubator.multilingual import translated_names
from programs.admin_display import language_names, readers_help
from programs.admissions import screening, selectors, services
from programs.admissions.models import (
    RETURN_MESSAGE_MAX_LENGTH,
    Application,
    ApplicationEvent,
    CriterionOverride,
    Intake,
)
from programs.journey import selectors as journey_selectors
from programs.models import Cohort


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), widget=forms.RadioSelect)
    reason = reason_field(_("The company reads this reason with the decision."))

    cohort = forms.ModelChoiceField(
        label=_("cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        help_text=_("Accepting enrolls the company in this cohort."),
    )
    field_order = ["decision", "cohort", "reason"]

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (status, Application.Status(status).label)
            for status in Application.TRANSITIONS.get(application.status, ())
            if status in Application.DECISIONS
        ]
        self.fields["reason"].help_text = readers_help(
            self.fields["reason"].help_text, [application.company_id]
        )
        if Application.Status.ACCEPTED in dict(self.fields["decision"].choices):
            cohort_choices(self.fields["cohort"], application.intake)
        else:
            del self.fields["cohort"]


def cohort_choices(field, intake) -> None:
    """Offer the program's cohorts that have not ended; empty means the intake's own cohort."""
    field.queryset = journey_selectors.cohorts_for_program(intake.program_id)
    field.empty_label = gettext("The cohort of %(intake)s (created if needed)") % {
        "intake": intake.label
    }


class ReturnForm(forms.Form):
    """Ask the company for more information: the application goes back to its draft."""

    message = forms.CharField(
        label=_("what the company should add or explain"),
        # The length is the service's to check: a browser sends a line break as two characters.
        widget=forms.Textarea(
            attrs={"rows": 4, "cols": 80, "maxlength": RETURN_MESSAGE_MAX_LENGTH}
        ),
        help_text=_(
            "The company reads this message in its e-mail and on its application's page; the "
            "application becomes its draft again, to change and submit again."
        ),
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].help_text = readers_help(
            self.fields["message"].help_text, [application.company_id], asks=True
        )


class OverrideForm(forms.Form):
    criterion = forms.ChoiceField(label=_("criterion"))
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("Why this criterion counts as met for this company."),
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [
            (code, _(screening.CRITERION_LABELS.get(code, code)))
            for code in failed_criteria(application)
        ]


class BulkDecisionForm(forms.Form):
    reason = reason_field(_("Every selected company reads this reason with the decision."))
    cohort = forms.ModelChoiceField(
        label=_("cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("The cohort of each application's intake (created if needed)"),
        help_text=_("Accepting enrolls each company in this cohort."),
    )

    def __init__(self, *args, decision: str, company_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = readers_help(self.fields["reason"].help_text, company_ids)
        if decision == Application.Status.ACCEPTED:
            self.fields["cohort"].queryset = Cohort.objects.filter(
                ends_on__gte=timezone.localdate()
            ).select_related("program")
        else:
            del self.fields["cohort"]


def failed_criteria(application: Application) -> list[str]:
    if not application.screening:
        return []
    return [c["code"] for c in application.screening["criteria"] if not c["passed"]]


def render_screening(application: Application):
    """Return the per-criterion table of a screening result, in the active language."""
    result = application.screening
    if not result:
        return gettext("Not screened yet.")
    rows = []
    for row in selectors.screening_rows(application):
        override = row["override"]
        if not row["required"]:
            outcome = format_html("<span>{}</span>", gettext("not required"))
        elif override:
            outcome = format_html("{} {}", _boolean_icon(True), gettext("met by override"))
        else:
            outcome = format_html(
                "{} {}",
                _boolean_icon(row["passed"]),
                gettext("passed") if row["passed"] else gettext("failed"),
            )
        rows.append(
            (
                row["label"],
                outcome,
                row["reason"],
                format_html("<strong>{}</strong> {}", gettext("Overridden:"), override)
                if override
                else "",
            )
        )
    body = format_html_join(
        "", "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>", rows
    )
    return format_html(
        "<table class='screening-result'><caption>{}</caption><thead><tr>"
        "<th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th>"
        "<th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>",
        gettext("Policy v%(version)s, as of %(date)s: %(recommendation)s, score %(score)s")
        % {
            "version": result.get("policy_version", "?"),
            "date": result.get("on", ""),
            "recommendation": Application.recommendation_label(result.get("recommendation", "")),
            "score": result.get("score", ""),
        },
        gettext("criterion"),
        gettext("result"),
        gettext("reason"),
        gettext("override"),
        body,
    )


def status_label(code: str) -> str:
    return Application.Status(code).label if code in Application.Status.values else code


class ApplicationEventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ["actor", "created_at", "kind", "from_label", "to_label", "criterion_label", "summary"]
    readonly_fields = fields
    verbose_name_plural = _("history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("from"))
    def from_label(self, event):
        return status_label(event.from_status)

    @admin.display(description=_("to"))
    def to_label(self, event):
        return status_label(event.to_status)

    @admin.display(description=_("criterion"))
    def criterion_label(self, event):
        return _(screening.CRITERION_LABELS.get(event.criterion, event.criterion))

    @admin.display(description=_("reason"))
    def summary(self, event):
        return event.summary


class CriterionOverrideInline(ReadOnlyInline):
    model = CriterionOverride
    fields = ["criterion_label", "reason", "actor", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("criterion"))
    def criterion_label(self, override):
        return _(screening.CRITERION_LABELS.get(override.criterion, override.criterion))


class WaitingFilter(OneChoiceFilter):
    title = _("waiting for a decision")
    parameter_name = "waiting"

    @property
    def choice(self):
        return ("too_long", _("over %(days)d days") % {"days": selectors.REVIEW_WAIT_DAYS})

    def keep(self, queryset):
        return queryset.filter(selectors.waiting_too_long_q(timezone.now()))


ReturnedFilter = one_choice_filter(
    "returned",
    _("asked for more information"),
    ("awaiting", _("awaiting the company's answer")),
    selectors.returned_drafts,
)


class IntakeFilter(admin.RelatedFieldListFilter):
    """Intakes named with their program, in one query."""

    def field_choices(self, field, request, model_admin):
        return [(intake.pk, str(intake)) for intake in Intake.objects.select_related("program")]


@admin.register(Application)
class ApplicationAdmin(PageRows, ExportAdminMixin, BrnSearchMixin, ServiceModelAdmin):
    list_display = [
        "company_name",
        "intake",
        "status",
        "recommendation",
        "score",
        "submitted_at",
        "decided_at",
        "decided_by",
    ]
    list_display_links = ["company_name"]
    list_select_related = ["company", "intake__program", "policy", "decided_by"]
    list_filter = [
        "status",
        WaitingFilter,
        ReturnedFilter,
        "recommendation",
        ("intake", IntakeFilter),
        "policy",
    ]
    search_fields = ["company__name_ko", "company__name_zh", "company__name_en", "company__brn"]
    brn_lookup = "company__brn"
    # The queue, read in the order of its index (application_queue_order_idx).
    ordering = list(Application.QUEUE_ORDER)
    # The list shows none of these; the change page does.
    list_defer = (
        "screening",
        "market_fit",
        "decision_reason",
        *(f"company__{name}" for name in translated_names("description")),
        "policy__notes",
    )
    fieldsets = [
        (None, {"fields": ["company_link", "intake", "status", "submitted_at", "market_fit"]}),
        (
            _("Screening"),
            {
                "fields": [
                    "policy",
                    "screened_at",
                    "recommendation",
                    "score",
                    "screening_result",
                ]
            },
        ),
        (_("Decision"), {"fields": ["decision_reason", "decided_by", "decided_at"]}),
    ]
    readonly_fields = [name for _title, options in fieldsets for name in options["fields"]]
    export_columns = (
        translated(_("company"), "company__name"),
        column(_("business registration number"), "company__brn", value=validators.brn_format),
        translated(_("program"), "intake__program__name"),
        translated(_("intake"), "intake__label"),
        *(
            field_column(Application, name)
            for name in ("status", "recommendation", "score", "submitted_at", "decided_at")
        ),
        # A staff member's address, personal all the same (incubator.exports).
        column(_("decided by"), "decided_by__email", personal=True),
    )
    inlines = [CriterionOverrideInline, ApplicationEventInline]
    actions = ["screen_again", "accept_selected", "reject_selected", "waitlist_selected"]

    def get_queryset(self, request):
        return selectors.application_list_for_review()

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        if request.GET.get(ReturnedFilter.parameter_name) == ReturnedFilter.choice[0]:
            # Awaiting the company's answer: since when, where the submission time was.
            shown[shown.index("submitted_at")] = "returned_at"
        return shown

    @admin.display(description=_("more information asked on"), ordering="last_move_at")
    def returned_at(self, application):
        return application.last_move_at

    def has_add_permission(self, request):
        return False  # startups apply in the portal

    def has_delete_permission(self, request, obj=None):
        return False  # the application and its history are the record of a decision

    @admin.display(description=_("company"), ordering="company__name_ko")
    def company_name(self, application):
        return application.company.name

    @admin.display(description=_("company"))
    def company_link(self, application):
        url = reverse("admin:companies_company_change", args=[application.company_id])
        return format_html(
            '<a href="{}">{}</a> ({})',
            url,
            application.company.name,
            application.company.brn_display,
        )

    @admin.display(description=_("screening result"))
    def screening_result(self, application):
        return render_screening(application)

    # --- Change page and decision page -------------------------------------------

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="programs_application_decide",
            )
        ]
        return urls + super().get_urls()

    def change_view_context(self, request):
        # Nothing on this page is edited in place: decisions have their own page.
        return {"can_decide": self.has_change_permission(request)}

    def _sent(self, request, application, button: str, prefix: str, form_class, service):
        """Return the page's form for `button` (bound when that button sent it) and whether
        `service` took it; a refusal shows on the form."""
        if request.method != "POST" or button not in request.POST:
            return form_class(application=application, prefix=prefix), False
        form = form_class(request.POST, application=application, prefix=prefix)
        taken = form.is_valid() and call_service(
            form, service, application=application, actor=request.user, **form.cleaned_data
        )
        return form, bool(taken)

    def decide_view(self, request, object_id):
        application = self.action_object(request, object_id)
        company = application.company.name
        decision_form, decided = self._sent(
            request, application, "_decide", "decision", DecisionForm, services.application_decide
        )
        if decided:
            status = Application.Status(decision_form.cleaned_data["decision"]).label
            return self.action_done(
                request,
                application,
                gettext("%(company)s: %(status)s.") % {"company": company, "status": status},
            )
        override_form, overridden = self._sent(
            request, application, "_override", "override", OverrideForm, services.criterion_override
        )
        if overridden:
            return self.action_done(
                request,
                application,
                gettext("The criterion counts as met; the application was screened again."),
            )
        return_form, returned = self._sent(
            request, application, "_return", "return", ReturnForm, services.application_return
        )
        if returned:
            return self.action_done(
                request,
                application,
                gettext(
                    "%(company)s: the application is back to its draft; its members are "
                    "told by e-mail what the center asks for."
                )
                % {"company": company},
            )
        shown = {
            "decision_form": decision_form if decision_form.fields["decision"].choices else None,
            # A draft (one returned for more information) takes no override until submitted.
            "override_form": override_form
            if override_form.fields["criterion"].choices
            and application.status != Application.Status.DRAFT
            else None,
            "return_form": return_form
            if application.status == Application.Status.SUBMITTED
            else None,
        }
        for form in (decision_form, override_form, return_form):
            if form.is_bound and form not in shown.values():
                # Sent from a page that another tab or person made stale: say why not taken.
                for error in form.non_field_errors() or [
                    gettext("This application changed meanwhile: it is %(status)s now.")
                    % {"status": application.get_status_display()}
                ]:
                    self.message_user(request, error, messages.ERROR)
        return self.action_page(
            request,
            application,
            title=gettext("Decide on %(application)s") % {"application": application},
            template="admin/programs/application/decide.html",
            screening_table=render_screening(application),
            request_answered=selectors.request_answered(application),
            **shown,
        )

    # --- Bulk actions --------------------------------------------------------------------

    @through_services
    @admin.action(description=_("Screen selected again"), permissions=["change"])
    def screen_again(self, request, queryset):
        count = services.applications_screen(
            application_ids=list(queryset.values_list("pk", flat=True)), actor=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d application screened again.",
                "%(count)d applications screened again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @through_services
    @admin.action(description=_("Accept selected…"), permissions=["change"])
    def accept_selected(self, request, queryset):
        return self._decide_selected(request, queryset, Application.Status.ACCEPTED)

    @through_services
    @admin.action(description=_("Reject selected…"), permissions=["change"])
    def reject_selected(self, request, queryset):
        return self._decide_selected(request, queryset, Application.Status.REJECTED)

    @through_services
    @admin.action(description=_("Waitlist selected…"), permissions=["change"])
    def waitlist_selected(self, request, queryset):
        return self._decide_selected(request, queryset, Application.Status.WAITLISTED)

    def _decide_selected(self, request, queryset, decision):
        """Ask for the reason on an intermediate page, then decide each application."""
        form = BulkDecisionForm(
            request.POST if "_apply" in request.POST else None,
            decision=decision,
            company_ids={application.company_id for application in queryset},
        )
        if form.is_valid():
            decided, refused = 0, []
            for application in queryset:
                try:
                    services.application_decide(
                        application=application,
                        decision=decision,
                        actor=request.user,
                        **form.cleaned_data,
                    )
                except ValidationError as error:
                    refused.append(f"{application.company.name}: {' '.join(error.messages)}")
                else:
                    decided += 1
            if decided:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d application %(status)s.",
                        "%(count)d applications %(status)s.",
                        decided,
                    )
                    % {"count": decided, "status": Application.Status(decision).label},
                    messages.SUCCESS,
                )
            for message in refused:
                self.message_user(request, message, messages.WARNING)
            return None
        # Who reads the reason, per company: it reaches them as it is written.
        languages = {
            company_id: language_names(codes)
            for company_id, codes in company_selectors.member_languages(
                {application.company_id for application in queryset}
            ).items()
        }
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Decide: %(status)s") % {"status": Application.Status(decision).label},
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "applications": queryset,
            "rows": [
                (application, languages.get(application.company_id, "")) for application in queryset
            ],
            "decision_label": Application.Status(decision).label,
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/programs/application/bulk_decide.html", context)
