"""The e-mails and webhooks of events, written into the outbox: each registrant's e-mail in
their language, and the partner organisations' webhooks (docs/webhooks.md).

A dedupe key names the change an e-mail tells of by its audit record
("event_promoted:<registration>:<record>"): the same change is one message, however
often a task is retried, and a new change is a new message. Webhooks are keyed the same
way ("webhook:event.changed:<record>:<endpoint>").
"""

from types import SimpleNamespace

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import translation

from companies.webhooks.models import EventType
from companies.webhooks.services import webhooks_emit
from events.models import Event, Registration
from incubator import times
from incubator.multilingual import localized
from incubator.services import outbox_enqueue
from incubator.webhooks import utc_iso
from incubator.zones import zone_words

ACTIVE_REGISTRATIONS = (Registration.Status.REGISTERED, Registration.Status.WAITLISTED)


# A guest's e-mail language, from the languages staff ticked for them: the first they speak.
# Korean first, the portal's own language (its texts are written and reviewed in it first);
# then Chinese, the center's other language; English last, which a guest from either
# country reads less easily than their own.
GUEST_LANGUAGES = (("ko", "ko"), ("zh", "zh-hans"), ("en", "en"))

# A guest who speaks one of the center's two languages and not the other most likely lives
# in that country: their times are also given in its zone.
GUEST_ZONES = {"ko": "Asia/Seoul", "zh": "Asia/Shanghai"}


def guest_language(registration: Registration) -> str:
    """Return the language to write to a guest in (a portal language code)."""
    spoken = registration.languages
    for code, language in GUEST_LANGUAGES:
        if code in spoken:
            return language
    return settings.LANGUAGE_CODE


def guest_zone(registration: Registration) -> str:
    """Return a guest's likely time zone: their country's if they speak only one of Korean
    and Chinese, the event's otherwise."""
    countries = [code for code in GUEST_ZONES if code in registration.languages]
    if len(countries) == 1:
        return GUEST_ZONES[countries[0]]
    return registration.event.time_zone


def recipient_of(registration: Registration) -> tuple[str, str, str]:
    """Return (e-mail, language, time zone) of the registrant; a guest's are guessed from
    the languages they speak (`guest_language`, `guest_zone`)."""
    user = registration.user
    if user is not None:
        return user.email, user.language, user.time_zone
    return registration.guest_email, guest_language(registration), guest_zone(registration)


def session_lines(event: Event, zone: str) -> list[dict]:
    """Return the sessions of an online programme as its e-mails list them, in the active
    language: title, time in the event's zone and `zone`, and the link to join."""
    if event.kind != Event.Kind.ONLINE_PROGRAMME:
        return []
    # Fetched once per event, however many of its registrants are written to.
    prefetch_related_objects([event], "online_sessions")
    return [
        {
            "title": session.title,
            "when": times.when(
                session.starts_at, session.ends_at, event_zone=event.time_zone, viewer_zone=zone
            ),
            "link": session.link,
        }
        for session in event.online_sessions.all()
    ]


def _enqueue(kind: str, registration, record, email: str, language: str, payload: dict) -> None:
    # One message per change: registering again after cancelling is another occurrence.
    outbox_enqueue(
        recipient=email,
        kind=kind,
        dedupe_key=f"{kind}:{registration.pk}:{record.pk}",
        payload=payload,
        language=language,
    )


def notify_registration(registration: Registration, kind: str, record, **extra) -> None:
    """Write the e-mail `kind` ("event_registered"...) of the registration into the outbox.

    `record` is the audit record of the change the e-mail tells of: it names the occurrence;
    `extra` adds to the payload.
    """
    event = registration.event
    email, language, zone = recipient_of(registration)
    registered = registration.status == Registration.Status.REGISTERED
    with translation.override(language):
        payload = {
            "name": registration.name,
            "event": event.title,
            "when": times.when(
                event.starts_at, event.ends_at, event_zone=event.time_zone, viewer_zone=zone
            ),
            "place": event.venue or event.online_url,
            "online": event.held_online,
            # The links are for those with a place (`policies.can_see_online_link`); a
            # guest has no portal page to find them on: this e-mail is where they are.
            "sessions": session_lines(event, zone) if registered else [],
            "badge_code": registration.badge_code,
            "waitlist_position": registration.waitlist_position,
            "guest": registration.user_id is None,
            "path": reverse("events:event-detail", args=[event.pk]),
            **extra,
        }
    _enqueue(kind, registration, record, email, language, payload)


