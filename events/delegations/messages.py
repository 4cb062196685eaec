"""The e-mail of a delegation's programme: whom it goes to, in which language and zone, what
it says, the version that names it in the outbox, and its calendar file.

A member is written to in their account's language and zone, the account being the one with
the member's address. A member without an account reads the language set on their row (a
Korean delegation's Chinese interpreter), else travels with their leader: the leader's
account's language, else the one set on the leader's row (the portal's own, Korean, when
neither is known). Their own zone is not known, so beside the delegation's zone they read
the portal's other zone, as a guest does whose country is not known (`events.messages.when`).
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db.models.functions import Lower
from django.utils import translation

from events import ics
from events.models import Delegation, DelegationMember, DelegationProgrammeItem
from incubator import times
from incubator.attachments import Attachment, Rendered
from incubator.models import OutboxMessage, User
from incubator.webhooks import utc_iso
from incubator.zones import zone_words

KIND = "delegation_programme"
CALENDAR_FILENAME = "programme.ics"


@dataclass(frozen=True)
class Reader:
    member: DelegationMember
    email: str
    language: str
    # None: not known (no account); the portal's other zone is shown, not "your time".
    zone: str | None


def _accounts_by_address(addresses) -> dict[str, User]:
    wanted = {address.lower() for address in addresses if address}
    if not wanted:
        return {}
    accounts = User.objects.annotate(address=Lower("email")).filter(
        address__in=wanted, is_active=True
    )
    return {account.address: account for account in accounts}


def readers_of(members: list[DelegationMember]) -> list[Reader]:
    """Return the members with an address, each with the language and zone to write in."""
    with_address = [member for member in members if member.email]
    accounts = _accounts_by_address(member.email for member in with_address)
    leader = next((m for m in members if m.role == DelegationMember.Role.LEADER), None)
    leaders_account = accounts.get(leader.email.lower()) if leader and leader.email else None
    if leaders_account is not None:
        borrowed = leaders_account.language
    else:
        borrowed = (leader.language if leader else "") or settings.LANGUAGE_CODE
    readers = []
    for member in with_address:
        account = accounts.get(member.email.lower())
        if account is not None:
            readers.append(Reader(member, member.email, account.language, account.time_zone))
        else:
            readers.append(Reader(member, member.email, member.language or borrowed, None))
    return readers


def _fingerprint(delegation: Delegation, items: list[DelegationProgrammeItem]) -> list:
    # What the e-mail tells of the visit's times and programme, in every language.
    return [
        delegation.time_zone,
        utc_iso(delegation.arrives_at),
        utc_iso(delegation.departs_at),
        [
            [
                item.pk,
                utc_iso(item.starts_at),
                utc_iso(item.ends_at),
                item.title_ko,
                item.title_zh,
                item.title_en,
                item.place_ko,
                item.place_zh,
                item.place_en,
                item.host_id,
                item.notes,
            ]
            for item in items
        ],
    ]


def programme_version(delegation: Delegation, items: list[DelegationProgrammeItem]) -> str:
    """Return the version of the programme: a hash of its items (times, titles, places, hosts,
    notes), the arrival, the departure and the zone they are written in. The same programme
    is the same version, whatever else of the delegation was saved in between."""
    text = json.dumps(_fingerprint(delegation, items), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def dedupe_key(member: DelegationMember, version: str, email: str) -> str:
    """Return "delegation_programme:<member>:<version>": one e-mail per member and version.

    The version a member receives is the programme's and the address it goes to: an address
    corrected after a send (a typo that bounced) gets the programme, a second click does not.
    """
    per_address = hashlib.sha256(f"{version}:{email.strip().lower()}".encode()).hexdigest()
    return f"{KIND}:{member.pk}:{per_address[:16]}"


def member_of_key(key: str) -> int | None:
    """Return the member id a programme e-mail's dedupe key names."""
    kind, _sep, rest = key.partition(":")
    member = rest.partition(":")[0]
    return int(member) if kind == KIND and member.isdigit() else None


@dataclass(frozen=True)
class Planned:
    reader: Reader
    dedupe_key: str
    had_it: bool  # this version went to this address already
    changed: bool  # another version went to this member before


@dataclass(frozen=True)
class Plan:
    items: list[DelegationProgrammeItem]
    version: str
    readers: list[Planned]
    without_address: list[DelegationMember]


def programme_plan(delegation: Delegation) -> Plan:
    """Return what sending `delegation`'s programme now would do: the version, and for each
    member with an address whether they have it already (the send page shows it, the
    service does it)."""
    items = list(delegation.programme.select_related("host").order_by("starts_at", "pk"))
    members = list(delegation.members.all())
    version = programme_version(delegation, items)
    sent_keys, versions_sent = set(), {}
    earlier = OutboxMessage.objects.filter(
        kind=KIND, payload__delegation_id=delegation.pk
    ).values_list("dedupe_key", "payload__version")
    for key, sent_version in earlier:
        sent_keys.add(key)
        versions_sent.setdefault(member_of_key(key), set()).add(sent_version)
    planned = []
    for reader in readers_of(members):
        key = dedupe_key(reader.member, version, reader.email)
        changed = bool(versions_sent.get(reader.member.pk, set()) - {version})
        planned.append(Planned(reader, key, key in sent_keys, changed))
    return Plan(items, version, planned, [member for member in members if not member.email])


def payload_for(
    delegation: Delegation,
    items: list[DelegationProgrammeItem],
    reader: Reader,
    *,
    version: str,
    changed: bool,
) -> dict:
    """Return the e-mail's payload for `reader`, its texts in their language.

    `changed`: the member was sent another version of the programme before.
    """
    zone = delegation.time_zone

    def when(start, end):
        return times.when(start, end, event_zone=zone, viewer_zone=reader.zone)

    with translation.override(reader.language):
        host = delegation.host_organisation
        coordinator = delegation.coordinator
        return {
            "name": reader.member.name,
            "delegation": delegation.name,
            "delegation_id": delegation.pk,
            "version": version,
            "visit": when(delegation.arrives_at, delegation.departs_at),
            "zone_name": zone_words(zone),
            "time_zone": zone,
            "host": host.name if host else "",
            "coordinator": _contact(coordinator),
            "changed": changed,
            "items": [
                {
                    "uid": ics.uid_for("delegation-item", item.pk),
                    "when": when(item.starts_at, item.ends_at),
                    "starts_at": utc_iso(item.starts_at),
                    "ends_at": utc_iso(item.ends_at),
                    "title": item.title,
                    "place": item.place,
                    "host": item.host.name if item.host else "",
                    "notes": item.notes,
                }
                for item in items
            ],
        }


def _contact(coordinator) -> str:
    if coordinator is None:
        return ""
    if coordinator.full_name:
        return f"{coordinator.full_name} ({coordinator.email})"
    return coordinator.email


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def programme_extras(payload: dict) -> Rendered:
    """The programme as a calendar file, made at delivery from what the e-mail says (the
    outbox keeps no file): each item in the delegation's zone."""
    items = [
        ics.CalendarItem(
            uid=item["uid"],
            summary=item["title"],
            start=_moment(item["starts_at"]),
            end=_moment(item["ends_at"]),
            tz=payload["time_zone"],
            location=item["place"],
            description=item["notes"],
        )
        for item in payload["items"]
    ]
    calendar = ics.calendar_for(items, name=payload["delegation"])
    return Rendered(attachments=[Attachment(CALENDAR_FILENAME, calendar, ics.CONTENT_TYPE)])
