"""The admin pages of django-axes and django-celery-beat, in the staff's language.

Their columns named after attributes ("Scheduler", "Human readable", "Task Name", a
status built as "2 " + "Attempt Remaining") have no msgid; these subclasses give them
translated labels and sentences, and show the portal's periodic tasks by their names in
the reader's language (incubator.third_party). The libraries' own strings are translated
in the project's catalogues (incubator/third_party_strings.py).
"""

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from incubator.third_party import crontab_in_words, periodic_task_name

admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """Sign-in lockouts: the manager lifts one by deleting its attempt."""

    @admin.action(description=_("Clean up expired attempts"), permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        # django-axes reads the attempt time that only its sign-in path sets; its own
        # message is an f-string no catalogue can translate.
        request.axes_attempt_time = None
        count = self.handler.clean_expired_user_attempts(request=request)
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


admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The library's own view adds its crontabs' English words for an inline script the
        # CSP refuses; the form's script reads these, in the staff's language.
        in_words = {c.pk: crontab_in_words(c) for c in CrontabSchedule.objects.all()}
        extra_context = {**(extra_context or {}), "crontabs_in_words": in_words}
        return admin.ModelAdmin.changeform_view(self, request, object_id, form_url, extra_context)

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
        return super().run_tasks(request, queryset)


class PeriodicTaskInline(beat_admin.PeriodicTaskInline):
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


for model, model_admin in (
    (ClockedSchedule, beat_admin.ClockedScheduleAdmin),
    (CrontabSchedule, CrontabScheduleAdmin),
    (SolarSchedule, beat_admin.SolarScheduleAdmin),
    (IntervalSchedule, beat_admin.IntervalScheduleAdmin),
):
    admin.site.unregister(model)
    admin.site.register(
        model, type(model_admin.__name__, (model_admin,), {"inlines": [PeriodicTaskInline]})
    )
