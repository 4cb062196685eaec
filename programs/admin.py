"""The staff side of programs: cohorts, enrollments and their stages, milestones, local
entities, concierge service requests, the support fund and the quarterly reports.

Every change that matters goes through `programs.services`; the admin validates
input, calls one service and shows the result. The pipeline board, the stage
move, the request conversation and the fund decision are pages of their own.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies import validators
from incubator.admin_mixins import ServiceOwnedChangeForm
from incubator.forms import DateInput
from incubator.models import User
from programs import policies, selectors, services, stages
from programs.admissions import admin as admissions_admin  # noqa: F401  registers its models
from programs.models import (
    Cohort,
    Disbursement,
    Enrollment,
    FundApplication,
    FundCall,
    Intake,
    LocalEntity,
    Milestone,
    MilestoneTemplate,
    QuarterlyReport,
    ServiceMessage,
    ServiceRequest,
    ServiceTarget,
    StageTransition,
)


def _money(amount, currency) -> str:
    return validators.format_money(amount, currency) if amount is not None else "—"


def _overdue(text: str, overdue: bool):
    if overdue:
        return format_html('<span class="overdue" title="{}">{}</span>', _("overdue"), text)
    return text


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _call(form, service, **kwargs):
    """Call the service; turn its ValidationError into form errors. Return its result or None."""
    try:
        return service(**kwargs) or True
    except ValidationError as error:
        _add_errors(form, error)
        return None


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Programs and cohorts ------------------------------------------------------------------


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["label", "program", "starts_on", "ends_on", "enrolled", "open_now"]
    list_filter = ["program"]
    search_fields = ["label", "program__name_ko", "program__name_zh", "program__name_en"]
    list_select_related = ["program"]
    fields = ["program", "label", "intake", "starts_on", "ends_on"]

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
        return [("open", _("open")), ("overdue", _("overdue")), ("done", _("done"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "open":
            return queryset.filter(done_at__isnull=True)
        if self.value() == "overdue":
            return queryset.filter(selectors.overdue_milestones_q(today))
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
                services.milestone_reschedule(
                    milestone=obj, due_on=form.cleaned_data["due_on"], actor=request.user
                )
            if form.cleaned_data.get("mark_done"):
                services.milestone_complete(
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


class QuarterlyReportInline(ReadOnlyInline):
    model = QuarterlyReport
    fields = [
        "period",
        "revenue_display",
        "employees_china",
        "employees_korea",
        "funding_display",
        "customers_china",
        "submitted_at",
    ]
    readonly_fields = fields
    verbose_name_plural = _("quarterly reports (the series)")

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("year", "quarter")

    @admin.display(description=_("quarter"))
    def period(self, report):
        return str(report.period)

    @admin.display(description=_("revenue"))
    def revenue_display(self, report):
        return _money(report.revenue, report.revenue_currency)

    @admin.display(description=_("funding raised"))
    def funding_display(self, report):
        return _money(report.funding_raised, report.funding_currency)


# --- Enrollments: list, pipeline board, stage moves -----------------------------------------


class CohortFilter(admin.RelatedFieldListFilter):
    """Cohorts named with their program, in one query."""

    def field_choices(self, field, request, model_admin):
        return [(c.pk, str(c)) for c in Cohort.objects.select_related("program")]


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


@admin.register(Enrollment)
class EnrollmentAdmin(ServiceOwnedChangeForm, admin.ModelAdmin):
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
    list_filter = ["stage", ("cohort", CohortFilter)]
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
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .annotate(
                done_total=Count(
                    "milestones", filter=Q(milestones__done_at__isnull=False), distinct=True
                ),
                milestone_total=Count("milestones", distinct=True),
                overdue_total=Count(
                    "milestones",
                    filter=selectors.overdue_milestones_q(today, "milestones__", "stage"),
                    distinct=True,
                ),
            )
        )

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

    @admin.display(description=_("overdue milestones"), ordering="overdue_total")
    def overdue(self, enrollment):
        return _overdue(str(enrollment.overdue_total), enrollment.overdue_total > 0)

    @admin.display(description=_("local entities"))
    def local_entities(self, enrollment):
        entities = selectors.local_entities_for_company(enrollment.company_id)
        return ", ".join(str(e) for e in entities) or "—"

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        enrollment = services.enrollment_create(
            company=form.cleaned_data["company"],
            cohort=form.cleaned_data["cohort"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
            started_on=form.cleaned_data["started_on"],
        )
        obj.pk = enrollment.pk
        obj._state.adding = False

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

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
        """The board: companies per stage and per cohort, what is overdue, at a glance."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        board = selectors.pipeline()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Pipeline board"),
            "subtitle": None,
            "opts": self.opts,
            **board,
            "stage_labels": [Enrollment.Stage(s).label for s in stages.STAGES],
            "columns": [
                (stage, Enrollment.Stage(stage).label, rows) for stage, rows in board["columns"]
            ],
        }
        return TemplateResponse(request, "admin/programs/enrollment/pipeline.html", context)

    def move_view(self, request, object_id):
        enrollment = self.get_object(request, unquote(object_id))
        if enrollment is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, enrollment):
            raise PermissionDenied
        may_override = policies.can_override_stage_guard(request.user)
        form = MoveForm(request.POST or None, enrollment=enrollment, may_override=may_override)
        if request.method == "POST" and form.is_valid():
            to_stage = form.cleaned_data["to_stage"]
            if _call(
                form,
                services.enrollment_advance,
                enrollment=enrollment,
                to_stage=to_stage,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                override=form.cleaned_data.get("override", False),
            ):
                self.message_user(
                    request,
                    gettext("%(company)s: now in %(stage)s.")
                    % {"company": enrollment.company, "stage": Enrollment.Stage(to_stage).label},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:programs_enrollment_change", args=[quote(enrollment.pk)])
                )
        open_required = enrollment.milestones.filter(
            stage=enrollment.stage, required=True, done_at__isnull=True
        )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Move %(enrollment)s") % {"enrollment": enrollment},
            "subtitle": None,
            "opts": self.opts,
            "original": enrollment,
            "form": form if form.fields["to_stage"].choices else None,
            "open_required": open_required,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/programs/enrollment/move.html", context)


