"""Making, regenerating and stopping calendar feeds, with their audit records.

No token reaches an audit record, a log or the database: the services return it to the
caller, which shows the address once (see `events.feeds.models`).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from events.feeds.models import CalendarFeed, new_token, token_hash
from events.feeds.policies import (
    can_manage_organisation_feed,
    can_manage_user_feed,
    can_stop_feed,
)
from incubator.audit import audit_record

# How stale "last fetched" may be before a fetch writes it again: calendar apps poll.
FETCH_RECORD_EVERY = dt.timedelta(minutes=15)


def _owner(user, organisation) -> dict:
    if (user is None) == (organisation is None):
        raise ValueError("A feed is of a user or of an organisation.")
    return {"user": user} if user is not None else {"organisation": organisation}


def calendar_feed_regenerate(*, actor, user=None, organisation=None) -> tuple[CalendarFeed, str]:
    """Make the feed of `user` or `organisation`, or give it a new address; return (feed,
    token). The old address answers 404 from the commit on."""
    allowed = (
        can_manage_user_feed(actor, user)
        if user is not None
        else can_manage_organisation_feed(actor, organisation)
    )
    if not allowed:
        raise PermissionDenied
    owner = _owner(user, organisation)
    token = new_token()
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(**owner)
        replaced = feed.is_active
        feed.token_hash = token_hash(token)
        feed.created_at = timezone.now()
        feed.created_by = actor if getattr(actor, "pk", None) else None
        feed.language = getattr(actor, "language", None) or feed.language
        feed.last_fetched_at = None
        feed.save()
        audit_record(
            actor=actor,
            verb="calendar_feed.regenerate",
            obj=feed,
            changes={"created": created, "replaced": replaced},
        )
    return feed, token


def calendar_feed_stop(*, actor, feed: CalendarFeed) -> None:
    """Stop a feed: its address answers 404, and nothing replaces it until regenerated."""
    if not can_stop_feed(actor, feed):
        raise PermissionDenied
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
        if not feed.is_active:
            return
        feed.token_hash = None
        feed.save(update_fields=["token_hash"])
        audit_record(actor=actor, verb="calendar_feed.stop", obj=feed, changes={"active": False})


def calendar_feed_fetched(feed: CalendarFeed, at=None) -> None:
    """Record that a calendar app fetched the feed, at most once per FETCH_RECORD_EVERY.

    Like an API key's last use: bookkeeping of a read, not a change of state, so no audit.
    """
    at = at or timezone.now()
    if feed.last_fetched_at is not None and at - feed.last_fetched_at < FETCH_RECORD_EVERY:
        return
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=at)
    feed.last_fetched_at = at
