"""Shared admin behaviour of the apps' staff pages."""

import contextlib
import functools
import secrets
import types
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from incubator.forms import attach_error
from incubator.rows import staff_row_delete, staff_row_save


def through_services(method):
    """Mark an admin method or action that writes only by calling services."""
    method.through_services = True
    return method


class ObjectToolLinks:
    """Extra buttons above a changelist (`templates/admin/change_list_object_tools.html`).

    `object_tool_links(request)` returns {"url", "label", "keep_filters"} dicts; a mixin adds
    its own to super()'s.
    """

    def object_tool_links(self, request) -> list[dict]:
        return []

    def changelist_view(self, request, extra_context=None):
        links = self.object_tool_links(request)
        extra_context = {**(extra_context or {}), "object_tool_links": links}
        return super().changelist_view(request, extra_context)


class ServiceOwnedChangeForm:
    """A change page that shows a record but saves nothing itself.

    Its state changes (decide, move, reply, grant) have pages of their own that
    call the services; the admin's save buttons would bypass them.
    """

    def change_view_context(self, request) -> dict:
        return {}

    @through_services
    def save_model(self, request, obj, form, change):
        # No button posts here; a crafted POST must not write what the services guard.
        raise PermissionDenied

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            **self.change_view_context(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)


def actions_need_change_permission(site) -> None:
    """Make every admin action that names no permission require the change permission.

    Django runs an action for anyone who may see the list unless the action says
    otherwise, and third-party admins (django-celery-beat's enable, disable and
    run) say nothing: a read-only role could run them.
    """
    for model_admin in site._registry.values():
        for action in model_admin.actions or ():
            function = getattr(type(model_admin), action) if isinstance(action, str) else action
            if not hasattr(function, "allowed_permissions"):
                function.allowed_permissions = ("change",)
        model_admin.changelist_view = _refusing_unoffered_actions(model_admin)


def plain_action_checkboxes(site) -> None:
    """Write each list row's action checkbox as one string, not through a form widget.

    Django renders each row's checkbox with a CheckboxInput and its three templates: on a
    list of 100 rows that was a fifth of the page's time. The HTML is the same.
    """
    for model_admin in site._registry.values():
        model_admin.action_checkbox = types.MethodType(_action_checkbox, model_admin)


def _action_checkbox(model_admin, obj):
    return format_html(
        '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
        helpers.ACTION_CHECKBOX_NAME,
        str(obj.pk),
        format_html(gettext("Select this object for an action - {}"), str(obj)),
    )


def _refusing_unoffered_actions(model_admin):
    """Answer 403 to a posted action the role is not offered.

    Django re-renders the list (200) or says "no action selected" (302), which a
    client cannot tell from success.
    """
    changelist_view = model_admin.changelist_view

    def view(request, extra_context=None):
        action = request.POST.get("action") if request.method == "POST" else None
        if action and action not in model_admin.get_actions(request):
            raise PermissionDenied
        return changelist_view(request, extra_context)

    return view


class OneChoiceFilter(admin.SimpleListFilter):
    """A list filter of one choice, `choice` = (value, label); `keep(queryset)` applies it.

    The staff dashboard links its numbers to such filters (`?<parameter_name>=<value>`).
    """

    choice: tuple[str, object]

    def lookups(self, request, model_admin):
        return [self.choice]

    def queryset(self, request, queryset):
        return self.keep(queryset) if self.value() == self.choice[0] else queryset

    def keep(self, queryset):
        raise NotImplementedError


def one_choice_filter(parameter_name: str, title, choice: tuple, keep) -> type[OneChoiceFilter]:
    """Return a `OneChoiceFilter` whose choice keeps `keep(queryset)`."""
    return type(
        f"{parameter_name.title()}Filter",
        (OneChoiceFilter,),
        {
            "parameter_name": parameter_name,
            "title": title,
            "choice": choice,
            "keep": lambda self, queryset: keep(queryset),
        },
    )


