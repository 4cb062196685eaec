"""Periodic jobs the portal needs, kept in django-celery-beat's tables.

Each app lists its jobs as `periodic_jobs` on its AppConfig; a migration
creates them, and after every migrate or flush the core makes sure all of
them exist (a job staff have edited is left as they set it).
"""

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class PeriodicJob:
    # English and a msgid (gettext_noop): stored as is, shown in the reader's language
    # (incubator.third_party.periodic_task_name).
    name: str
    task: str
    every_minutes: int | None = None
    daily_at_hour: int | None = None
    timezone: str = "Asia/Shanghai"
    # With daily_at_hour: only on these days (crontab syntax, "1" = Monday / the 1st).
    day_of_week: str = "*"
    day_of_month: str = "*"
    kwargs: str = "{}"  # JSON of the task's keyword arguments


OUTBOX_SWEEP = PeriodicJob(
    gettext_noop("Outbox sweep: deliver pending messages"),
    "incubator.tasks.outbox_sweep_task",
    every_minutes=1,
)
# One sweep for every kind of reminder (incubator/reminders.py); each kind's grace period
# is longer than this interval, so a late or skipped run loses nothing.
REMINDERS_SWEEP = PeriodicJob(
    gettext_noop("Reminders sweep: write the reminders that are due"),
    "incubator.tasks.reminders_sweep_task",
    every_minutes=5,
)


def ensure_periodic_job(job: PeriodicJob, apps=global_apps) -> None:
    """Create the periodic task of `job` when it is missing."""
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    if task_model.objects.filter(name=job.name).exists():
        return
    if job.every_minutes:
        interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
        interval, _ = interval_model.objects.get_or_create(
            every=job.every_minutes, period="minutes"
        )
        task_model.objects.create(
            name=job.name, task=job.task, interval=interval, kwargs=job.kwargs
        )
        return
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    crontab, _ = crontab_model.objects.get_or_create(
        minute="0",
        hour=str(job.daily_at_hour),
        day_of_week=job.day_of_week,
        day_of_month=job.day_of_month,
        month_of_year="*",
        timezone=job.timezone,
    )
    task_model.objects.create(name=job.name, task=job.task, crontab=crontab, kwargs=job.kwargs)


def ensure_all_periodic_jobs() -> None:
    for config in global_apps.get_app_configs():
        for job in getattr(config, "periodic_jobs", ()):
            ensure_periodic_job(job)
