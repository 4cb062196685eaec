"""The staff side of partners' webhook endpoints.

The center manager creates an endpoint on its add page and rotates its secret on an
action page; both call the room's services and show the new secret once, on the page
that answers the POST: it is stored nowhere, so no later page can show it again. Changes
and deletions go through the services too. Other staff read endpoints and their recent
deliveries (status, attempts, last error; never a payload).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from companies.models import PartnerOrganisation
from companies.webhooks import policies, selectors, services
from companies.webhooks.models import EventType, WebhookEndpoint
from incubator import message_kinds, webhooks
from incubator.admin_mixins import (
    ActionPages,
    ConfirmForm,
    SentOnceForm,
    call_service,
    call_service_once,
    through_services,
)
from incubator.zones import moment_text


def _url_checked(url: str) -> str:
    try:
        webhooks.check_url(url)
    except webhooks.UnsafeWebhookURL as refusal:
        raise ValidationError(str(refusal)) from None
    return url


class EventTypesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=EventType.choices, label=_("event types"), **kwargs)


def _url_field() -> forms.URLField:
    return forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"size": 80}),
        help_text=_("A public https address of the partner's system."),
    )


class WebhookEndpointAddForm(SentOnceForm):
    organisation = forms.ModelChoiceField(
        PartnerOrganisation.objects.filter(is_active=True), label=_("organisation")
    )
    url = _url_field()
    event_types = EventTypesField()
    description = forms.CharField(label=_("description"), max_length=200, required=False)

    def clean_url(self):
        return _url_checked(self.cleaned_data["url"])


class WebhookEndpointChangeForm(forms.ModelForm):
    url = _url_field()
    event_types = EventTypesField()

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "event_types", "is_active", "description"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        return url if url == self.initial.get("url") else _url_checked(url)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ActionPages, admin.ModelAdmin):
    form = WebhookEndpointChangeForm
    list_display = [
        "organisation",
        "url",
        "event_types_shown",
        "is_active",
        "last_delivery_status",
        "last_delivery_at",
    ]
    list_filter = ["is_active", "last_delivery_status", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["url", "description", "organisation__name_ko", "organisation__name_zh"]
    fieldsets = [
        (None, {"fields": ["organisation", "url", "event_types", "is_active", "description"]}),
        (_("Signing secret"), {"fields": ["secret"]}),
        (
            _("Deliveries"),
            {"fields": ["last_delivery_status", "last_delivery_at", "recent_deliveries"]},
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]
    readonly_fields = [
        "organisation",
        "secret",
        "last_delivery_status",
        "last_delivery_at",
        "recent_deliveries",
        "created_at",
        "updated_at",
    ]

    # --- Who may: the manager's permission, and the same policy as the services ---------

    def has_change_permission(self, request, obj=None):
        may = super().has_change_permission(request, obj)
        return may and (obj is None or policies.can_manage_endpoint(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        may = super().has_delete_permission(request, obj)
        return may and (obj is None or policies.can_manage_endpoint(request.user, obj))

    # --- Display ------------------------------------------------------------------------

    @admin.display(description=_("event types"))
    def event_types_shown(self, endpoint):
        labels = dict(EventType.choices)
        return ", ".join(str(labels.get(value, value)) for value in endpoint.event_types)

    @admin.display(description=_("secret"))
    def secret(self, endpoint):
        # The change page's "Rotate the secret" button makes a new one.
        return gettext("Shown once, when the endpoint was created or its secret rotated.")

    @admin.display(description=_("recent deliveries"))
    def recent_deliveries(self, endpoint):
        rows = list(selectors.endpoint_deliveries(endpoint))
        if not rows:
            return gettext("None yet.")
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            gettext("created at"),
            gettext("event type"),
            gettext("status"),
            gettext("attempts"),
            gettext("last error"),
            gettext("sent or next attempt at"),
        )
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    moment_text(message.created_at, seconds=True),
                    message_kinds.label_of(message.kind),
                    message.get_status_display(),
                    message.attempts,
                    webhooks.error_in_language(message.last_error) or "—",
                    _delivery_time(message),
                )
                for message in rows
            ),
        )
        return format_html("<table>{}{}</table>", head, body)

    # --- Writes: all through the services ------------------------------------------------

    @through_services
    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        saved = services.webhook_endpoint_update(endpoint=obj, actor=request.user, **fields)
        obj.__dict__.update(saved.__dict__)

    @through_services
    def delete_model(self, request, obj):
        services.webhook_endpoint_delete(endpoint=obj, actor=request.user)

    @through_services
    def delete_queryset(self, request, queryset):
        for endpoint in queryset.select_related("organisation"):
            services.webhook_endpoint_delete(endpoint=endpoint, actor=request.user)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/rotate-secret/",
                self.admin_site.admin_view(self.rotate_view),
                name="companies_webhookendpoint_rotate",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = WebhookEndpointAddForm(request.POST)
        else:
            form = WebhookEndpointAddForm(initial={"organisation": request.GET.get("organisation")})
        if form.is_bound and form.is_valid():
            made = call_service_once(form, services.webhook_endpoint_create, actor=request.user)
            if made:
                endpoint, secret = made
                return self._secret_page(
                    request, endpoint, secret, title=gettext("The endpoint is created")
                )
        return self.action_page(
            request,
            None,
            title=gettext("Add a webhook endpoint"),
            form=form,
            submit_label=gettext("Create the endpoint and show its secret"),
        )

    def rotate_view(self, request, object_id):
        endpoint = self.action_object(request, object_id)
        form = ConfirmForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            secret = call_service(
                form, services.webhook_endpoint_rotate_secret, endpoint=endpoint, actor=request.user
            )
            if secret:
                return self._secret_page(
                    request, endpoint, secret, title=gettext("The secret is rotated")
                )
        return self.action_page(
            request,
            endpoint,
            title=gettext("Rotate the secret of %(endpoint)s") % {"endpoint": endpoint},
            template="admin/companies/webhookendpoint/rotate.html",
            form=form,
            submit_label=gettext("Rotate the secret"),
        )

    def _secret_page(self, request, endpoint, secret: str, *, title: str) -> TemplateResponse:
        response = self.action_page(
            request,
            endpoint,
            title=title,
            template="admin/companies/webhookendpoint/secret.html",
            secret=secret,
            signature_header=webhooks.HEADER_SIGNATURE,
            guide=request.build_absolute_uri(reverse("api:webhooks-guide")),
        )
        # Nothing keeps a copy: not the browser's cache, not a proxy's.
        add_never_cache_headers(response)
        return response


def _delivery_time(message) -> str:
    moment = message.sent_at or (
        message.available_at if message.status == message.Status.PENDING else None
    )
    return moment_text(moment, seconds=True) if moment else "—"


def endpoints_link(organisation) -> str:
    """Return the links to an organisation's endpoints and to adding one (its admin page)."""
    if organisation.pk is None:
        return "—"
    count = organisation.webhook_endpoints.count()
    changelist = reverse("admin:companies_webhookendpoint_changelist")
    return format_html(
        '<a href="{}?organisation__id__exact={}">{}</a>',
        changelist,
        organisation.pk,
        ngettext("%(count)d webhook endpoint", "%(count)d webhook endpoints", count)
        % {"count": count},
    )
