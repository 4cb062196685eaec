"""API permissions of the core."""

from rest_framework.permissions import BasePermission


class DenyAll(BasePermission):
    """The default of every API view: a view opens itself by naming its own permissions."""

    def has_permission(self, request, view):
        return False
