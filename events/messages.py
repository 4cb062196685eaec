"""The e-mails of events, written into the outbox in each registrant's language.

A dedupe key names the change an e-mail tells of by its audit record
("event_promoted:<registration>:<record>"): the same change is one message, however
often a task is retried, and a new change is a new message.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from events import times
from events.models import Event, Registration
from incubator.services import outbox_enqueue

ACTIVE_REGISTRATIONS = (Registration.Status.REGISTERED, Registration.Status.WAITLISTED)


def recipient_of(registration: Registration) -> tuple[str, str, str]:
    """Return (e-mail, language, time zone) of the registrant."""
    user = registration.user
    if user is not None:
        return user.email, user.language, user.time_zone
    return registration.guest_email, settings.LANGUAGE_CODE, registration.event.time_zone


def _enqueue(kind: str, registration, record, email: str, language: str, payload: dict) -> None:
    # One message per change: registering again after cancelling is another occurrence.
    outbox_enqueue(
        recipient=email,
        kind=kind,
        dedupe_key=f"{kind}:{registration.pk}:{record.pk}",
        payload=payload,
        language=language,
    )


def notify_registration(registration: Registration, kind: str, record) -> None:
    """Write the e-mail `kind` ("event_registered"...) of the registration into the outbox.

    `record` is the audit record of the change the e-mail tells of: it names the occurrence.
    """
    event = registration.event
    email, language, zone = recipient_of(registration)
    with translation.override(language):
        payload = {
            "name": registration.name,
            "event": event.title,
            "when": times.when(
                event.starts_at, event.ends_at, event_zone=event.time_zone, viewer_zone=zone
            ),
            "place": event.venue or event.online_url,
            "badge_code": registration.badge_code,
            "waitlist_position": registration.waitlist_position,
            "guest": registration.user_id is None,
            "path": reverse("events:event-detail", args=[event.pk]),
        }
    _enqueue(kind, registration, record, email, language, payload)


def tell_registrants(event: Event, kind: str, record, **extra) -> int:
    """Write `kind` to every registered and waitlisted person, in their language, with the
    event's time in both zones (Asia/Seoul and Asia/Shanghai); return how many."""
    registrations = event.registrations.filter(status__in=ACTIVE_REGISTRATIONS).select_related(
        "user"
    )
    count = 0
    for registration in registrations:
        registration.event = event
        email, language, _zone = recipient_of(registration)
        if not email:
            continue
        with translation.override(language):
            payload = {
                "name": registration.name,
                "event": event.title,
                # No viewer zone: the event's zone, then the other zone of the portal.
                "when": times.when(event.starts_at, event.ends_at, event_zone=event.time_zone),
                "place": event.venue or event.online_url,
                "status": str(registration.get_status_display()),
                "path": reverse("events:event-detail", args=[event.pk]),
                **extra,
            }
        _enqueue(kind, registration, record, email, language, payload)
        count += 1
    return count
