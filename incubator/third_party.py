"""Third-party apps' rows in the staff's language, with times in their zone.

django-axes and django-celery-beat build the names of their rows in English outside any
catalogue ("Attempted Access: 2026-12-01 19:09:23.330003+00:00", a periodic task's name as
the migration stored it), and in UTC: every admin title, breadcrumb, history heading and
delete page shows them. cron-descriptor describes a crontab in English unless told a
locale, and its Korean and Chinese still name the weekdays in English. `install()` (from
IncubatorConfig.ready()) gives those models names and descriptions built from translated
words; their msgids are in incubator/third_party_strings.py. Only what is shown changes:
no field, so no migration of the libraries' tables.
"""

import calendar

from axes.apps import AppConfig as AxesAppConfig
from django.utils import dates, translation
from django.utils.translation import gettext, gettext_lazy, pgettext
from rest_framework_api_key.apps import RestFrameworkApiKeyConfig

from incubator.zones import moment_text


# The apps' names in the admin's menu and its lists of kinds of objects.
class AxesConfig(AxesAppConfig):
    verbose_name = gettext_lazy("Sign-in protection")


class APIKeyConfig(RestFrameworkApiKeyConfig):
    verbose_name = gettext_lazy("API keys (library)")


# The language of a Django page -> cron-descriptor's locale.
CRON_LOCALES = {"ko": "ko_KR", "zh-hans": "zh_CN", "en": "en_US"}


def periodic_task_name(name: str) -> str:
    """Return a periodic task's name in the active language.

    The portal's jobs are stored under their English name (incubator.schedules), which is
    a msgid; a name staff typed is shown as typed.
    """
    return gettext(name) if name else name


def crontab_in_words(crontab) -> str:
    """Return what a crontab does, in the active language, with its zone in words."""
    from cron_descriptor import (
        FormatException,
        MissingFieldException,
        Options,
        WrongArgumentException,
        get_description,
    )
    from django_celery_beat.models import cronexp

    from incubator.zones import zone_words

    fields = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")
    expression = " ".join(cronexp(getattr(crontab, name)) for name in fields)
    options = Options()
    options.locale_code = CRON_LOCALES.get(translation.get_language() or "en", "en_US")
    options.use_24hour_time_format = True
    try:
        text = get_description(expression, options)
    except (FormatException, MissingFieldException, WrongArgumentException):
        text = expression
    # Its weekdays and months come from Python's C locale, in English: Django's words.
    for english, translated in zip(calendar.day_name, dates.WEEKDAYS.values(), strict=True):
        text = text.replace(english, str(translated))
    for number, translated in dates.MONTHS.items():
        text = text.replace(calendar.month_name[number], str(translated))
    return f"{text} ({zone_words(str(crontab.timezone))})"


def _attempt(attempt) -> str:
    return gettext("Sign-in attempts of %(username)s since %(time)s") % {
        "username": attempt.username,
        "time": moment_text(attempt.attempt_time),
    }


def _access_log(log) -> str:
    return gettext("Sign-in of %(username)s at %(time)s") % {
        "username": log.username,
        "time": moment_text(log.attempt_time),
    }


def _failure(failure) -> str:
    text = (
        gettext("Failed sign-in of %(username)s at %(time)s from %(address)s: locked out")
        if failure.locked_out
        else gettext("Failed sign-in of %(username)s at %(time)s from %(address)s")
    )
    return text % {
        "username": failure.username,
        "time": moment_text(failure.attempt_time),
        "address": failure.ip_address,
    }


def _periodic_task(task) -> str:
    schedule = task.scheduler
    shown = pgettext("periodic task", "no schedule") if schedule is None else str(schedule)
    return f"{periodic_task_name(task.name)}: {shown}"


def _clocked(clocked) -> str:
    return moment_text(clocked.clocked_time)


def install() -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_celery_beat.models import ClockedSchedule, CrontabSchedule, PeriodicTask

    AccessAttempt.__str__ = _attempt
    AccessLog.__str__ = _access_log
    AccessFailureLog.__str__ = _failure
    PeriodicTask.__str__ = _periodic_task
    ClockedSchedule.__str__ = _clocked
    CrontabSchedule.human_readable = property(crontab_in_words)
