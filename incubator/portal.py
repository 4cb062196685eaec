"""Helpers of the portal's views shared by every app, and where each person's portal is.

"Which home, which links" is asked here and only here: the sign-in redirect, `/portal/` and
the header. The apps register their *destinations* from AppConfig.ready (judging, matching,
the journey, the application...), each with a predicate saying whom it serves, so the core
imports none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse


def startup_view(view):
    """Sign-in required; staff, who have no company, go to the admin."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_staff:
            return redirect("admin:index")
        return view(request, *args, **kwargs)

    return wrapper


class Visitor:
    """The signed-in person, with the facts the predicates share for one question.

    Several destinations ask the same thing (the person's company, its enrollment): `fact`
    computes each once per question, and a new question (a new request) asks afresh.
    """

    def __init__(self, user):
        self.user = user
        self._facts: dict[str, object] = {}

    def fact(self, key: str, compute: Callable):
        if key not in self._facts:
            self._facts[key] = compute(self.user)
        return self._facts[key]


@dataclass(frozen=True)
class Destination:
    key: str
    label: str  # lazy: translated when shown
    applies: Callable[[Visitor], bool]
    path: Callable[[Visitor], str]
    # Order of the header's links; the first that applies is the person's home.
    rank: int
    home: bool = True  # False: a link in the header, never the landing page


_destinations: dict[str, Destination] = {}


def register_destination(
    key: str,
    *,
    label,
    applies: Callable[[Visitor], bool],
    path: str | Callable[[Visitor], str],
    rank: int,
    home: bool = True,
) -> None:
    """Add a place of the portal: `path` is a URL name or gives the person's own path."""
    path_of = path if callable(path) else (lambda _visitor, name=path: reverse(name))
    _destinations[key] = Destination(key, label, applies, path_of, rank, home)


def destinations_for(user) -> list[tuple[Destination, str]]:
    """Return the destinations that serve `user`, with their paths, in rank order."""
    if not user.is_authenticated or user.is_staff:
        return []  # staff work in the admin, which the header links to on its own
    visitor = Visitor(user)
    ordered = sorted(_destinations.values(), key=lambda d: (d.rank, d.key))
    return [(d, d.path(visitor)) for d in ordered if d.applies(visitor)]


def portal_home(user, destinations=None) -> str:
    """Return the path where `user` lands after signing in, or on opening /portal/."""
    if user.is_staff:
        return reverse("admin:index")
    for destination, path in destinations if destinations is not None else destinations_for(user):
        if destination.home:
            return path
    return reverse("portal:preferences")


def portal_links(request) -> list[dict]:
    """Return the header's links of the signed-in person, computed once per request."""
    if not hasattr(request, "_portal_links"):
        request._portal_links = [
            {"key": d.key, "label": d.label, "url": path, "current": request.path == path}
            for d, path in destinations_for(request.user)
        ]
    return request._portal_links


def portal_nav(request) -> dict:
    """Context processor: `portal_links`, computed only if a template shows the header."""
    return {"portal_links": lambda: portal_links(request)}
