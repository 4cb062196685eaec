"""The guard of every status change: a model declares its transitions, one method enforces them.

Born in events (registrations, events, schedule runs); here so that every app, companies
included, asks the same question without importing another app.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StatusFlow:
    """A row with a `status` and `TRANSITIONS` {status: statuses it may move to}.

    Every state change goes through `move_to` (the services call it, then save): one guard
    for the admin, the portal, the tasks and the API.
    """

    TRANSITIONS: dict = {}

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())

    def move_to(self, status: str) -> None:
        """Set `status`, or raise ValidationError when the current status does not lead there."""
        if not self.can_move_to(status):
            raise ValidationError(
                _("Cannot move from %(from)s to %(to)s.")
                % {"from": self.get_status_display(), "to": self.Status(status).label},
                code="transition",
            )
        self.status = status

    @classmethod
    def statuses_leading_to(cls, status: str) -> list[str]:
        """Return the statuses that may move to `status` (for a guarded bulk update)."""
        return [source for source, targets in cls.TRANSITIONS.items() if status in targets]


class BackgroundRun(StatusFlow):
    """A job a task runs in the background (a schedule, a report): queued, running, then done
    or failed, with a `progress` (%) and `started_at` that its page shows."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    TRANSITIONS = {
        Status.QUEUED: (Status.RUNNING, Status.FAILED),
        Status.RUNNING: (Status.DONE, Status.FAILED),
        Status.DONE: (),
        Status.FAILED: (),
    }

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def begin(self) -> bool:
        """Mark the run (locked by the caller) running from 0%; False when it is finished.

        A redelivered task restarts a running run; a finished one is left alone.
        """
        if not self.is_active:
            return False
        if self.status == self.Status.QUEUED:
            self.move_to(self.Status.RUNNING)
        self.started_at = self.started_at or timezone.now()
        self.progress = 0
        self.save(update_fields=["status", "started_at", "progress"])
        return True