# --- Local entities --------------------------------------------------------------------------


class LocalEntityForm(forms.ModelForm):
    class Meta:
        model = LocalEntity
        fields = [
            "company",
            "name_zh",
            "uscc",
            "registered_on",
            "city",
            "registered_capital",
            "capital_currency",
        ]

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
        entity = services.local_entity_register(
            company=form.cleaned_data["company"],
            actor=request.user,
            **{name: form.cleaned_data[name] for name in form.Meta.fields if name != "company"},
        )
        obj.pk = entity.pk
        obj._state.adding = False


# --- Concierge service requests ----------------------------------------------------------------


@admin.register(ServiceTarget)
class ServiceTargetAdmin(admin.ModelAdmin):
    list_display = ["kind", "days"]
    list_editable = ["days"]


class OverdueRequestFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("overdue")), ("unassigned", _("no owner yet"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(
                status__in=ServiceRequest.ACTIVE, due_on__lt=timezone.localdate()
            )
        if self.value() == "unassigned":
            return queryset.filter(status__in=ServiceRequest.ACTIVE, owner__isnull=True)
        return queryset


class ServiceRequestAddForm(forms.ModelForm):
    body = forms.CharField(label=_("message"), widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label=_("file"), required=False)

    class Meta:
        model = ServiceRequest
        fields = ["company", "kind", "subject", "owner", "due_on"]
        widgets = {"due_on": DateInput()}
        help_texts = {"due_on": _("Empty: from the target of the kind of request.")}


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("message"), required=False, widget=forms.Textarea(attrs={"rows": 5, "cols": 80})
    )
    attachment = forms.FileField(label=_("file"), required=False)


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())
    due_on = forms.DateField(
        label=_("due on"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: from the target of the kind of request."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(is_staff=True, is_active=True)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"))

    def __init__(self, *args, service_request: ServiceRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s, ServiceRequest.Status(s).label)
            for s in ServiceRequest.TRANSITIONS[service_request.status]
        ]


