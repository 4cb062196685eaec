"""The guard of every status change: a model declares its transitions, one method enforces them.

Born in events (registrations, events, schedule runs); here so that every app, companies
included, asks the same question without importing another app.
"""

from django.core.exceptions import ValidationError
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
