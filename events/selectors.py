"""Read queries of events, shared by the portal pages, the admin, the calendars and the API."""

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Q, QuerySet
from django.utils import timezone

from events.models import (
    BADGE_ALPHABET,
    BADGE_LENGTH,
    Delegation,
    Event,
    OnlineSession,
    Registration,
    search_key,
)
from incubator.db import SubqueryCount

PUBLIC_STATUSES = (Event.Status.PUBLISHED, Event.Status.COMPLETED)


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        registered_count=Count("registrations", filter=Q(registrations__status="registered")),
        waitlisted_count=Count("registrations", filter=Q(registrations__status="waitlisted")),
    )


def registration_counts(event_ids) -> dict[int, tuple[int, int]]:
    """Return {event id: (registered, waitlisted)} for these events, in one query."""
    rows = (
        Registration.objects.filter(event_id__in=event_ids)
        .values("event_id")
        .annotate(
            registered=Count("pk", filter=Q(status=Registration.Status.REGISTERED)),
            waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        )
        .order_by()
    )
    return {row["event_id"]: (row["registered"], row["waitlisted"]) for row in rows}


def registrations_counted(status: str) -> SubqueryCount:
    """Return an event's number of registrations with `status`, as a sort key."""
    return SubqueryCount(Registration.objects.filter(event=OuterRef("pk"), status=status))


def events_visible_to(user) -> QuerySet[Event]:
    """Return the events `user` may see.

    Staff see all; everyone else the published and completed ones, and a cancelled one
    only if they had registered for it (to read that it is cancelled). Drafts stay hidden.
    """
    if getattr(user, "is_staff", False):
        return Event.objects.all()
    visible = Q(status__in=PUBLIC_STATUSES)
    if getattr(user, "is_authenticated", False):
        mine = Registration.objects.filter(user=user).values("event_id")
        visible |= Q(status=Event.Status.CANCELLED, pk__in=mine)
    return Event.objects.filter(visible)


def of_organisation(organisation_id: int, prefix: str = "") -> Q:
    """Registrations (at `prefix`, e.g. "from_registration__") a partner organisation made
    for one of its people who still belongs to it: what its API key sees and acts on."""
    return Q(
        **{
            f"{prefix}kind": Registration.Kind.PARTNER,
            f"{prefix}partner_organisation_id": organisation_id,
            f"{prefix}user__partner_person__organisation_id": organisation_id,
        }
    )


def standing_registration_of_organisation(organisation_id: int, event) -> Registration | None:
    """Return a registration with a place (not waitlisted) of one of an organisation's
    people for `event`, or None."""
    return Registration.objects.filter(
        of_organisation(organisation_id), event=event, status=Registration.Status.REGISTERED
    ).first()


def events_for_partner(organisation_id: int) -> QuerySet[Event]:
    """Return the events a partner organisation's API key sees, with their counts.

    As a person in the portal: the published and completed ones, and a cancelled one only
    if the organisation had registered one of its people for it. Drafts stay hidden.
    """
    theirs = Registration.objects.filter(of_organisation(organisation_id)).values("event_id")
    visible = Q(status__in=PUBLIC_STATUSES) | Q(status=Event.Status.CANCELLED, pk__in=theirs)
    return _with_counts(Event.objects.filter(visible))


def registrations_of_organisation(organisation_id: int) -> QuerySet[Registration]:
    """Return the registrations of a partner organisation's people, with their events."""
    return Registration.objects.filter(of_organisation(organisation_id)).select_related(
        "event", "user__partner_person"
    )


def event_list_upcoming(*, kind: str | None = None, at=None) -> QuerySet[Event]:
    """Return the published events that have not ended, soonest first, with their counts."""
    at = at or timezone.now()
    events = Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gt=at)
    if kind:
        events = events.filter(kind=kind)
    return _with_counts(events).order_by("starts_at", "pk")


def event_detail(*, pk: int, user) -> Event:
    """Return the event with its counts; Event.DoesNotExist if `user` may not see it."""
    return _with_counts(events_visible_to(user)).get(pk=pk)


def places_left(event: Event) -> int | None:
    """Return the free places of an event loaded with its counts (None: no limit)."""
    if event.capacity is None:
        return None
    return max(event.capacity - event.registered_count, 0)


def registration_of(*, event: Event, user) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(event=event, user=user).first()


def registration_state(registration: Registration | None) -> str:
    """Return the one state the event page tells its person: "checked_in", "registered",
    "waitlisted", "cancelled" (they may register again) or "none"."""
    if registration is None:
        return "none"
    if registration.status == Registration.Status.REGISTERED and registration.is_checked_in:
        return "checked_in"
    return registration.status