class ServiceMessageInline(ReadOnlyInline):
    model = ServiceMessage
    fields = ["created_at", "author", "from_center", "body", "attachment"]
    readonly_fields = fields
    verbose_name_plural = _("messages")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    @admin.display(description=_("file"))
    def attachment(self, message):
        if not message.file:
            return "—"
        url = reverse("programs:request-file", args=[message.request_id, message.pk])
        return format_html('<a href="{}">{}</a>', url, message.original_name)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ServiceOwnedChangeForm, admin.ModelAdmin):
    list_display = [
        "number",
        "subject",
        "company",
        "kind",
        "status",
        "waiting_on",
        "owner",
        "due",
        "opened_at",
    ]
    list_display_links = ["number", "subject"]
    list_select_related = ["company", "owner"]
    list_filter = [OverdueRequestFilter, "status", "kind", "waiting_on", "owner"]
    search_fields = ["subject", "company__name_ko", "company__name_zh", "company__name_en"]
    ordering = ["status", "due_on", "-opened_at"]
    autocomplete_fields = ["company"]
    readonly_fields = [
        "company",
        "enrollment",
        "kind",
        "subject",
        "status",
        "waiting_on",
        "owner",
        "due_on",
        "opened_by",
        "opened_at",
        "resolved_at",
        "closed_at",
    ]
    inlines = [ServiceMessageInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ServiceRequestAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["company", "kind", "subject", "body", "attachment", "owner", "due_on"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = User.objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="#", ordering="pk")
    def number(self, service_request):
        return service_request.pk

    @admin.display(description=_("due on"), ordering="due_on")
    def due(self, service_request):
        if service_request.due_on is None:
            return "—"
        return _overdue(service_request.due_on.isoformat(), service_request.is_overdue())

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        service_request = services.service_request_open(
            company=form.cleaned_data["company"],
            kind=form.cleaned_data["kind"],
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            actor=request.user,
            uploaded_file=form.cleaned_data.get("attachment"),
            max_bytes=settings.UPLOAD_MAX_BYTES,
            owner=form.cleaned_data.get("owner"),
            due_on=form.cleaned_data.get("due_on"),
        )
        obj.pk = service_request.pk
        obj._state.adding = False

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_urls(self):
        return [
            path(
                "<path:object_id>/conversation/",
                self.admin_site.admin_view(self.conversation_view),
                name="programs_servicerequest_conversation",
            )
        ] + super().get_urls()

    def conversation_view(self, request, object_id):
        """The thread with the company: reply (with a file), assign, resolve or close."""
        service_request = self.get_object(request, unquote(object_id))
        if service_request is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, service_request):
            raise PermissionDenied
        may_change = self.has_change_permission(request, service_request)
        reply_form = ReplyForm(prefix="reply")
        assign_form = AssignForm(
            prefix="assign",
            initial={"owner": service_request.owner_id, "due_on": service_request.due_on},
        )
        status_form = StatusForm(prefix="status", service_request=service_request)
        if request.method == "POST":
            if not may_change:
                raise PermissionDenied
            done = None
            if "_reply" in request.POST:
                reply_form = ReplyForm(request.POST, request.FILES, prefix="reply")
                if reply_form.is_valid():
                    done = _call(
                        reply_form,
                        services.service_request_reply,
                        service_request=service_request,
                        actor=request.user,
                        body=reply_form.cleaned_data["body"],
                        uploaded_file=reply_form.cleaned_data["attachment"],
                        max_bytes=settings.UPLOAD_MAX_BYTES,
                    )
                    message = gettext("Your answer is sent to the company.")
            elif "_assign" in request.POST:
                assign_form = AssignForm(request.POST, prefix="assign")
                if assign_form.is_valid():
                    done = _call(
                        assign_form,
                        services.service_request_assign,
                        service_request=service_request,
                        owner=assign_form.cleaned_data["owner"],
                        due_on=assign_form.cleaned_data["due_on"],
                        actor=request.user,
                    )
                    message = gettext("The owner and the due date are saved.")
            elif "_status" in request.POST:
                status_form = StatusForm(
                    request.POST, prefix="status", service_request=service_request
                )
                if status_form.is_valid():
                    done = _call(
                        status_form,
                        services.service_request_set_status,
                        service_request=service_request,
                        status=status_form.cleaned_data["status"],
                        actor=request.user,
                    )
                    message = gettext("The status is changed.")
            if done:
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": f"#{service_request.pk} {service_request.subject}",
            "subtitle": None,
            "opts": self.opts,
            "original": service_request,
            "thread": selectors.service_messages(service_request),
            "may_change": may_change,
            "reply_form": reply_form if service_request.status != "closed" else None,
            "assign_form": assign_form if service_request.status != "closed" else None,
            "status_form": status_form if status_form.fields["status"].choices else None,
            "today": timezone.localdate(),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/programs/servicerequest/conversation.html", context)