class PageRows:
    """A changelist whose page's rows get what they show from queries of their own.

    `page_rows(request, rows)` receives the objects of the page being shown (the list's
    query, run once) and attaches what its columns need, e.g. counts from one aggregate over
    the page's ids: an annotation of the admin's queryset would instead be computed over the
    whole table for the page, its count and its date hierarchy. `list_defer` names the
    fields that the list leaves out of the page's query (the change page still reads them).
    """

    list_defer: tuple[str, ...] = ()

    def page_rows(self, request, rows: list) -> None:
        """Attach to each of the page's `rows` the values its columns show."""

    def get_changelist(self, request, **kwargs):
        model_admin = self
        changelist = super().get_changelist(request, **kwargs)

        class PageRowsChangeList(changelist):
            def get_results(self, request):
                super().get_results(request)
                if model_admin.list_defer:
                    self.result_list = self.result_list.defer(*model_admin.list_defer)
                # Iterating fills the queryset's cache: the template shows these objects.
                model_admin.page_rows(request, list(self.result_list))

        return PageRowsChangeList


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the staff read and nobody writes in the admin (services write them)."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on a change page that nobody adds, changes or deletes there."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LoadedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, naming the chosen row from an object already loaded.

    Django's widget reads the chosen row again to name it: one query per row of an inline.
    `InlineRowsLoaded` hands it the object the row's queryset loaded (select_related);
    any other value (a form sent back with another choice) is named the usual way.
    """

    loaded = None

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.loaded is None or chosen != {str(self.loaded.pk)}:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(self.loaded)
        options.append(self.create_option(name, self.loaded.pk, label, chosen, len(options)))
        return [(None, options, 0)]


class _RowsLoadedFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the +/✎ wrapper
            if isinstance(widget, LoadedAutocompleteSelect):
                relation = form.instance._meta.get_field(name)
                if relation.is_cached(form.instance):
                    widget.loaded = relation.get_cached_value(form.instance)
        return form


class InlineRowsLoaded:
    """An inline whose autocompleted fields cost no query per row: name them in
    `get_queryset`'s select_related."""

    formset = _RowsLoadedFormSet

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LoadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def call_service(form, service, **kwargs):
    """Call `service`; show its ValidationError on `form`. Return its result (True if None),
    or None when it refused."""
    try:
        result = service(**kwargs)
    except ValidationError as error:
        attach_error(form, error)
        return None
    return True if result is None else result


class SentOnceForm(forms.Form):
    """The form of a page whose answer shows a secret once (a new API key, a new webhook
    endpoint's): that answer is not a redirect, so a reload sends the form again, and it
    would make a second key without a word. `call_service_once` makes nothing then."""

    once = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["once"].initial = secrets.token_urlsafe(16)


SENT_ONCE_SECONDS = 24 * 3600


def call_service_once(form: SentOnceForm, service, **kwargs):
    """`call_service` with the form's data, once per form shown: sent again, it refuses."""
    data = dict(form.cleaned_data)
    # The cache the processes share (Redis): two workers must not both take the same form.
    mark = f"sent-once:{data.pop('once')}"
    if not caches["api"].add(mark, True, timeout=SENT_ONCE_SECONDS):
        form.add_error(
            None,
            gettext(
                "This form was sent already, and what it made is in the list. Its secret is "
                "shown only once: if it was lost, revoke or rotate it there."
            ),
        )
        return None
    made = call_service(form, service, **kwargs, **data)
    if made is None:
        caches["api"].delete(mark)  # refused: corrected, the same form may be sent again
    return made


class StateRefused(PermissionDenied):
    """An action page refused for its object's state (already cancelled, not started yet),
    not for who asks: `ActionPages.action_view` sends the staff member back to the object's
    change page with the reason. Unhandled, it is the 403 that says why."""

    def __init__(self, obj, reason: str):
        super().__init__(reason)
        self.obj, self.reason = obj, reason


class ConfirmForm(forms.Form):
    """An action page's form with nothing to fill in: the button confirms."""


class ActionPages:
    """The admin's pages that change a record through a service (decide, move, grant...).

    Each is: load the object, ask the policy, bind the forms, call the service,
    show its errors on the form, or go back to the change page with a message.
    They render `admin/action_page.html` (or a template extending it).
    """

    action_template = "admin/action_page.html"

    def action_object(self, request, object_id, allowed=None, refused_because=None):
        """Return the object of an action page, or raise 404 / 403.

        `refused_because(request, obj)` says why `allowed` refuses when the object's state
        does (None: who asks is refused): `StateRefused`, which a view wrapped in
        `action_view` turns into the change page with the reason.
        """
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        may = allowed(request, obj) if allowed else self.has_change_permission(request, obj)
        if not may:
            reason = refused_because(request, obj) if refused_because else None
            if reason:
                raise StateRefused(obj, reason)
            raise PermissionDenied
        return obj

    def action_view(self, view):
        """Wrap an action page's view: opened in a state that refuses it (the back button
        after cancelling, an event published already), it goes back to the change page and
        says why, as a warning. The staff member may do it; the object is past it."""

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except StateRefused as refusal:
                self.message_user(request, refusal.reason, messages.WARNING)
                return redirect(self._change_url(refusal.obj))

        wrapper.model_admin = self  # as Django's own admin views say whose they are
        return wrapper

    def url_id(self, obj) -> str:
        """What the admin's addresses name `obj` by: its primary key, unless the model's
        admin says otherwise (a key whose id holds its hash is named by its prefix)."""
        return obj.pk

    def _change_url(self, obj) -> str:
        opts = self.opts
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(self.url_id(obj))]
        )

    def action_done(self, request, obj, message: str):
        self.message_user(request, message, messages.SUCCESS)
        return redirect(self._change_url(obj))

    def action_page(self, request, obj, *, title: str, template: str | None = None, **context):
        media = self.media
        for value in context.values():
            if isinstance(value, forms.BaseForm):
                media += value.media
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.opts,
            "original": obj,
            "media": media,
            **context,
        }
        return TemplateResponse(request, template or self.action_template, context)


