"""Admin behaviour shared by the events admins (core, matching, judging).

Nothing in these admins writes a row itself: a save, a delete or an action calls a
service, which checks its policy and leaves its audit record. `through_services` marks the
methods that do, and tests/events/test_admin_writes.py walks every admin of the app to
find a write a staff role could make without one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect

from incubator.admin_mixins import through_services  # noqa: F401 - the events admins' marker
from incubator.forms import attach_error


def on_own_page(request, model_admin) -> bool:
    """Say whether `request` is one of `model_admin`'s own pages (not a cascade from another's).

    Deleting an event or an account takes its registrations, meetings and attendance
    along; deleting them one by one on their own pages is what a service does instead.
    """
    match = getattr(request, "resolver_match", None)
    prefix = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_"
    return bool(match and match.url_name and match.url_name.startswith(prefix))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by services: listed and shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if on_own_page(request, self):
            return False
        return super().has_delete_permission(request, obj)


@dataclass(frozen=True)
class Rows:
    """The services that save and delete one kind of row: `save(<keyword>=row, actor=...)`.

    `may_delete(actor, row)` is the delete's policy, for the admin to offer the delete only
    where the service would accept it.
    """

    keyword: str
    save: Callable | None = None
    delete: Callable | None = None
    may_delete: Callable | None = None

    def call(self, service, row, actor):
        if service is None:
            raise PermissionDenied
        return service(**{self.keyword: row}, actor=actor)


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
            rows = next((inline.rows for inline in self.inlines if inline.model is model), None)
        if rows is None:  # no service for these rows: nothing writes them here
            raise PermissionDenied
        return rows

    @through_services
    def save_model(self, request, obj, form, change):
        rows = self._rows_of(self.model)
        rows.call(rows.save, obj, request.user)

    @through_services
    def save_formset(self, request, form, formset, change):
        rows = self._rows_of(formset.model)
        # Nothing saved yet: this fills new_, changed_ and deleted_objects for the log.
        saved = formset.save(commit=False)
        for row, service in [
            *[(row, rows.delete) for row in formset.deleted_objects],
            *[(row, rows.save) for row in saved],
        ]:
            try:
                rows.call(service, row, request.user)
            except ValidationError as error:
                # Said of the row: its fields are not the parent form's.
                message = f"{row} ({row._meta.verbose_name}): {' '.join(error.messages)}"
                raise ValidationError(message) from error

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
        form = super().get_form(request, obj, change, **kwargs)
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
