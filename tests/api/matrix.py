"""The partner API's authorization matrix: every operation under seven kinds of caller.

tests/api/matrix.txt holds, per operation (method and path of the schema), its scope and
the exact status for: no key, a malformed key, a revoked key, an expired key, a key of the
same organisation without the operation's scope, a key of partner B on partner A's objects,
and a valid key of partner A. An operation of the schema without its line fails the suite.
"""

import dataclasses
import datetime as dt
import re
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from companies.apikeys.models import PartnerAPIKey, Scope
from incubator.api.permissions import holds_scope
from incubator.api.schema import PublicSchemaGenerator
from tests.api.keys import client_with, key_for

TABLE = Path(__file__).with_name("matrix.txt")
CALLERS = ("no_key", "malformed", "revoked", "expired", "no_scope", "partner_b", "valid")


@dataclasses.dataclass(frozen=True)
class Line:
    method: str
    path: str
    scope: str
    statuses: dict


def operations() -> list[tuple[str, str]]:
    """Return (METHOD, path) of every operation the schema describes."""
    schema = PublicSchemaGenerator().get_schema(public=True)
    return sorted(
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    )


def read_table() -> dict[tuple[str, str], Line]:
    lines = {}
    for raw in TABLE.read_text().splitlines():
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        method, path, scope, *statuses = text.split()
        assert len(statuses) == len(CALLERS), f"{raw!r}: one status per caller {CALLERS}"
        lines[(method, path)] = Line(
            method, path, scope, dict(zip(CALLERS, map(int, statuses), strict=True))
        )
    return lines


class _Rollback(Exception):
    def __init__(self, response):
        self.response = response


def _call(client, method: str, url: str, body: dict | None) -> int:
    """Make the call in a savepoint rolled back after: each cell starts from the same world."""
    try:
        with transaction.atomic():
            response = client.generic(method, url, *(_json(body) if body is not None else ()))
            raise _Rollback(response)
    except _Rollback as done:
        return done.response.status_code


def _json(body: dict) -> tuple:
    import json

    return (json.dumps(body), "application/json")


@dataclasses.dataclass
class Keys:
    valid: str
    revoked: str
    expired: str
    partner_b: str
    organisation: object

    def without(self, scope: str) -> str:
        """A key of every scope but those that give `scope` (`x:write` gives `x:read`)."""
        others = [s for s in Scope.values if not holds_scope({s}, scope)]
        return key_for(self.organisation, scopes=others)[1]


def make_keys(organisation, organisation_b) -> Keys:
    valid = key_for(organisation)[1]
    revoked_row, revoked = key_for(organisation)
    PartnerAPIKey.objects.filter(pk=revoked_row.pk).update(revoked=True)
    expired_row, expired = key_for(organisation, expiry_date=timezone.now() + dt.timedelta(days=1))
    PartnerAPIKey.objects.filter(pk=expired_row.pk).update(
        expiry_date=timezone.now() - dt.timedelta(days=1)
    )
    partner_b = key_for(organisation_b)[1]
    return Keys(valid, revoked, expired, partner_b, organisation)


def url_of(path: str, ids: dict) -> str:
    """Fill the path's {parameters} with the ids of partner A's objects."""

    def fill(match):
        name = match.group(1)
        try:
            return str(ids[(path, name)] if (path, name) in ids else ids[name])
        except KeyError:
            raise AssertionError(f"{path}: give tests/api/test_matrix.py an id for {{{name}}}")

    return re.sub(r"\{(\w+)\}", fill, path)


def observe(line: Line, keys: Keys, ids: dict, bodies: dict) -> dict[str, int]:
    url = url_of(line.path, ids)
    body = bodies.get((line.method, line.path))
    if isinstance(body, str):  # a GET's query string
        url, body = url + body, None
    if body is None and line.method in {"POST", "PUT", "PATCH"}:
        body = {}
    if callable(body):
        body = body()
    callers = {
        "no_key": client_with(None),
        "malformed": client_with("not a key"),
        "revoked": client_with(keys.revoked),
        "expired": client_with(keys.expired),
        "no_scope": client_with(keys.without(line.scope)),
        "partner_b": client_with(keys.partner_b),
        "valid": client_with(keys.valid),
    }
    return {name: _call(client, line.method, url, body) for name, client in callers.items()}
