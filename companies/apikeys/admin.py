"""The manager's page of partner API keys: made and revoked through the services only.

A new key is shown once, on the page that made it; the database keeps its hash.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import APIKey

from companies.apikeys import services
from companies.apikeys.models import PartnerAPIKey, Scope
from companies.apikeys.policies import can_manage_api_keys
from companies.models import PartnerOrganisation
from incubator.admin_mixins import (
    ActionPages,
    SentOnceForm,
    call_service,
    call_service_once,
    through_services,
)


class APIKeyCreateForm(SentOnceForm):
    organisation = forms.ModelChoiceField(
        PartnerOrganisation.objects.filter(is_active=True), label=_("organisation")
    )
    name = forms.CharField(
        label=_("name"), max_length=50, help_text=_("What the key is for, e.g. CRM sync.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expiry_date = forms.DateTimeField(
        label=_("expires at"),
        required=False,
        help_text=_("Optional, e.g. 2027-12-31 18:00 (the center's time zone)."),
    )


class APIKeyRevokeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Revoke this key"), help_text=_("Its next call gets 401. This cannot be undone.")
    )


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(ActionPages, admin.ModelAdmin):
    list_display = (
        "name",
        "organisation",
        "prefix",
        "scope_list",
        "created",
        "expiry_date",
        "last_used_at",
        "revoked",
    )
    list_filter = ("revoked", "organisation")
    search_fields = (
        "name",
        "prefix",
        "organisation__name_zh",
        "organisation__name_ko",
        "organisation__name_en",
    )
    list_select_related = ("organisation",)
    # None: the list's checkboxes would carry each key's id, and the id holds its hash.
    actions = None
    # No hashed_key, no id: the hash is of no use to a reader, and the id contains it.
    fields = (
        "name",
        "organisation",
        "prefix",
        "scope_list",
        "created",
        "created_by",
        "expiry_date",
        "last_used_at",
        "revoked",
        "revoked_at",
    )
    readonly_fields = fields

    @admin.display(description=_("scopes"))
    def scope_list(self, key):
        return ", ".join(key.scopes)

    def has_add_permission(self, request):
        return can_manage_api_keys(request.user)

    def url_id(self, key):
        # The library's id is "prefix.hash". The addresses name a key by its prefix, unique
        # and shown in the list, so that no hash reaches a URL, a browser's history, a
        # proxy's log or a Referer.
        return key.prefix

    def get_object(self, request, object_id, from_field=None):
        return self.get_queryset(request).filter(prefix=object_id).first()

    def get_changelist(self, request, **kwargs):
        return _KeyChangeList

    def has_change_permission(self, request, obj=None):
        return False

    @through_services
    def save_model(self, request, obj, form, change):
        # Keys are made by the add page's service (add_view below), never saved here.
        raise PermissionDenied

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/revoke/",
                self.admin_site.admin_view(self.revoke_view),
                name="companies_partnerapikey_revoke",
            )
        ] + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        if not can_manage_api_keys(request.user):
            raise PermissionDenied
        form = APIKeyCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            made = call_service_once(form, services.api_key_create, actor=request.user)
            if made:
                key_row, key = made
                # Rendered, not redirected: the key must not travel through a message
                # stored in the session, and it is never shown again.
                return self.action_page(
                    request,
                    None,
                    title=gettext("API key made"),
                    template="admin/companies/partnerapikey/made.html",
                    key_row=key_row,
                    key=key,
                )
        return self.action_page(
            request,
            None,
            title=gettext("Make an API key"),
            form=form,
            submit_label=gettext("Make the key"),
        )

    def revoke_view(self, request, object_id):
        key = self.action_object(
            request, object_id, allowed=lambda request, obj: can_manage_api_keys(request.user)
        )
        form = APIKeyRevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if call_service(form, services.api_key_revoke, actor=request.user, key=key):
                return self.action_done(request, key, gettext("The key is revoked."))
        return self.action_page(
            request,
            key,
            title=gettext("Revoke the key"),
            form=form,
            submit_label=gettext("Revoke"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_revoke": can_manage_api_keys(request.user),
            "key_history_url": self._history_url(self.get_object(request, unquote(object_id))),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _history_url(key) -> str | None:
        """The key's part of the audit trail: the services file its records under its
        organisation (a key's id holds its hash), each naming the key's prefix."""
        if key is None:
            return None
        query = urlencode(
            {
                "object_type__id__exact": ContentType.objects.get_for_model(PartnerOrganisation).pk,
                "object_id": key.organisation_id,
                "changes__prefix": key.prefix,
            }
        )
        return f"{reverse('admin:incubator_auditrecord_changelist')}?{query}"


class _KeyChangeList(ChangeList):
    def url_for_result(self, result):
        return reverse(
            "admin:companies_partnerapikey_change",
            args=[quote(self.model_admin.url_id(result))],
            current_app=self.model_admin.admin_site.name,
        )


# The library's own key model is unused: every key belongs to an organisation.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)