# What a change e-mail compares, old against new.
CHANGE_FIELDS = ("starts_at", "ends_at", "time_zone", "venue_ko", "venue_zh", "venue_en")


def _standing(event: Event):
    registrations = event.registrations.filter(status__in=ACTIVE_REGISTRATIONS).select_related(
        "user"
    )
    for registration in registrations:
        registration.event = event
        yield registration


def _readers(event: Event):
    """Yield (registration, e-mail, language) of each registered and waitlisted person of
    `event` who has an address to write to."""
    for registration in _standing(event):
        email, language, _zone = recipient_of(registration)
        if email:
            yield registration, email, language


def tell_changed(event: Event, before: dict, record) -> int:
    """Tell each registered and waitlisted person what changed of what they read, with its
    old value: the time (a new zone moves it, or at least how it reads) and the place in
    their language. Someone whose e-mail would read as before (another language's venue
    was corrected) is not written to. `before` holds the old values of the fields that
    changed. Return how many were told."""
    old = SimpleNamespace(
        **{name: before.get(name, getattr(event, name)) for name in CHANGE_FIELDS}
    )
    moved = (old.starts_at, old.ends_at) != (event.starts_at, event.ends_at)
    count = 0
    for registration, email, language in _readers(event):
        with translation.override(language):
            # No viewer zone: the event's zone, then the other zone of the portal.
            when = times.when(event.starts_at, event.ends_at, event_zone=event.time_zone)
            old_when = times.when(old.starts_at, old.ends_at, event_zone=old.time_zone)
            place = localized(event, "venue", language) or event.online_url
            old_place = localized(old, "venue", language) or event.online_url
            if when == old_when and place == old_place:
                continue
            payload = {
                "name": registration.name,
                "event": event.title,
                "when": when,
                "place": place,
                "old_when": old_when if when != old_when else "",
                "old_place": (old_place or "–") if place != old_place else "",
                "moved": moved,
                # The same moment in another zone: its time reads differently, no more.
                "new_zone": zone_words(event.time_zone) if when != old_when and not moved else "",
                "waitlist_position": registration.waitlist_position,
                "guest": registration.user_id is None,
                "path": reverse("events:event-detail", args=[event.pk]),
            }
        _enqueue("event_changed", registration, record, email, language, payload)
        count += 1
    return count


def _session_told(registration, session) -> dict:
    """What every e-mail about one session of a registrant's programme names."""
    event = session.event
    return {
        "name": registration.name,
        "event": event.title,
        "session": session.title,
        # No viewer zone: the event's zone, then the other zone of the portal.
        "when": times.when(session.starts_at, session.ends_at, event_zone=event.time_zone),
        "waitlist_position": registration.waitlist_position,
        "guest": registration.user_id is None,
        "path": reverse("events:event-detail", args=[event.pk]),
    }


def tell_session_changed(session, old, record) -> int:
    """Tell the registrants of an online session's programme that the session moved, with
    its old and new time, or has a new link, in their language; return how many were told.

    `old` holds the session as it was. A move is told to registered and waitlisted people
    (as an event's is), a new link only to the registered, who alone are given links
    (`policies.can_see_online_link`). A title corrected tells nobody.
    """
    event = session.event
    moved = (old.starts_at, old.ends_at) != (session.starts_at, session.ends_at)
    relinked = old.link != session.link
    count = 0
    for registration, email, language in _readers(event):
        registered = registration.status == Registration.Status.REGISTERED
        if not (moved or (relinked and registered)):
            continue
        with translation.override(language):
            payload = {
                **_session_told(registration, session),
                "old_when": (
                    times.when(old.starts_at, old.ends_at, event_zone=event.time_zone)
                    if moved
                    else ""
                ),
                "link": session.link if registered else "",
                "relinked": relinked and registered,
            }
        _enqueue("online_session_changed", registration, record, email, language, payload)
        count += 1
    return count


def tell_session_added(session, record) -> int:
    """Tell the registered and waitlisted people of an online session's programme of a new
    session, with its time in both zones and, for the registered, its link; return how
    many. The programme they registered for is its sessions: one more is theirs to plan."""
    count = 0
    for registration, email, language in _readers(session.event):
        registered = registration.status == Registration.Status.REGISTERED
        with translation.override(language):
            payload = {
                **_session_told(registration, session),
                "link": session.link if registered else "",
            }
        _enqueue("online_session_added", registration, record, email, language, payload)
        count += 1
    return count


