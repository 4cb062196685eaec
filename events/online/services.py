"""Every write of online programmes: their sessions and who attended each.

A session belongs to an online programme (an event); only those who may manage the event
change its sessions, and only people registered for the programme are recorded as attending.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import messages, policies
from events.models import Event, OnlineSession, Registration, SessionAttendance
from incubator.audit import audit_record
from incubator.rows import row_delete, row_save_recorded

REGISTERED = Registration.Status.REGISTERED


def _refuse_unless_manager(actor, event) -> None:
    if not policies.can_manage_event(actor, event):
        raise PermissionDenied


def session_attendance_set(
    *, session: OnlineSession, registration_ids: Iterable[int], actor
) -> tuple[int, int]:
    """Record who attended an online session: exactly `registration_ids`; return (added, removed).

    Only people registered for the session's programme can be recorded.
    """
    if not policies.can_record_attendance(actor, session):
        raise PermissionDenied
    wanted = set(registration_ids)
    with transaction.atomic():
        allowed = set(
            Registration.objects.filter(
                event_id=session.event_id, status=REGISTERED, pk__in=wanted
            ).values_list("pk", flat=True)
        )
        if wanted - allowed:
            raise ValidationError(
                _("Only people registered for this programme can be recorded as attending.")
            )
        present = set(session.attendances.values_list("registration_id", flat=True))
        removed, _counts = session.attendances.exclude(registration_id__in=wanted).delete()
        SessionAttendance.objects.bulk_create(
            [
                SessionAttendance(session=session, registration_id=pk, recorded_by=actor)
                for pk in sorted(wanted - present)
            ]
        )
        if wanted - present or removed:
            audit_record(
                actor=actor,
                verb="attendance.set",
                obj=session,
                changes={
                    "added": sorted(wanted - present),
                    "removed": sorted(present - wanted),
                },
            )
    return len(wanted - present), removed


def _told_of(event: Event, *sessions: OnlineSession) -> bool:
    """Say whether the registrants hear of a change of `sessions` (as they were, as they
    are): a draft has nobody to tell yet, a cancelled programme was told it is off, and a
    programme or a session that is over is a record being corrected."""
    now = timezone.now()
    return (
        event.status == Event.Status.PUBLISHED
        and event.ends_at > now
        and any(session.ends_at > now for session in sessions)
    )


def online_session_save(*, session: OnlineSession, actor) -> OnlineSession:
    """Add a session to an online programme, or change one.

    A coming session of a published programme that is added, moves or gets a new link is
    told to its registrants by e-mail (`messages.tell_session_added`, `tell_session_changed`;
    `session.told`: how many); a session moved to another programme is off for the first
    one's registrants and new for the other's.
    """
    _refuse_unless_manager(actor, session.event)
    with transaction.atomic():
        old = None
        if not session._state.adding:
            old = OnlineSession.objects.select_for_update().get(pk=session.pk)
        session, record = row_save_recorded(session, actor=actor, verb="online_session")
        session.told = 0
        if record is None:
            return session
        if old is not None and old.event_id == session.event_id:
            if _told_of(session.event, old, session):
                session.told = messages.tell_session_changed(session, old, record)
            return session
        if old is not None and _told_of(old.event, old):
            session.told += messages.tell_session_cancelled(old, record)
        if _told_of(session.event, session):
            session.told += messages.tell_session_added(session, record)
    return session


def online_session_delete(*, session: OnlineSession, actor) -> None:
    """Delete a session with the attendance recorded for it; the registrants of a published
    programme are told that a coming session is off (`messages.tell_session_cancelled`)."""
    _refuse_unless_manager(actor, session.event)
    with transaction.atomic():
        record = row_delete(session, actor=actor, verb="online_session")
        if _told_of(session.event, session):
            messages.tell_session_cancelled(session, record)
