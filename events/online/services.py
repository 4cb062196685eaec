"""Every write of online programmes: their sessions and who attended each.

A session belongs to an online programme (an event); only those who may manage the event
change its sessions, and only people registered for the programme are recorded as attending.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events import policies
from events.models import OnlineSession, Registration, SessionAttendance
from incubator.audit import audit_record
from incubator.rows import row_delete, row_save

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


def online_session_save(*, session: OnlineSession, actor) -> OnlineSession:
    """Add a session to an online programme, or change one."""
    _refuse_unless_manager(actor, session.event)
    return row_save(session, actor=actor, verb="online_session")


def online_session_delete(*, session: OnlineSession, actor) -> None:
    """Delete a session with the attendance recorded for it."""
    _refuse_unless_manager(actor, session.event)
    row_delete(session, actor=actor, verb="online_session")
