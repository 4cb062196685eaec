"""Online programmes: their sessions, with the link, and who attended each.

Tables of the `events` app (its label and table names); `events.models` imports them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from events.models import Event, Registration, _ends_after_start
from incubator.models import acting_user
from incubator.multilingual import TranslatedText

__all__ = ["OnlineSession", "SessionAttendance"]


class OnlineSession(models.Model):
    """A session of an online programme, with its link."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="online_sessions", verbose_name=_("event")
    )
    title = TranslatedText(
        _("title"), max_length=200, required=True, constraint_name="online_session_has_a_title"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    link = models.URLField(_("link"), max_length=500)

    class Meta:
        verbose_name = _("online session")
        verbose_name_plural = _("online sessions")
        ordering = ["event_id", "starts_at"]
        constraints = [
            _ends_after_start("online_session_ends_after_start"),
        ]

    def __str__(self):
        return self.title


class SessionAttendance(models.Model):
    """A registration attended an online session."""

    session = models.ForeignKey(
        OnlineSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
        db_index=False,  # the unique (session, registration) index serves it
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="session_attendances",
        verbose_name=_("registration"),
    )
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    recorded_by = acting_user(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendances")
        ordering = ["session_id", "registration_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "registration"],
                name="session_attendance_once",
                violation_error_message=_(
                    "The attendance of this person at this session is already recorded."
                ),
            ),
            models.CheckConstraint(
                condition=Q(joined_at__isnull=True)
                | Q(left_at__isnull=True)
                | Q(left_at__gte=F("joined_at")),
                name="session_attendance_leaves_after_joining",
            ),
        ]

    def __str__(self):
        return f"{self.registration} @ {self.session}"

    def clean(self):
        if self.session_id and self.registration_id:
            if self.session.event_id != self.registration.event_id:
                raise ValidationError(_("The person is not registered for this programme."))
