"""Strings of Django and its apps that the portal translates in its own catalogues.

Django's Korean for "digits before the decimal point" says "significant digits in all",
and its unique-together message reads as a field list ("包含 Company、国家/地区 和 编号 的
专利 已经存在"). The project's catalogues come first in LOCALE_PATHS, so a msgid listed here
and translated there replaces the library's wording in every form, admin page and API error.
django-celery-beat's Korean catalogue leaves its own words in English ("clocked",
"crontabs", "periodic tasks", even Django's "Home", which it shadows), and its Chinese one
maps two labels to the wrong words. Nothing imports this module: makemessages reads it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO = [
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    gettext_noop("%(model_name)s with this %(field_labels)s already exists."),
    gettext_noop("%(model_name)s with this %(field_label)s already exists."),
]

CELERY_BEAT = [
    gettext_noop("Schedule"),
    gettext_noop("Arguments"),
    gettext_noop("Execution Options"),
    gettext_noop("Solar Event"),
    gettext_noop("solar event"),
    gettext_noop("solar events"),
    gettext_noop("interval"),
    gettext_noop("intervals"),
    gettext_noop("Clock Time"),
    gettext_noop("clocked"),
    gettext_noop("crontab"),
    gettext_noop("crontabs"),
    gettext_noop("Interval Schedule"),
    gettext_noop("Crontab Schedule"),
    gettext_noop("Solar Schedule"),
    gettext_noop("Clocked Schedule"),
    gettext_noop("Positional Arguments"),
    gettext_noop("Keyword Arguments"),
    gettext_noop("Queue Override"),
    gettext_noop("Exchange"),
    gettext_noop("Routing Key"),
    gettext_noop("Priority"),
    gettext_noop("periodic task"),
    gettext_noop("periodic tasks"),
    gettext_noop("Periodic Tasks"),
    gettext_noop("Home"),
]
