"""Scopes: what a key may do. A view names the scope of each of its actions."""

from rest_framework.permissions import BasePermission

from incubator.api.auth import Partner

SCOPES = (
    "companies:read",
    "events:read",
    "registrations:write",
    "meetings:write",
    "interests:write",
    "technologies:read",
    "inquiries:write",
    "webhooks:manage",
    "reports:read",
)


SCOPE_MISSING = "scope_missing"


def required_scope(view) -> str | None:
    """Return the scope of the view's current action: `scopes[action]`, else `scope`.

    None: every key of the organisation may (its own people, for instance).
    """
    action = getattr(view, "action", None)
    by_action = getattr(view, "scopes", {})
    return by_action.get(action) or view.scope


class HasScope(BasePermission):
    """A partner's key that holds the scope of the action; anyone else is refused."""

    def has_permission(self, request, view):
        principal = request.user
        if not isinstance(principal, Partner):
            return False
        scope = required_scope(view)
        if scope is None or scope in principal.scopes:  # None: any key of the organisation
            return True
        # DRF raises PermissionDenied(message, code): the error handler words it.
        self.message, self.code = scope, SCOPE_MISSING
        return False