def tell_session_cancelled(session, record) -> int:
    """Tell the registered and waitlisted people of an online session's programme that the
    session is off, with its time in both zones, in their language; return how many."""
    event = session.event
    count = 0
    for registration, email, language in _readers(event):
        with translation.override(language):
            payload = _session_told(registration, session)
        _enqueue("online_session_cancelled", registration, record, email, language, payload)
        count += 1
    return count


def reason_in(reasons: dict[str, str], language: str) -> str:
    """Return the reason ({"ko": ..., "zh": ..., "en": ...}) in `language`, or in another
    with the fallback of every text kept in three languages."""
    return localized(
        SimpleNamespace(**{f"reason_{c}": t for c, t in reasons.items()}), "reason", language
    )


def tell_cancelled(event: Event, record, reasons: dict[str, str]) -> int:
    """Tell every registered and waitlisted person that `event` is cancelled, in their
    language, with the reason in it and the event's time in both zones (Asia/Seoul and
    Asia/Shanghai); return how many."""
    count = 0
    for registration, email, language in _readers(event):
        with translation.override(language):
            payload = {
                "name": registration.name,
                "event": event.title,
                # No viewer zone: the event's zone, then the other zone of the portal.
                "when": times.when(event.starts_at, event.ends_at, event_zone=event.time_zone),
                "place": event.venue or event.online_url,
                "status": str(registration.get_status_display()),
                "reason": reason_in(reasons, language),
                "path": reverse("events:event-detail", args=[event.pk]),
            }
        _enqueue("event_cancelled", registration, record, email, language, payload)
        count += 1
    return count


# --- Webhooks -----------------------------------------------------------------------------

# The fields a partner's system is told about when they change; the online link is given
# to registered people on the portal, so the webhook says only that there is one.
WEBHOOK_FIELDS = {
    **{f"title_{code}": "title" for code in ("ko", "zh", "en")},
    **{f"description_{code}": "description" for code in ("ko", "zh", "en")},
    **{f"venue_{code}": "venue" for code in ("ko", "zh", "en")},
    "starts_at": "starts_at",
    "ends_at": "ends_at",
    "time_zone": "time_zone",
    "online_url": "online",
    "registration_deadline": "registration_deadline",
    "meeting_requests_deadline": "meeting_requests_deadline",
}


def _languages(obj, field: str) -> dict[str, str]:
    return {code: getattr(obj, f"{field}_{code}") for code in ("ko", "zh", "en")}


def _utc(moment):
    return utc_iso(moment) if moment else None


def event_webhook_data(event: Event) -> dict:
    """Return the public fields of `event` as webhooks give them (times in UTC, its zone)."""
    return {
        "id": event.pk,
        "kind": event.kind,
        "status": event.status,
        "title": _languages(event, "title"),
        "venue": _languages(event, "venue"),
        "online": bool(event.online_url),
        "starts_at": _utc(event.starts_at),
        "ends_at": _utc(event.ends_at),
        "time_zone": event.time_zone,
        "registration_deadline": _utc(event.registration_deadline),
    }


def registered_organisations(event: Event) -> set[int]:
    """Return the ids of the partner organisations with a person registered or waitlisted."""
    return set(
        event.registrations.filter(
            status__in=ACTIVE_REGISTRATIONS, partner_organisation__isnull=False
        ).values_list("partner_organisation_id", flat=True)
    )


def webhook_event_changed(event: Event, record, changed_fields) -> list:
    """Tell the registered organisations' systems that public fields of `event` changed."""
    changed = sorted({WEBHOOK_FIELDS[name] for name in changed_fields if name in WEBHOOK_FIELDS})
    if not changed:
        return []
    return webhooks_emit(
        event_type=EventType.EVENT_CHANGED,
        organisation_ids=registered_organisations(event),
        data={"event": event_webhook_data(event), "changed": changed},
        key=str(record.pk),
    )


def webhook_event_cancelled(event: Event, record, reason: str) -> list:
    """Tell the registered organisations' systems that `event` is cancelled, and why."""
    return webhooks_emit(
        event_type=EventType.EVENT_CANCELLED,
        organisation_ids=registered_organisations(event),
        data={"event": event_webhook_data(event), "reason": reason},
        key=str(record.pk),
    )
