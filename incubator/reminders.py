"""Reminders: kinds that apps register, and the one sweep that writes them into the outbox.

An app declares its kinds in its own `reminders.py` and registers them from its
AppConfig.ready() (the core imports no app). A kind says who is reminded of what and when:
its `occurrences(since, now)` yields each (object, recipient, due moment, payload) whose due
moment falls in the window the sweep asks for. The sweep writes one outbox message per
occurrence under a key made of (kind, object, recipient, due moment):

    reminder:<kind>:<object id>:<recipient>:<due moment in UTC, ISO>

The outbox's unique dedupe key makes two sweeps at once, a redelivered task or a beat that
catches up after hours write each reminder once; an occurrence whose moment has passed by
more than the kind's grace period is not in the window any more, and is dropped, not sent
late. A user may turn off the optional kinds (ReminderOptOut); required ones always go.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone, translation

from incubator import message_kinds
from incubator.models import OutboxMessage, ReminderOptOut, User

logger = logging.getLogger(__name__)

LOOKUP_CHUNK = 2_000  # keys per "which exist already" query
INSERT_CHUNK = 500  # rows per INSERT
DELIVER_CHUNK = 200  # messages per delivery task


@dataclass(frozen=True)
class Occurrence:
    """One reminder to one person: `obj_id` names the object, `due_at` (aware) the moment."""

    obj_id: int | str
    due_at: dt.datetime
    email: str
    language: str
    payload: dict
    user_id: int | None = None

    @property
    def recipient_key(self) -> str:
        return str(self.user_id) if self.user_id else self.email.lower()


def anyone(user: User) -> bool:
    """The audience of a kind that may reach every account (an event's registrants)."""
    return True


def is_staff(user: User) -> bool:
    return user.is_staff


@dataclass(frozen=True)
class ReminderKind:
    """A kind of reminder.

    `occurrences(since=, now=)` yields the occurrences due in [since, now]; `since` is `now`
    less the grace period. `template` names the e-mail templates (emails/<template>.*),
    "reminder_<code>" when empty. `label` is shown on the preferences page of the users
    `audience(user)` accepts: those the kind can reach (its app says who: a company's
    members, judges, staff).
    """

    code: str
    label: str
    occurrences: Callable[..., Iterable[Occurrence]]
    grace: dt.timedelta
    optional: bool = True
    template: str = ""
    audience: Callable[[User], bool] = anyone

    @property
    def message_kind(self) -> str:
        return self.template or f"reminder_{self.code}"


_KINDS: dict[str, ReminderKind] = {}


def register(*kinds: ReminderKind) -> None:
    """Add kinds to the registry (from an AppConfig.ready()); registering twice is harmless."""
    for kind in kinds:
        known = _KINDS.get(kind.code)
        if known is not None and known.occurrences is not kind.occurrences:
            raise ValueError(f"Two reminder kinds are called {kind.code!r}")
        _KINDS[kind.code] = kind
        message_kinds.register_reminder(kind.message_kind, kind.label)


def kinds() -> list[ReminderKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.code)


def optional_kinds() -> list[ReminderKind]:
    return [kind for kind in kinds() if kind.optional]


def kinds_for(user: User) -> list[ReminderKind]:
    """Return the kinds that can reach `user`: those their preferences page shows."""
    return [kind for kind in kinds() if kind.audience(user)]


def kind_of(code: str) -> ReminderKind:
    return _KINDS[code]


def occurrence_for(
    user: User, *, obj_id, due_at: dt.datetime, build: Callable[[User], dict]
) -> Occurrence:
    """Return the occurrence for `user`, its payload built in the user's language."""
    with translation.override(user.language):
        payload = build(user)
    return Occurrence(
        obj_id=obj_id,
        due_at=due_at,
        email=user.email,
        language=user.language,
        payload=payload,
        user_id=user.pk,
    )


def dedupe_key(kind: ReminderKind, occurrence: Occurrence) -> str:
    moment = occurrence.due_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"reminder:{kind.code}:{occurrence.obj_id}:{occurrence.recipient_key}:{moment}"


def _key_parts(key: str) -> tuple[str, str] | None:
    """Return (kind code, recipient key) of a `dedupe_key`, or None for another key."""
    # reminder:<code>:<object>:<recipient>:<YYYY-MM-DDTHH:MM:SSZ>: an object id may hold
    # colons, a recipient (an id or an address) does not, and the moment holds two.
    parts = key.split(":")
    if len(parts) < 7 or parts[0] != "reminder":
        return None
    return parts[1], parts[-4]


def preferences_kind(message_kind: str, key: str) -> ReminderKind | None:
    """Return the optional kind that the reader of an outbox e-mail (`message_kind`, dedupe
    `key`) can turn off in their preferences, or None.

    Several kinds may share one e-mail (an event's day-before and hour-before reminders):
    the key names the kind that wrote it. A reminder to someone without an account (an
    event's guest, keyed by their address) has no preferences to turn it off in. A key the
    sweep did not write names no kind: the e-mail's only optional kind is taken, if any.
    """
    parts = _key_parts(key)
    kind = _KINDS.get(parts[0]) if parts else None
    if kind is not None and kind.message_kind == message_kind:
        return kind if kind.optional and parts[1].isdigit() else None
    sharing = [k for k in optional_kinds() if k.message_kind == message_kind]
    return sharing[0] if len(sharing) == 1 else None


def local_moment(day: dt.date, hour: int, zone: str) -> dt.datetime:
    """Return `hour`:00 of `day` in `zone`, as an aware datetime."""
    import zoneinfo

    return dt.datetime.combine(day, dt.time(hour), zoneinfo.ZoneInfo(zone))


def days_between(since: dt.datetime, now: dt.datetime, zone: str) -> list[dt.date]:
    """Return the calendar days in `zone` that the window [since, now] touches."""
    import zoneinfo

    tz = zoneinfo.ZoneInfo(zone)
    first, last = since.astimezone(tz).date(), now.astimezone(tz).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


# --- The sweep ------------------------------------------------------------------------------


@dataclass
class SweepResult:
    written: int = 0
    found: int = 0
    opted_out: int = 0
    by_kind: dict = field(default_factory=dict)


def _existing(keys: list[str]) -> set[str]:
    found = set()
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        found.update(
            OutboxMessage.objects.filter(dedupe_key__in=chunk).values_list("dedupe_key", flat=True)
        )
    return found


def _insert_new(kind: str, now: dt.datetime, rows: list[dict]) -> list[int]:
    """Insert one e-mail of `kind` per row (recipient, dedupe_key, language, payload), skipping
    any whose dedupe key exists by now; return the ids of the rows this call wrote.

    INSERT ... ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, on PostgreSQL and SQLite
    alike: a concurrent sweep that wrote the same key first makes this one wait for its
    commit and then skip the row, without an error, and the ids returned are exactly the
    rows this sweep wrote (bulk_create(ignore_conflicts=True) would not say which). The
    columns every row shares are prepared once, from an unsaved row with their defaults.
    """
    fields = [f for f in OutboxMessage._meta.concrete_fields if not f.primary_key]
    shared = OutboxMessage(
        channel=OutboxMessage.Channel.EMAIL, kind=kind, available_at=now, created_at=now
    )
    prepared = {
        f.attname: f.get_db_prep_save(getattr(shared, f.attname), connection) for f in fields
    }
    payload = OutboxMessage._meta.get_field("payload")
    ops = connection.ops
    table = ops.quote_name(OutboxMessage._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    pk = ops.quote_name(OutboxMessage._meta.pk.column)
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            params = []
            for row in chunk:
                values = {
                    **prepared,
                    **row,
                    "payload": payload.get_db_prep_save(row["payload"], connection),
                }
                params.extend(values[f.attname] for f in fields)
            placeholders = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {placeholders} "
                f"ON CONFLICT ({ops.quote_name('dedupe_key')}) DO NOTHING RETURNING {pk}",
                params,
            )
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _deliver_after_commit(ids: list[int]) -> None:
    from incubator.services import task_enqueue_on_commit

    for start in range(0, len(ids), DELIVER_CHUNK):
        task_enqueue_on_commit(
            "incubator.tasks.outbox_deliver_many_task", ids[start : start + DELIVER_CHUNK]
        )


def _sweep_kind(kind: ReminderKind, now: dt.datetime, result: SweepResult) -> int:
    since = now - kind.grace
    wanted: dict[str, Occurrence] = {}
    for occurrence in kind.occurrences(since=since, now=now):
        if since <= occurrence.due_at <= now and occurrence.email:
            wanted.setdefault(dedupe_key(kind, occurrence), occurrence)
    result.found += len(wanted)
    if kind.optional and wanted:
        off = set(ReminderOptOut.objects.filter(kind=kind.code).values_list("user_id", flat=True))
        if off:
            kept = {key: o for key, o in wanted.items() if o.user_id not in off}
            result.opted_out += len(wanted) - len(kept)
            wanted = kept
    new_keys = sorted(set(wanted) - _existing(list(wanted)))
    if not new_keys:
        return 0
    rows = [
        {
            "recipient": wanted[key].email,
            "dedupe_key": key,
            "language": wanted[key].language,
            "payload": wanted[key].payload,
        }
        for key in new_keys
    ]
    with transaction.atomic():
        ids = _insert_new(kind.message_kind, now, rows)
        _deliver_after_commit(ids)
    return len(ids)


def reminders_sweep(*, now: dt.datetime | None = None, codes: Iterable[str] = ()) -> SweepResult:
    """Write every reminder due at `now` (within each kind's grace) that is not written yet.

    `codes` limits the sweep to some kinds. Return how many messages this sweep wrote.
    """
    now = now or timezone.now()
    wanted = set(codes)
    result = SweepResult()
    for kind in kinds():
        if wanted and kind.code not in wanted:
            continue
        started = time.monotonic()
        written = _sweep_kind(kind, now, result)
        result.written += written
        result.by_kind[kind.code] = written
        if written:
            logger.info(
                "Reminders %s: %d written in %.2f s", kind.code, written, time.monotonic() - started
            )
    return result


# --- Preferences ----------------------------------------------------------------------------


def opted_out(user: User) -> set[str]:
    return set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))


def reminders_keep_on(*, user: User, codes: Iterable[str]) -> None:
    """Keep the optional kinds `codes` on for `user` and turn the other optional ones off.

    Required kinds cannot be turned off: they are ignored here, and always sent; so are the
    kinds that cannot reach the user (the staff's, for anyone else), which they are not shown.
    """
    from incubator.audit import audit_record

    optional = {kind.code for kind in kinds_for(user) if kind.optional}
    off = optional - set(codes)
    with transaction.atomic():
        before = opted_out(user)
        # Kinds no app registers any more are left alone: they cost nothing.
        if off & optional == before & optional:
            return
        ReminderOptOut.objects.filter(user=user, kind__in=optional - off).delete()
        ReminderOptOut.objects.bulk_create(
            [ReminderOptOut(user=user, kind=code) for code in sorted(off - before)]
        )
        audit_record(
            actor=user,
            verb="account.reminders",
            obj=user,
            changes={
                "off": sorted(off - before),
                "on": sorted((before & optional) - off),
            },
        )