class ServiceModelAdmin(ServiceOwnedChangeForm, ActionPages, admin.ModelAdmin):
    """The admin of a record that changes only through its room's services.

    Its change page shows the record; every change has an action page that validates the
    input, calls one service and shows the result.
    """


class ServiceErrorsAsMessages:
    """Show a ValidationError that a service raises from the admin's save as a message.

    The form cannot see every rule a service checks (a budget already granted, a company
    already enrolled); the page comes back with the service's words instead of an error 500.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class CreatedThroughService(ServiceErrorsAsMessages):
    """An add page whose save is the service call of `create`; a saved record is not
    changed here (its changes have action pages of their own)."""

    def create(self, request, form):
        """Call the service that creates the record from the add form; return the record."""
        raise NotImplementedError

    @through_services
    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        created = self.create(request, form)
        # The admin logs and redirects with the object it passed in.
        for field in created._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False


@contextlib.contextmanager
def refusal_said_of(row):
    """Re-raise a service's refusal of an inline's row as said of that row: its fields are
    not the parent form's, where ServiceAdmin shows the refusal."""
    try:
        yield
    except ValidationError as error:
        message = f"{row} ({row._meta.verbose_name}): {' '.join(error.messages)}"
        raise ValidationError(message) from error


@dataclass(frozen=True)
class Rows:
    """The services that save and delete one kind of row: `save(<keyword>=row, actor=...)`.

    `may_delete(actor, row)` is the delete's policy, for the admin to offer the delete only
    where the service would accept it; `kept_because(row)` says why a row stays, for the
    page that refuses its delete to say so.
    """

    keyword: str
    save: Callable | None = None
    delete: Callable | None = None
    may_delete: Callable | None = None
    kept_because: Callable | None = None

    def call(self, service, row, actor):
        if service is None:
            raise PermissionDenied
        return service(**{self.keyword: row}, actor=actor)

    @classmethod
    def kept_by_staff(cls, verb: str) -> "Rows":
        """The rows of a model with no rule beyond its validation: `staff_row_save` and
        `staff_row_delete`, audited as `<verb>.create`, `.update`, `.delete`."""
        return cls(
            "row",
            functools.partial(staff_row_save, verb=verb),
            functools.partial(staff_row_delete, verb=verb),
        )


class ServiceInline(admin.TabularInline):
    """Rows edited on their parent's page; the parent's `ServiceAdmin` saves them by `rows`."""

    extra = 0
    rows: Rows | None = None


class ServiceAdmin(admin.ModelAdmin):
    """An admin whose rows, and its inlines' rows, are saved and deleted by services.

    A service's refusal (a ValidationError) while saving rolls the whole save back and
    shows on the form, with what was typed; on a delete, it comes back as a message.
    """

    rows: Rows | None = None

    def _rows_of(self, model) -> Rows:
        if model is self.model:
            rows = self.rows
        else:
            rows = next((getattr(i, "rows", None) for i in self.inlines if i.model is model), None)
        if rows is None:  # no service for these rows: nothing writes them here
            raise PermissionDenied
        return rows

    @through_services
    def save_model(self, request, obj, form, change):
        rows = self._rows_of(self.model)
        rows.call(rows.save, obj, request.user)

    @through_services
    def save_formset(self, request, form, formset, change):
        # Nothing saved yet: this fills new_, changed_ and deleted_objects for the log.
        saved = formset.save(commit=False)
        if not saved and not formset.deleted_objects:
            return  # nothing to write: a read-only inline's rows come back as shown
        rows = self._rows_of(formset.model)
        for row, service in [
            *[(row, rows.delete) for row in formset.deleted_objects],
            *[(row, rows.save) for row in saved],
        ]:
            with refusal_said_of(row):
                rows.call(service, row, request.user)

    @through_services
    def delete_model(self, request, obj):
        rows = self._rows_of(self.model)
        rows.call(rows.delete, obj, request.user)

    @through_services
    def delete_queryset(self, request, queryset):
        rows = self._rows_of(self.model)
        with transaction.atomic():
            for obj in queryset:
                rows.call(rows.delete, obj, request.user)

    def has_delete_permission(self, request, obj=None):
        may = super().has_delete_permission(request, obj)
        if may and obj is not None and self.rows is not None and self.rows.may_delete:
            return self.rows.may_delete(request.user, obj)
        return may

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:
            if request.method != "POST" or hasattr(request, "service_refusal"):
                raise
            # The save is rolled back: the same page again, the refusal on its form.
            request.service_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "service_refusal", None)
        if refusal is None:
            return form

        class Refused(form):
            def clean(self):
                cleaned = super().clean()
                attach_error(self, refusal)
                return cleaned

        return Refused

    def delete_view(self, request, object_id, extra_context=None):
        kept = self.rows is not None and self.rows.kept_because
        obj = self.get_object(request, unquote(object_id)) if kept else None
        if obj is not None and super().has_delete_permission(request, obj):
            # Refused all the same (403), but saying why rather than "not allowed".
            if reason := kept(obj):
                raise PermissionDenied(reason)
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def response_action(self, request, queryset):
        try:
            return super().response_action(request, queryset)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
