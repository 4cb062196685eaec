"""Strings of Django and its apps that the portal translates in its own catalogues.

Django's Korean for "digits before the decimal point" says "significant digits in all" and
garbles some admin titles (see DJANGO below); its unique-together message reads as a field
list ("包含 Company、国家/地区 和 编号 的专利 已经存在"). The project's catalogues come
first in LOCALE_PATHS, so a msgid listed here and translated there replaces the library's
wording in every form, admin page and API error.
django-celery-beat's Korean catalogue leaves its own words in English ("clocked",
"crontabs", "periodic tasks", even Django's "Home", which it shadows; help texts such as
"태스크 실행 Interval Schedule"), its Chinese one maps two labels to the wrong words and
names settings ("如果enabled设置为False"), and neither has the messages of its actions.
django-axes and djangorestframework-api-key have no Korean or Chinese catalogue at all.
Django REST framework's Chinese spaces out the words it puts in ("标识此 活动 的 唯一整数值").
Nothing imports this module: makemessages reads it.
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
    # Django's Chinese reads "not allowed to use an empty string" (不允许是用空字符串).
    gettext_noop("Null characters are not allowed."),
    gettext_noop("%(model_name)s with this %(field_labels)s already exists."),
    gettext_noop("%(model_name)s with this %(field_label)s already exists."),
    # Django's Chinese catalogue lacks these, and a string missing in Chinese falls back to
    # the default language: Chinese pages showed Korean ("오류: 本地公司注册" in a title, the
    # app list's hidden headers, the user page's help).
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    # The admin's Korean titles a read-only list "보기위한 1일정 배정 실행 를(을) 선택" (a stray
    # "1"), a read-only page "뷰 기업" (the noun "view"), a history "변경 히스토리".
    gettext_noop("Select %s to view"),
    gettext_noop("View %s"),
    gettext_noop("Change history: %s"),
    # "ID "7"을/를 지닌기업이/가 존재하지 않습니다" (a stale link), "<b>lee</b> 새로운 비밀번호를".
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("Enter a new password for the user <strong>%(username)s</strong>."),
    # The actions and filters of every list: "선택된 사용자 을/를 삭제합니다.", "단계 (으)로",
    # "删除所选的 发件箱消息".
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    ngettext_lazy(
        "%(count)s %(name)s was changed successfully.",
        "%(count)s %(name)s were changed successfully.",
        "count",
    ),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the '
        "following related items will be deleted:"
    ),
    gettext_noop(" By %(filter_title)s "),
    # Its Chinese titles put spaces round a name, natural for Latin ones, not for Chinese
    # ("选择 服务请求 来修改", "增加 本地法人"); the Korean is Django's own.
    gettext_noop("Select %s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("Add another %(verbose_name)s"),
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
    gettext_noop("Periodic Tasks Using This Schedule"),
    gettext_noop("One-off Task"),
    gettext_noop("Run the task at clocked time"),
    gettext_noop("The type of solar event when the job should run"),
    gettext_noop("Run the task when the event happens at this latitude"),
    gettext_noop("Run the task when the event happens at this longitude"),
    gettext_noop(
        "Interval Schedule to run the task on.  Set only one schedule type, leave the others null."
    ),
    gettext_noop(
        "Crontab Schedule to run the task on.  Set only one schedule type, leave the others null."
    ),
    gettext_noop(
        "Solar Schedule to run the task on.  Set only one schedule type, leave the others null."
    ),
    gettext_noop(
        "Clocked Schedule to run the task on.  Set only one schedule type, leave the others null."
    ),
    gettext_noop('JSON encoded positional arguments (Example: ["arg1", "arg2"])'),
    gettext_noop('JSON encoded keyword arguments (Example: {"argument": "value"})'),
    gettext_noop("Queue defined in CELERY_TASK_QUEUES. Leave None for default queuing."),
    gettext_noop("Override Exchange for low-level AMQP routing"),
    gettext_noop("Override Routing Key for low-level AMQP routing"),
    gettext_noop(
        "Datetime that the schedule last triggered the task to run. "
        "Reset to None if enabled is set to False."
    ),
    gettext_noop("If True, the schedule will only run the task a single time"),
    gettext_noop("Set to False to disable the schedule"),
    gettext_noop('Cron Minutes to Run. Use "*" for "all". (Example: "0,30")'),
    gettext_noop('Cron Hours to Run. Use "*" for "all". (Example: "8,20")'),
    gettext_noop(
        'Cron Days Of The Week to Run. Use "*" for "all", Sunday is 0 or 7, Monday is 1. '
        '(Example: "0,5")'
    ),
    gettext_noop('Cron Days Of The Month to Run. Use "*" for "all". (Example: "1,15")'),
    gettext_noop('Cron Months (1-12) Of The Year to Run. Use "*" for "all". (Example: "1,12")'),
    gettext_noop("Timezone to Run the Cron Schedule on. Default is UTC."),
    # The actions' messages (incubator/third_party_admin.py says "run" itself).
    ngettext_lazy(
        "{0} task was successfully enabled", "{0} tasks were successfully enabled", "count"
    ),
    ngettext_lazy(
        "{0} task was successfully disabled", "{0} tasks were successfully disabled", "count"
    ),
    ngettext_lazy(
        "{0} task was successfully toggled", "{0} tasks were successfully toggled", "count"
    ),
]

AXES = [
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
]

API_KEY = [
    gettext_noop("The API key has been revoked, which cannot be undone."),
]

REST_FRAMEWORK = [
    gettext_noop("A {value_type} identifying this {name}."),
]
