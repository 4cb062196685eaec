"""Calendar feeds: the public feed behind a token, and the portal page that manages them.

The feed answers 404 for an unknown, regenerated or stopped token alike, and for a feed
whose owner is no longer active: nobody can tell a dead address from one never made.
"""

import datetime as dt
import secrets
from base64 import urlsafe_b64decode, urlsafe_b64encode
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from events import ics
from events.feeds import selectors, services
from events.feeds.forms import MINE, ORGANISATION, FeedActionForm
from events.feeds.models import token_hash
from events.feeds.policies import organisation_of

# How often calendar apps should fetch again (Google decides for itself, about daily).
REFRESH = dt.timedelta(hours=1)
# A shared cache must not keep someone's schedule; the app's own may, for a few minutes.
FEED_CACHE_CONTROL = "private, max-age=300"


def _urls(request):
    def event_url(pk):
        return request.build_absolute_uri(reverse("events:event-detail", args=[pk]))

    def agenda_url(pk):
        return request.build_absolute_uri(reverse("events:meeting-agenda", args=[pk]))

    return {"event_url": event_url, "agenda_url": agenda_url}


def _not_found() -> HttpResponse:
    # The same bytes for every dead address: a page that echoed the path or carried a CSRF
    # token would differ from one address to the next.
    return HttpResponseNotFound(b"Not found\n", content_type="text/plain; charset=utf-8")


@require_safe  # GET, and HEAD, which some calendar apps send first
def calendar_feed(request, token):
    feed = selectors.feed_by_token(token)
    owner = None if feed is None else (feed.user or feed.organisation)
    if owner is None or not owner.is_active:
        return _not_found()
    language = feed.user.language if feed.user_id is not None else feed.language
    with translation.override(language):
        if feed.user_id is not None:
            items = selectors.user_feed_items(feed.user, **_urls(request))
        else:
            items = selectors.organisation_feed_items(feed.organisation_id, **_urls(request))
        content = ics.calendar_for(items, name=selectors.feed_name(feed), refresh=REFRESH)
        spoken = translation.get_language()
    services.calendar_feed_fetched(feed)
    response = HttpResponse(content, content_type=ics.CONTENT_TYPE)
    # The language the texts are in, the owner's: LocaleMiddleware would name the fetcher's.
    response["Content-Language"] = spoken
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = FEED_CACHE_CONTROL
    response["X-Robots-Tag"] = "noindex"
    return response


def _subscription(request, token: str, name: str) -> dict:
    """Return the ways to subscribe to a freshly made address (shown once)."""
    https = request.build_absolute_uri(reverse("events:calendar-feed", kwargs={"token": token}))
    webcal = "webcal://" + https.split("://", 1)[1]
    return {
        "https": https,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?url="
        + quote(https, safe="")
        + "&name="
        + quote(name, safe=""),
    }


def _page(request, *, token=None, form=None, status=200):
    """Render the page; `token`, an address just made, is shown in the panel of its feed, if
    it is the live address of one of the viewer's own feeds."""
    organisation = organisation_of(request.user)
    feeds = {MINE: selectors.feed_of(user=request.user)}
    if organisation is not None:
        feeds[ORGANISATION] = selectors.feed_of(organisation=organisation)
    made = None
    if token is not None:
        for which, feed in feeds.items():
            if feed is not None and feed.token_hash == token_hash(token):
                made = {"feed": which, **_subscription(request, token, selectors.feed_name(feed))}
    response = render(
        request,
        "events/feeds/calendar.html",
        {
            "mine": feeds[MINE],
            "organisation": organisation,
            "organisation_feed": feeds.get(ORGANISATION),
            "made": made,
            "form": form,
        },
        status=status,
    )
    # The page may show an address once: no cache keeps it.
    response["Cache-Control"] = "private, no-store"
    return response


# An address just made goes to the page after the redirect in two halves that each say
# nothing of it: the token XOR a random pad in the session, the pad in a cookie of this page.
# Neither the session's row (a backup) nor the browser's cookies alone hold the address, and
# the page's GET takes both, once.
MADE_SESSION_KEY = "calendar_feed_made"
PAD_COOKIE = "calendar_feed_pad"


def _xor(data: bytes, pad: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, pad, strict=True))


def _keep_for_the_next_page(request, response, token: str) -> None:
    data = token.encode()
    pad = secrets.token_bytes(len(data))
    request.session[MADE_SESSION_KEY] = urlsafe_b64encode(_xor(data, pad)).decode()
    response.set_cookie(
        PAD_COOKIE,
        urlsafe_b64encode(pad).decode(),
        max_age=300,  # the redirect follows at once
        path=reverse("events:calendar"),
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )


def _take_made_token(request) -> str | None:
    """Return the address the last POST made, once (its halves are dropped), or None."""
    sealed = request.session.pop(MADE_SESSION_KEY, None)
    pad = request.COOKIES.get(PAD_COOKIE)
    if not sealed or not pad:
        return None
    try:
        return _xor(urlsafe_b64decode(sealed), urlsafe_b64decode(pad)).decode()
    except ValueError:  # a pad of another address, or not of ours
        return None


def _active(request) -> set[str]:
    active = set()
    if (feed := selectors.feed_of(user=request.user)) and feed.is_active:
        active.add(MINE)
    organisation = organisation_of(request.user)
    if organisation is not None:
        feed = selectors.feed_of(organisation=organisation)
        if feed is not None and feed.is_active:
            active.add(ORGANISATION)
    return active


def _owner(request, which: str) -> dict:
    if which == MINE:
        return {"user": request.user}
    organisation = organisation_of(request.user)
    if organisation is None:
        raise PermissionDenied
    return {"organisation": organisation}


@login_required
@require_GET
def calendar_page(request):
    response = _page(request, token=_take_made_token(request))
    if PAD_COOKIE in request.COOKIES:
        response.delete_cookie(PAD_COOKIE, path=reverse("events:calendar"), samesite="Strict")
    return response


@login_required
@require_POST
def calendar_regenerate(request):
    form = FeedActionForm(request.POST, active=_active(request))
    if not form.is_valid():
        return _page(request, form=form, status=400)
    which = form.cleaned_data["feed"]
    _feed, token = services.calendar_feed_regenerate(actor=request.user, **_owner(request, which))
    if which in form.active:
        messages.success(request, _("A new calendar address is made; the old one no longer works."))
    else:
        messages.success(request, _("The calendar address is made."))
    response = redirect("events:calendar")
    _keep_for_the_next_page(request, response, token)
    return response


@login_required
@require_POST
def calendar_stop(request):
    form = FeedActionForm(request.POST, active=_active(request))
    if not form.is_valid() or form.cleaned_data["feed"] not in form.active:
        return _page(request, form=form, status=400)
    feed = selectors.feed_of(**_owner(request, form.cleaned_data["feed"]))
    services.calendar_feed_stop(actor=request.user, feed=feed)
    messages.success(request, _("The feed is stopped; its address no longer works."))
    return redirect("events:calendar")
