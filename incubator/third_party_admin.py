"""The admin pages of django-axes and django-celery-beat, in the staff's language, writing
through the core's services as every admin page does (the libraries' own saves and actions
leave no audit record; the sign-in history is read-only).

Their columns named after attributes ("Scheduler", "Human readable", "Task Name", a
status built as "2 " + "Attempt Remaining") have no msgid; these subclasses give them
translated labels and sentences, and show the portal's periodic tasks by their names in
the reader's language (incubator.third_party). The libraries' own strings are translated
in the project's catalogues (incubator/third_party_strings.py).
"""

import copy

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.template.defaultfilters import pluralize
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from incubator import services
from incubator.admin_mixins import (
    ReadOnlyAdmin,
    ReadOnlyInline,
    Rows,
    ServiceAdmin,
    through_services,
)
from incubator.third_party import crontab_in_words, periodic_task_name

admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ServiceAdmin, axes_admin.AccessAttemptAdmin):
    """Sign-in lockouts: the manager lifts one by deleting its attempt, which the service
    records. Nothing in an attempt is for staff to edit."""

    rows = Rows("attempt", delete=services.sign_in_lockout_lift)

    def has_change_permission(self, request, obj=None):
        return False

    @through_services
    @admin.action(description=_("Clean up expired attempts"), permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        # django-axes' own message is an f-string no catalogue can translate.
        count = services.sign_in_attempts_clean_expired(actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d expired attempt cleaned up.",
                "%(count)d expired attempts cleaned up.",
                count,
            )
            % {"count": count},
        )

    @admin.display(description=_("status"))
    def status(self, attempt):
        left = axes_settings.AXES_FAILURE_LIMIT - attempt.failures_since_start
        if left <= 0:
            return _("Locked Out")
        return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {"count": left}