# --- Support fund ----------------------------------------------------------------------------


class FundCallForm(forms.ModelForm):
    class Meta:
        model = FundCall
        fields = [
            "title_ko",
            "title_zh",
            "title_en",
            "description_ko",
            "description_zh",
            "description_en",
            "opens_at",
            "closes_at",
            "budget",
            "currency",
        ]


@admin.register(FundCall)
class FundCallAdmin(admin.ModelAdmin):
    form = FundCallForm
    list_display = ["title", "opens_at", "closes_at", "budget_display", "remaining_display"]
    search_fields = ["title_ko", "title_zh", "title_en"]
    readonly_fields = ["remaining_display"]

    def get_fields(self, request, obj=None):
        fields = list(FundCallForm.Meta.fields)
        return fields if obj is None else [*fields, "remaining_display"]

    @admin.display(description=_("budget"), ordering="budget")
    def budget_display(self, call):
        return _money(call.budget, call.currency)

    @admin.display(description=_("remaining budget"), ordering="remaining")
    def remaining_display(self, call):
        return _money(call.remaining, call.currency)

    # Budgets are the center manager's: the same permission as fund decisions.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and policies.can_decide_fund(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and policies.can_decide_fund(
            request.user
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.fund_call_save(call=obj, actor=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class FundDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        widget=forms.RadioSelect,
        choices=[
            (FundApplication.Status.GRANTED, _("grant")),
            (FundApplication.Status.REJECTED, _("reject")),
        ],
    )
    amount_granted = forms.DecimalField(
        label=_("amount granted"), max_digits=16, decimal_places=2, required=False
    )
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("The company reads this reason with the decision."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == FundApplication.Status.GRANTED and not data.get(
            "amount_granted"
        ):
            self.add_error("amount_granted", _("Enter the amount granted."))
        return data


class DisbursementForm(forms.Form):
    amount = forms.DecimalField(label=_("amount"), max_digits=16, decimal_places=2)
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput())
    reference = forms.CharField(label=_("payment reference"), max_length=100, required=False)


