import copy
import functools
import json

from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import FORMFIELD_FOR_DBFIELD_DEFAULTS
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    ReadOnlyPasswordHashWidget,
    SetUnusablePasswordMixin,
)
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

import incubator.third_party_admin  # noqa: F401 (the third-party apps' pages)
from incubator import account_services, audit_verbs, message_kinds, roles, services
from incubator.admin_mixins import PageRows, ReadOnlyAdmin, Rows, ServiceAdmin, through_services
from incubator.audit import company_names, redacted
from incubator.models import AuditRecord, OutboxMessage, User

admin.site.site_header = _("China–Korea Innovation & Startup Center")
admin.site.site_title = _("China–Korea Center admin")
admin.site.index_title = _("Center operations")

# Staff type "example.kr" in a link field: every admin page assumes the secure scheme, as
# the portal's forms do (and Django 6 will; Django 5 warns on each form that does not say).
FORMFIELD_FOR_DBFIELD_DEFAULTS[models.URLField] = {
    **FORMFIELD_FOR_DBFIELD_DEFAULTS[models.URLField],
    "assume_scheme": "https",
}


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django joins its help text to an English warning when its module is imported, in the
    # language active then: Korean on every page, whatever the reader's language.
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )

    def __init__(self, user, *args, actor=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.actor = actor

    def save(self, commit=True):
        usable = self.cleaned_data["set_usable_password"]
        return account_services.account_password_set_by_staff(
            user=self.user,
            actor=self.actor,
            password=self.cleaned_data["password1"] if usable else None,
        )


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """The password's summary without Django's button to the password page: for a reader
    whom that page refuses (only who may change the account sets its password)."""

    def render(self, name, value, attrs=None, renderer=None):
        summary = self.get_context(name, value, attrs)["summary"]
        return format_html(
            "<div><p>{}</p></div>",
            format_html_join(
                " ",
                "<strong>{}</strong>{}",
                (
                    (entry["label"], f": {entry['value']}" if entry.get("value") else "")
                    for entry in summary
                ),
            ),
        )


def language_name(code):
    """Return a language's name in the reader's language ("Simplified Chinese" for zh-hans)."""
    return dict(settings.LANGUAGES).get(code, code or "–")


class LanguageFilter(admin.SimpleListFilter):
    """The languages by their names, not their codes."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return settings.LANGUAGES

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


class RoleFilter(admin.SimpleListFilter):
    """The staff roles by their names (each role is a group whose name is its code)."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return list(roles.ROLE_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


def autocomplete_source(site, request):
    """Return the admin of the model whose field the admin's autocomplete answers for, or
    None when `request` is not an autocomplete's."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "autocomplete":
        return None
    try:
        model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
    except (KeyError, LookupError, ValueError):
        return None
    return site._registry.get(model)


@admin.register(User)
class UserAdmin(ServiceAdmin, BaseUserAdmin):
    """Accounts and their roles, the center manager's: saved and deleted by the account
    services, which leave an audit record of who gave whom which access."""

    rows = Rows("user", delete=account_services.account_delete_by_staff)  # saved by save_model

    change_password_form = PasswordChangeForm
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "time_zone", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", RoleFilter, "language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "language", "time_zone", "email_verified"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    filter_horizontal = ["groups"]

    @through_services
    def save_model(self, request, obj, form, change):
        groups = form.cleaned_data["groups"] if "groups" in form.changed_data else None
        account_services.account_save_by_staff(
            user=obj, actor=request.user, fields=form.changed_data, groups=groups
        )

    @through_services
    def save_related(self, request, form, formsets, change):
        pass  # the roles were saved with the account, by its service

    @through_services
    def user_change_password(self, request, id, form_url=""):
        # Django's page makes its form as self.change_password_form(user, data), and the
        # form's save calls the service, which needs the actor: this request's own copy of
        # the admin hands it over, where the admin that every request shares cannot.
        for_request = copy.copy(self)
        for_request.change_password_form = functools.partial(
            self.change_password_form, actor=request.user
        )
        return super(UserAdmin, for_request).user_change_password(request, id, form_url)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "password" in form.base_fields:
            if not self.has_change_permission(request, obj):
                # A copy: the field is the class's, shared with every reader's form.
                field = copy.deepcopy(form.base_fields["password"])
                field.widget = PasswordSummaryWidget()
                form.base_fields["password"] = field
        return form

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The autocomplete of another model's user field offers the accounts that model may
        # take, which its admin knows (`users_to_offer`): the core knows none of the roles.
        source = autocomplete_source(self.admin_site, request)
        if source is not None and hasattr(source, "users_to_offer"):
            found = source.users_to_offer(request, found)
        return found, may_have_duplicates

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = lambda group: roles.ROLE_LABELS.get(group.name, group.name)
        return field


class MessageKindFilter(admin.SimpleListFilter):
    """The kinds of messages by their names (incubator.message_kinds), without a query."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return message_kinds.labels()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ServiceAdmin):
    rows = Rows("message", delete=services.outbox_message_delete)
    list_display = [
        "created_at",
        "channel",
        "kind_label",
        "recipient",
        "language_label",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["channel", "status", MessageKindFilter, LanguageFilter]
    search_fields = ["recipient", "dedupe_key"]
    date_hierarchy = "created_at"
    # The payload is shown through payload_shown only: a message never stores a
    # secret, and the page masks anything that looks like one all the same.
    readonly_fields = [
        *(
            "kind_label" if f.name == "kind" else f.name
            for f in OutboxMessage._meta.fields
            if f.name != "payload"
        ),
        "payload_shown",
    ]
    exclude = ["payload", "kind"]  # shown by its name (kind_label)
    actions = ["deliver_now", "send_again"]

    def has_add_permission(self, request):
        return False

    @through_services
    def save_model(self, request, obj, form, change):
        pass  # every field is read-only: a message changes only by being sent

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, message):
        return message_kinds.label_of(message.kind)

    @admin.display(description=_("language"), ordering="language")
    def language_label(self, message):
        return language_name(message.language)

    @admin.display(description=_("payload"))
    def payload_shown(self, message):
        return json.dumps(redacted(message.payload), ensure_ascii=False, indent=2)

    @through_services
    @admin.action(
        description=_("Deliver the selected pending messages now"), permissions=["change"]
    )
    def deliver_now(self, request, queryset):
        if not queryset.filter(status=OutboxMessage.Status.PENDING).exists():
            # Say why nothing went, rather than a bare "0 sent".
            self.message_user(
                request,
                _(
                    "None of the selected messages is pending: only pending messages are "
                    "delivered. A failed message goes again with “Send the selected failed "
                    "messages again”."
                ),
                messages.WARNING,
            )
            return
        sent = sum(
            services.outbox_deliver(message_id=pk) for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext("%(count)d message sent.", "%(count)d messages sent.", sent) % {"count": sent},
            messages.SUCCESS,
        )

    @through_services
    @admin.action(description=_("Send the selected failed messages again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = services.outbox_send_again(
            ids=queryset.values_list("pk", flat=True), actor=request.user
        )
        if not count:
            self.message_user(
                request,
                _("None of the selected messages has failed: only failed messages are sent again."),
                messages.WARNING,
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d failed message is queued again with its attempts reset.",
                "%(count)d failed messages are queued again with their attempts reset.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class AuditCompanyFilter(admin.SimpleListFilter):
    """A company's history (`?company_id=`, the link of its page): shown while it is on, so
    the list says whose records it holds and offers "All" to leave it."""

    title = _("company")
    parameter_name = "company_id"

    def lookups(self, request, model_admin):
        value = self.value()
        if not (value or "").isdigit():
            return []
        return [(value, company_names({int(value)}).get(int(value), value))]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(company_id=int(value)) if value.isdigit() else queryset.none()


class AuditVerbFilter(admin.SimpleListFilter):
    """The verbs the trail holds, by their labels; the choice in the address is the code
    (`?verb=application.decide`)."""

    title = _("verb")
    parameter_name = "verb"

    def lookups(self, request, model_admin):
        held = model_admin.get_queryset(request).order_by().values_list("verb", flat=True)
        labelled = [(verb, audit_verbs.label_of(verb)) for verb in held.distinct()]
        return sorted(labelled, key=lambda vl: vl[1])

    def queryset(self, request, queryset):
        return queryset.filter(verb=self.value()) if self.value() else queryset


@admin.register(AuditRecord)
class AuditRecordAdmin(PageRows, ReadOnlyAdmin):
    """The audit trail, read-only: services write it, nobody edits it."""

    list_display = ["at", "actor_label", "verb_label", "object_in_language", "company_shown"]
    # Only the kinds of objects the trail names, not every table of every app.
    list_filter = [
        AuditCompanyFilter,
        AuditVerbFilter,
        ("object_type", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["actor_label", "object_repr", "object_names", "company_repr", "verb"]
    date_hierarchy = "at"
    # Two fields are the actor: its account (gone when the account is deleted; none for a
    # key or a task), and the label written with the record, which stays.
    fields = [
        "at",
        "actor_account",
        "actor_recorded",
        "verb_label",
        "object_type",
        "object_id",
        "object_in_language",
        "company_id",
        "company_repr",
        "changes",
    ]
    readonly_fields = fields

    def page_rows(self, request, rows):
        # In the reader's language, and for the records whose service gave only the id.
        names = company_names({record.company_id for record in rows})
        for record in rows:
            record.company_name = names.get(record.company_id, record.company_repr)

    @admin.display(description=_("object"), ordering="object_repr")
    def object_in_language(self, record):
        return record.object_shown

    @admin.display(description=_("verb"), ordering="verb")
    def verb_label(self, record):
        return audit_verbs.label_of(record.verb)

    @admin.display(description=_("actor's account"))
    def actor_account(self, record):
        if record.actor_id is None:
            return "—"
        url = reverse("admin:incubator_user_change", args=[record.actor_id])
        return format_html('<a href="{}">{}</a>', url, record.actor)

    @admin.display(description=_("actor as recorded (e-mail address or key)"))
    def actor_recorded(self, record):
        return record.actor_label or "—"

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Staff read the verbs by their labels, so they search by them too.
        term = search_term.strip().casefold()
        named = [verb for verb, label in audit_verbs.labels() if term in label.casefold()]
        if term and named:
            found |= queryset.filter(verb__in=named)
        return found, may_have_duplicates

    @admin.display(description=_("company"), ordering="company_repr")
    def company_shown(self, record):
        if record.company_id is None:
            return "-"
        return format_html(
            '<a href="?company_id={}">{}</a>', record.company_id, record.company_name or "-"
        )

    def lookup_allowed(self, lookup, value, request=None):
        # A company's and an actor's history are links from their own pages.
        return lookup in {"actor", "actor__id__exact"} or super().lookup_allowed(
            lookup, value, request
        )
