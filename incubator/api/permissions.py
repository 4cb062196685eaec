"""Scopes: what a key may do. A view names the scope of each of its actions."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from incubator.api.auth import Partner

SCOPE_MISSING = "scope_missing"


def read_scope_of(scope: str) -> str:
    """`registrations:write` -> `registrations:read`: the scope that only reads."""
    return scope.removesuffix(":write") + ":read"


def required_scope(view, method: str) -> str | None:
    """Return the scope a call needs: the action's (`scopes[action]`, else `scope`).

    A read (GET) of what a `…:write` scope manages needs only its `…:read` scope, which
    a `…:write` key holds as well (`holds_scope`): a partner's dashboard can list its
    registrations with a key that cannot register anyone. None: every key of the
    organisation may (its own people, for instance).
    """
    action = getattr(view, "action", None)
    scope = getattr(view, "scopes", {}).get(action) or getattr(view, "scope", None)
    if scope and scope.endswith(":write") and method.upper() in SAFE_METHODS:
        return read_scope_of(scope)
    return scope


def holds_scope(scopes, scope: str) -> bool:
    """Whether a key of `scopes` may use `scope`: a `…:write` scope includes its `…:read`."""
    return scope in scopes or (
        scope.endswith(":read") and scope.removesuffix(":read") + ":write" in scopes
    )


class HasScope(BasePermission):
    """A partner's key that holds the scope of the action; anyone else is refused."""

    def has_permission(self, request, view):
        principal = request.user
        if not isinstance(principal, Partner):
            return False
        scope = required_scope(view, request.method)
        if scope is None or holds_scope(principal.scopes, scope):  # None: any key
            return True
        # DRF raises PermissionDenied(message, code): the error handler words it.
        self.message, self.code = scope, SCOPE_MISSING
        return False
