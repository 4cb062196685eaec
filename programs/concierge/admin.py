"""The staff side of the concierge: service targets and requests, with their conversation."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from incubator.admin_mixins import (
    CreatedThroughService,
    ReadOnlyInline,
    Rows,
    ServiceAdmin,
    ServiceModelAdmin,
    call_service,
)
from incubator.exports import ExportAdminMixin, column, field_column, translated
from incubator.forms import DateInput
from programs.admin_display import overdue as _overdue
from programs.concierge import policies as concierge_policies
from programs.concierge import selectors as concierge_selectors
from programs.concierge import services as concierge_services
from programs.models import (
    ServiceMessage,
    ServiceRequest,
    ServiceTarget,
)

# --- Concierge service requests ----------------------------------------------------------------


@admin.register(ServiceTarget)
class ServiceTargetAdmin(ServiceAdmin):
    rows = Rows.kept_by_staff("service_target")
    list_display = ["kind", "days"]
    list_editable = ["days"]


class OverdueRequestFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("overdue")), ("unassigned", _("no owner yet"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(concierge_selectors.overdue_requests_q(timezone.localdate()))
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
        error_messages = {"owner": {"invalid_choice": concierge_services.NOT_AN_OWNER}}


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("message"), required=False, widget=forms.Textarea(attrs={"rows": 5, "cols": 80})
    )
    attachment = forms.FileField(label=_("file"), required=False)


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("owner"),
        queryset=concierge_selectors.request_owner_choices(),
        error_messages={"invalid_choice": concierge_services.NOT_AN_OWNER},
    )
    due_on = forms.DateField(
        label=_("due on"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: from the target of the kind of request."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"))

    def __init__(self, *args, service_request: ServiceRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s, ServiceRequest.Status(s).label)
            for s in ServiceRequest.TRANSITIONS[service_request.status]
        ]


def _reply_sent(reply: concierge_services.Reply) -> str:
    """Say what became of the center's answer: sent, or only kept when nobody could be told."""
    if reply.told:
        return gettext("Your answer is sent to the company.")
    return gettext(
        "Your answer is saved on the request, but nobody was told: the company has no portal"
        " account."
    )


class ServiceMessageInline(ReadOnlyInline):
    model = ServiceMessage
    fields = ["created_at", "author", "from_center", "body", "attachment"]
    readonly_fields = fields
    verbose_name_plural = _("messages")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_view_permission(self, request, obj=None):
        may_view = super().has_view_permission(request, obj)
        return may_view and (obj is None or concierge_policies.can_read_thread(request.user, obj))

    def get_fields(self, request, obj=None):
        # Who may not open the files sees their names, not a link that answers 404.
        fields = list(super().get_fields(request, obj))
        if obj is not None and not concierge_policies.can_see_request_files(request.user, obj):
            fields[fields.index("attachment")] = "original_name"
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_("file"))
    def attachment(self, message):
        if not message.file:
            return "—"
        url = reverse("programs:request-file", args=[message.request_id, message.pk])
        return format_html('<a href="{}">{}</a>', url, message.original_name)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ExportAdminMixin, CreatedThroughService, ServiceModelAdmin):
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
    # The queue in the order of the work (open, in progress, resolved, closed), newest first.
    ordering = [concierge_selectors.STATUS_RANK.asc(), "-opened_at", "-pk"]
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
    export_columns = (
        column("#", "id"),
        field_column(ServiceRequest, "subject"),
        translated(_("company"), "company__name"),
        *(field_column(ServiceRequest, name) for name in ("kind", "status", "waiting_on")),
        # The owner is one of the center's staff, but an e-mail address all the same: the
        # viewer's copy leaves it out as it leaves out everyone's.
        column(_("owner"), "owner__email", personal=True),
        *(
            field_column(ServiceRequest, name)
            for name in ("due_on", "opened_at", "resolved_at", "closed_at")
        ),
    )

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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The conversation page's link, for whoever it opens for.
        context["may_read_thread"] = obj is not None and concierge_policies.can_read_thread(
            request.user, obj
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = concierge_selectors.request_owner_choices()
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

    def create(self, request, form):
        return concierge_services.service_request_open(
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
        service_request = self.action_object(
            request,
            object_id,
            allowed=lambda request, obj: concierge_policies.can_read_thread(request.user, obj),
            refused_because=lambda request, obj: gettext(
                "The conversation with the company is read by the staff who handle service"
                " requests."
            ),
        )
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
                    done = call_service(
                        reply_form,
                        concierge_services.service_request_reply,
                        service_request=service_request,
                        actor=request.user,
                        body=reply_form.cleaned_data["body"],
                        uploaded_file=reply_form.cleaned_data["attachment"],
                        max_bytes=settings.UPLOAD_MAX_BYTES,
                    )
                    message = _reply_sent(done) if done else None
            elif "_assign" in request.POST:
                assign_form = AssignForm(request.POST, prefix="assign")
                if assign_form.is_valid():
                    done = call_service(
                        assign_form,
                        concierge_services.service_request_assign,
                        service_request=service_request,
                        owner=assign_form.cleaned_data["owner"],
                        due_on=assign_form.cleaned_data["due_on"],
                        actor=request.user,
                    )
                    if done:
                        message = gettext(
                            "The owner and the due date are saved; the request is due on %(day)s."
                        ) % {"day": done.due_on.isoformat()}
            elif "_status" in request.POST:
                status_form = StatusForm(
                    request.POST, prefix="status", service_request=service_request
                )
                if status_form.is_valid():
                    done = call_service(
                        status_form,
                        concierge_services.service_request_set_status,
                        service_request=service_request,
                        status=status_form.cleaned_data["status"],
                        actor=request.user,
                    )
                    message = gettext("The status is changed.")
            if done:
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        return self.action_page(
            request,
            service_request,
            title=f"#{service_request.pk} {service_request.subject}",
            template="admin/programs/servicerequest/conversation.html",
            thread=concierge_selectors.service_messages(service_request),
            may_change=may_change,
            may_see_files=concierge_policies.can_see_request_files(request.user, service_request),
            reply_form=reply_form if service_request.status != "closed" else None,
            assign_form=assign_form if service_request.status != "closed" else None,
            status_form=status_form if status_form.fields["status"].choices else None,
            today=timezone.localdate(),
        )