class DisbursementInline(ReadOnlyInline):
    model = Disbursement
    fields = ["paid_on", "amount", "reference", "created_by", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


@admin.register(FundApplication)
class FundApplicationAdmin(ServiceOwnedChangeForm, admin.ModelAdmin):
    list_display = [
        "company",
        "call",
        "requested",
        "status",
        "granted",
        "paid_out",
        "submitted_at",
        "decided_by",
    ]
    list_select_related = ["company", "call", "decided_by"]
    list_filter = ["status", "call"]
    search_fields = ["company__name_ko", "company__name_zh", "company__name_en"]
    readonly_fields = [
        "call",
        "company",
        "enrollment",
        "requested",
        "purpose",
        "status",
        "granted",
        "paid_out",
        "decision_reason",
        "decided_by",
        "decided_at",
        "submitted_by",
        "submitted_at",
    ]
    fields = readonly_fields
    inlines = [DisbursementInline]

    def has_add_permission(self, request):
        return False  # companies apply in the portal

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("amount requested"), ordering="amount_requested")
    def requested(self, application):
        return _money(application.amount_requested, application.call.currency)

    @admin.display(description=_("amount granted"), ordering="amount_granted")
    def granted(self, application):
        return _money(application.amount_granted, application.call.currency)

    @admin.display(description=_("disbursed"), ordering="disbursed")
    def paid_out(self, application):
        return _money(application.disbursed, application.call.currency)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="programs_fundapplication_decide",
            )
        ] + super().get_urls()

    def decide_view(self, request, object_id):
        application = self.get_object(request, unquote(object_id))
        if application is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        may_decide = policies.can_decide_fund(request.user, application)
        may_pay = policies.can_disburse(request.user, application)
        if not (may_decide or may_pay):
            raise PermissionDenied
        decision_form = FundDecisionForm(prefix="decision")
        payment_form = DisbursementForm(prefix="payment")
        if request.method == "POST":
            done = None
            if "_decide" in request.POST and may_decide:
                decision_form = FundDecisionForm(request.POST, prefix="decision")
                if decision_form.is_valid():
                    done = _call(
                        decision_form,
                        services.fund_decide,
                        application=application,
                        decision=decision_form.cleaned_data["decision"],
                        amount_granted=decision_form.cleaned_data["amount_granted"],
                        actor=request.user,
                        reason=decision_form.cleaned_data["reason"],
                    )
            elif "_pay" in request.POST and may_pay:
                payment_form = DisbursementForm(request.POST, prefix="payment")
                if payment_form.is_valid():
                    done = _call(
                        payment_form,
                        services.fund_disburse,
                        application=application,
                        actor=request.user,
                        **payment_form.cleaned_data,
                    )
            else:
                raise PermissionDenied
            if done:
                self.message_user(request, gettext("Saved."), messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        submitted = application.status == FundApplication.Status.SUBMITTED
        granted = application.status == FundApplication.Status.GRANTED
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Decide on %(application)s") % {"application": application},
            "subtitle": None,
            "opts": self.opts,
            "original": application,
            "call": application.call,
            "remaining": _money(application.call.remaining, application.call.currency),
            "undisbursed": _money(application.undisbursed, application.call.currency),
            "decision_form": decision_form if (may_decide and submitted) else None,
            "payment_form": payment_form if (may_pay and granted) else None,
            "disbursements": application.disbursements.all(),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/programs/fundapplication/decide.html", context)


# --- Quarterly reports -----------------------------------------------------------------------


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(admin.ModelAdmin):
    list_display = [
        "company",
        "period",
        "revenue_display",
        "employees_china",
        "employees_korea",
        "funding_display",
        "customers_china",
        "submitted_at",
    ]
    list_select_related = ["company"]
    list_filter = ["year", "quarter"]
    search_fields = ["company__name_ko", "company__name_zh", "company__name_en"]
    ordering = ["company__name_ko", "year", "quarter"]

    def has_add_permission(self, request):
        return False  # companies file them in the portal

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("quarter"), ordering="year")
    def period(self, report):
        return str(report.period)

    @admin.display(description=_("revenue"), ordering="revenue")
    def revenue_display(self, report):
        return _money(report.revenue, report.revenue_currency)

    @admin.display(description=_("funding raised"), ordering="funding_raised")
    def funding_display(self, report):
        return _money(report.funding_raised, report.funding_currency)