def registrations_of_user(user, *, include_cancelled: bool = False) -> QuerySet[Registration]:
    """Return a person's registrations with their events, soonest event first."""
    registrations = Registration.objects.filter(user=user).select_related("event")
    if not include_cancelled:
        registrations = registrations.exclude(status=Registration.Status.CANCELLED)
    return registrations.order_by("event__starts_at", "pk")


def badge(*, pk: int) -> Registration:
    return Registration.objects.select_related(
        "event", "company", "partner_organisation", "user"
    ).get(pk=pk)


def is_badge_code(text: str) -> bool:
    code = text.strip().upper()
    return len(code) == BADGE_LENGTH and all(c in BADGE_ALPHABET for c in code)


def checkin_matches(*, event: Event, query: str) -> QuerySet[Registration]:
    """Return the registrations of `event` with a word of the name starting with `query`, an
    e-mail address starting with it, or that badge code; in name order.

    Names are stored like "남정화 nam jeong-hwa": staff type any word ("nam", "zhang", "남").
    No B-tree serves "a word starts with" (and a trigram index misses one-character
    Chinese and Korean searches), but one event holds a few thousand people at most: on
    PostgreSQL its rows are found by an index on event_id and each tested there, in one
    query, never the whole table.
    """
    key = search_key(query)
    if not key:
        return Registration.objects.none()
    condition = Q(search_name__startswith=key) | Q(search_name__contains=f" {key}")
    if " " not in key:
        condition |= Q(guest_email__istartswith=key) | Q(user__email__istartswith=key)
    if is_badge_code(query):
        condition |= Q(badge_code=query.strip().upper())
    return (
        Registration.objects.filter(condition, event=event)
        .select_related("company", "partner_organisation")
        .order_by("search_name", "pk")
    )


def checkin_search(*, event: Event, query: str, limit: int = 20) -> list[Registration]:
    """Return the first `limit` of `checkin_matches`, in one query."""
    return list(checkin_matches(event=event, query=query)[:limit])


# Past this many accounts whose address contains a search, a list of their ids is no use
# (the search matches about everyone): the registrations are joined to the accounts instead.
ACCOUNTS_LISTED = 500


def registration_search(text: str, *, by_badge_code: bool = True) -> Q:
    """Return the condition of the registrations whose name starts with `text`, whose badge
    code it is (unless not `by_badge_code`: for who may read no badge, a search must not
    say whose a code is), or whose guest's or account's e-mail address contains it.

    The accounts come first, by their trigram index on PostgreSQL, so that every way of
    matching is a condition on the registration alone, each with its index (the name's
    pattern index, the unique badge code, the guest addresses' trigram index, the account
    column): the planner ORs the indexes for a narrow search and reads the table for a
    broad one. An OR across the join to the accounts could use none of them.
    """
    text = text.strip()
    accounts = list(
        get_user_model()
        .objects.filter(email__icontains=text)
        .order_by()
        .values_list("pk", flat=True)[: ACCOUNTS_LISTED + 1]
    )
    if len(accounts) > ACCOUNTS_LISTED:
        by_account = Q(user__email__icontains=text)
    else:
        by_account = Q(user_id__in=accounts)
    condition = (
        Q(search_name__startswith=search_key(text)) | Q(guest_email__icontains=text) | by_account
    )
    if by_badge_code and is_badge_code(text):
        condition |= Q(badge_code=text.upper())
    return condition


def checkin_counts(*, event: Event) -> dict[str, int]:
    """Return {"registered": n, "checked_in": n} for the door."""
    return Registration.objects.filter(
        event=event, status=Registration.Status.REGISTERED
    ).aggregate(
        registered=Count("pk"), checked_in=Count("pk", filter=Q(checked_in_at__isnull=False))
    )


def online_sessions(*, event: Event) -> QuerySet[OnlineSession]:
    return event.online_sessions.annotate(attended=Count("attendances")).order_by("starts_at")


def delegation_programme(*, pk: int) -> Delegation:
    return (
        Delegation.objects.select_related("event", "host_organisation", "coordinator")
        .prefetch_related("members__company", "programme__host")
        .get(pk=pk)
    )


def calendar_registrations(user) -> QuerySet[Registration]:
    """Return the registrations of a person's agenda: registered, for events they may see."""
    return (
        Registration.objects.filter(
            user=user,
            status=Registration.Status.REGISTERED,
            event__status__in=(*PUBLIC_STATUSES, Event.Status.CANCELLED),
        )
        .select_related("event")
        .prefetch_related("event__online_sessions")
        .order_by("event__starts_at")
    )
