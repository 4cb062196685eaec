"""What each kind of outbox message is called, in the reader's language.

A message's kind is a code ("verify_email", "reminder_milestone_due", "meeting.confirmed");
wherever a person reads one (the admin's outbox, its filter, a webhook endpoint's
deliveries) they read its label. The core names its own kinds here; each app registers
its kinds from its AppConfig.ready(), and every reminder kind names its messages by its
own label (incubator.reminders) unless an app named them. A kind nobody named shows its
code: tests/incubator/test_message_kinds.py checks that every e-mail template's kind has
a label.
"""

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

_LABELS: dict[str, Promise | str] = {}
_REMINDERS: dict[str, Promise | str] = {}


def register(labels: dict[str, Promise | str]) -> None:
    """Name kinds of messages (from an AppConfig.ready()); a second call with a kind wins."""
    _LABELS.update(labels)


def register_reminder(kind: str, label: Promise | str) -> None:
    """Name a reminder's messages after the reminder, unless an app named the kind."""
    _REMINDERS.setdefault(kind, format_lazy("{}: {}", pgettext_lazy("message", "reminder"), label))


def label_of(kind: str) -> str:
    """Return the kind's name in the active language, or its code when it has none."""
    label = _LABELS.get(kind) or _REMINDERS.get(kind)
    return str(label) if label is not None else kind


def labels() -> list[tuple[str, str]]:
    """Return (kind, label) of every named kind, by label in the active language."""
    kinds = {**_REMINDERS, **_LABELS}
    return sorted(((kind, str(label)) for kind, label in kinds.items()), key=lambda kl: kl[1])


register(
    {
        "verify_email": _("address confirmation"),
        "password_reset": _("password reset"),
        "password_changed": _("password changed"),
        "sign_up_attempted": _("sign-up with an address already registered"),
    }
)