# The sign-in history (the failure log; successes are not kept) is a record, as the audit
# trail is: read, never edited or deleted, by any role.
for model, model_admin in (
    (AccessLog, axes_admin.AccessLogAdmin),
    (AccessFailureLog, axes_admin.AccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, type(model_admin.__name__, (ReadOnlyAdmin, model_admin), {}))


class TaskFilter(admin.AllValuesFieldListFilter):
    """The list of tasks, titled in words (the library's field label has no msgid)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("task")


# Columns of the task lists: the periodic tasks' own admin and the schedules' inlines.
@admin.display(description=_("name"), ordering="name")
def _name(task):
    return periodic_task_name(task.name)


@admin.display(description=_("task"), ordering="task")
def _task(task):
    return task.task


def _switching(enabled: bool | None, library_action, texts: tuple[str, str]):
    """The periodic tasks' action that switches them on, off (`enabled` False) or each the
    other way (None) through `periodic_tasks_enable`, in place of `library_action`."""

    @through_services
    @admin.action(description=library_action.short_description)
    def action(model_admin, request, queryset):
        count = services.periodic_tasks_enable(
            tasks=list(queryset), actor=request.user, enabled=enabled
        )
        model_admin.message_user(request, ngettext(*texts, count).format(count))

    return action


admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin, ServiceAdmin):
    """The periodic tasks (the reminders, the reports, the outbox sweep), the manager's:
    saved, deleted, switched and run by services that record who did it. The library's
    own actions write with queryset.update(), which leaves no record."""

    rows = Rows.kept_by_staff("periodic_task")
    list_display = ("name_shown", "enabled", "schedule", "start_time", "last_run_at", "one_off")
    list_filter = ["enabled", "one_off", ("task", TaskFilter), "start_time", "last_run_at"]
    name_shown = staticmethod(_name)

    @admin.display(description=_("schedule"))
    def schedule(self, task):
        if task.crontab_id:
            return crontab_in_words(task.crontab)
        return task.scheduler or "—"

    @admin.display(description=_("in words"))
    def crontab_translation(self, task):
        return crontab_in_words(task.crontab) if task.crontab_id else "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # The library's "Name" is a person's name in the project's catalogues ("姓名"); a
        # task's name reads as the list's column does, and the page's title: in the
        # reader's language, which the field (the stored English name) says below it.
        name = copy.deepcopy(form.base_fields["name"])
        name.label = _("name")
        shown = periodic_task_name(obj.name) if obj is not None else ""
        if shown and shown != obj.name:
            name.help_text = gettext("Staff read it as: %(name)s") % {"name": shown}
        form.base_fields["name"] = name
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The library's own view adds its crontabs' English words for an inline script the
        # CSP refuses; the form's script reads these, in the staff's language.
        in_words = {c.pk: crontab_in_words(c) for c in CrontabSchedule.objects.all()}
        extra_context = {**(extra_context or {}), "crontabs_in_words": in_words}
        return ServiceAdmin.changeform_view(self, request, object_id, form_url, extra_context)

    # The library's actions by their names, switching through the service; their messages
    # are the library's, translated in our catalogues (third_party_strings).
    enable_tasks = _switching(
        True,
        beat_admin.PeriodicTaskAdmin.enable_tasks,
        ("{0} task was successfully enabled", "{0} tasks were successfully enabled"),
    )
    disable_tasks = _switching(
        False,
        beat_admin.PeriodicTaskAdmin.disable_tasks,
        ("{0} task was successfully disabled", "{0} tasks were successfully disabled"),
    )
    toggle_tasks = _switching(
        None,
        beat_admin.PeriodicTaskAdmin.toggle_tasks,
        ("{0} task was successfully toggled", "{0} tasks were successfully toggled"),
    )

    @through_services
    @admin.action(description=beat_admin.PeriodicTaskAdmin.run_tasks.short_description)
    def run_tasks(self, request, queryset):
        # The library names a task the workers do not know in an f-string no catalogue
        # can translate; the check comes first here, in the reader's language.
        self.celery_app.loader.import_default_modules()
        unknown = [task.task for task in queryset if task.task not in self.celery_app.tasks]
        if unknown:
            self.message_user(
                request,
                _("No worker knows the task %(task)s: nothing was run.") % {"task": unknown[0]},
                level=messages.ERROR,
            )
            return None
        count = services.periodic_tasks_run(tasks=list(queryset), actor=request.user)
        # The library's message. Its English grammar is formatted in ("task{1} {2}"); the
        # translations use {0} only, which msgfmt --check refuses of a brace format: the
        # comment below tells xgettext it is not one.
        self.message_user(
            request,
            # xgettext:no-python-brace-format
            gettext("{0} task{1} {2} successfully run").format(
                count, pluralize(count), pluralize(count, "was,were")
            ),
        )


class PeriodicTaskInline(ReadOnlyInline, beat_admin.PeriodicTaskInline):
    """A schedule's tasks, read on its page: a task is changed on its own."""

    fields = ("name_shown", "task_shown", "args", "kwargs")
    readonly_fields = fields
    name_shown = staticmethod(_name)
    task_shown = staticmethod(_task)


class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    list_display = ("__str__", "in_words")
    fields = (
        "in_words",
        "minute",
        "hour",
        "day_of_month",
        "month_of_year",
        "day_of_week",
        "timezone",
    )
    readonly_fields = ("in_words",)

    @admin.display(description=_("in words"))
    def in_words(self, crontab):
        return crontab_in_words(crontab) if crontab.pk else "—"


for model, model_admin, verb in (
    (ClockedSchedule, beat_admin.ClockedScheduleAdmin, "clocked_schedule"),
    (CrontabSchedule, CrontabScheduleAdmin, "crontab_schedule"),
    (SolarSchedule, beat_admin.SolarScheduleAdmin, "solar_schedule"),
    (IntervalSchedule, beat_admin.IntervalScheduleAdmin, "interval_schedule"),
):
    admin.site.unregister(model)
    admin.site.register(
        model,
        type(
            model_admin.__name__,
            (ServiceAdmin, model_admin),
            {"inlines": [PeriodicTaskInline], "rows": Rows.kept_by_staff(verb)},
        ),
    )
