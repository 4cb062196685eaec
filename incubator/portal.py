"""Helpers of the startup portal's views, shared by every app."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


def startup_view(view):
    """Sign-in required; staff, who have no company, go to the admin."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_staff:
            return redirect("admin:index")
        return view(request, *args, **kwargs)

    return wrapper
