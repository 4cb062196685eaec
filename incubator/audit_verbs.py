"""What each verb of the audit trail is called, in the reader's language.

A record's verb is a code ("application.decide"): the stable key the trail is filtered
and searched by. Wherever a person reads one (the admin's trail, its filter, a record's
page) they read its label ("Application decided"). The core names its own verbs here;
each app's or room's `audit_verbs.py` names the verbs its services write in `VERBS`,
registered from its AppConfig.ready(). A verb nobody named shows its code:
tests/incubator/test_audit_verbs.py checks that every verb the code writes has a label.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, Promise | str] = {}


def register(*tables: dict[str, Promise | str]) -> None:
    """Name verbs (from an AppConfig.ready()); a later table with a verb wins."""
    for table in tables:
        _LABELS.update(table)


def label_of(verb: str) -> str:
    """Return the verb's label in the active language, or its code when it has none."""
    label = _LABELS.get(verb)
    return str(label) if label is not None else verb


def labels() -> list[tuple[str, str]]:
    """Return (verb, label) of every named verb, by label in the active language."""
    return sorted(((verb, str(label)) for verb, label in _LABELS.items()), key=lambda vl: vl[1])


register(
    {
        # Accounts
        "user.signup": _("Signed up"),
        "user.verify_email": _("E-mail address confirmed"),
        "user.password_reset": _("Password reset"),
        "user.password_change": _("Password changed"),
        "user.password_set": _("Password set by staff"),
        "user.password_unset": _("Password disabled by staff"),
        "user.preferences": _("Preferences changed"),
        "account.reminders": _("Reminder choices changed"),
        "user.create": _("Account created"),
        "user.update": _("Account changed"),
        "user.delete": _("Account deleted"),
        "sign_in_lockout.delete": _("Sign-in lockout lifted"),
        "sign_in_lockout.clean_expired": _("Expired sign-in lockouts cleared"),
        # Periodic tasks and their schedules (django-celery-beat)
        "periodic_task.create": _("Periodic task created"),
        "periodic_task.update": _("Periodic task changed"),
        "periodic_task.delete": _("Periodic task deleted"),
        "periodic_task.run": _("Periodic task run now"),
        "clocked_schedule.create": _("Clocked schedule created"),
        "clocked_schedule.update": _("Clocked schedule changed"),
        "clocked_schedule.delete": _("Clocked schedule deleted"),
        "crontab_schedule.create": _("Crontab schedule created"),
        "crontab_schedule.update": _("Crontab schedule changed"),
        "crontab_schedule.delete": _("Crontab schedule deleted"),
        "interval_schedule.create": _("Interval schedule created"),
        "interval_schedule.update": _("Interval schedule changed"),
        "interval_schedule.delete": _("Interval schedule deleted"),
        "solar_schedule.create": _("Solar schedule created"),
        "solar_schedule.update": _("Solar schedule changed"),
        "solar_schedule.delete": _("Solar schedule deleted"),
        # The outbox, the lists' exports, the KPI report
        "outbox_message.delete": _("Outbox message deleted"),
        "outbox_message.send_again": _("Outbox message sent again"),
        "list.export": _("List exported"),
        "report_run.start": _("KPI report run started"),
        "report_run.delete": _("KPI report run deleted"),
    }
)
