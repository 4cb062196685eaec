"""The audit trail: one record per state change, written by the service that made it."""

import datetime as dt
import decimal
import re
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation

from incubator.models import AuditRecord, User
from incubator.roles import staff_with

SECRET_LOOKING = re.compile(r"token|secret|password|key|url|link", re.IGNORECASE)
MASK = "••••"


def redacted(value):
    """Return `value` with every entry whose key looks like a secret masked."""
    if isinstance(value, dict):
        return {
            key: MASK if SECRET_LOOKING.search(str(key)) else redacted(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redacted(item) for item in value]
    return value


def _plain(value):
    """Return `value` as JSON can hold it (dates, money and model rows included)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# The companies app names its companies for the trail (the core imports no app):
# `names(ids)` -> {id: name in the active language}.
_company_names = None


def register_company_names(names) -> None:
    global _company_names
    _company_names = names


def company_names(ids) -> dict[int, str]:
    """Return the names of the companies `ids` in the active language ({} if none named)."""
    ids = {pk for pk in ids if pk is not None}
    return _company_names(ids) if ids and _company_names is not None else {}


# The companies app names the model of its companies (the core imports no app): a
# company's History is every record that concerns it (`AuditRecord.company_id`: its
# applications, enrollment, documents...), not only the few written on its own row.
_company_model = None


def register_company_model(model) -> None:
    global _company_model
    _company_model = model


def trail_query(obj) -> dict[str, str]:
    """Return the audit trail's filter that is `obj`'s History."""
    if _company_model is not None and isinstance(obj, _company_model):
        return {"company_id": str(obj.pk)}
    return {
        "object_type__id__exact": str(ContentType.objects.get_for_model(obj).pk),
        "object_id": str(obj.pk),
    }


def trail_url(obj) -> str:
    """Return the address of `obj`'s part of the audit trail (its History)."""
    from django.urls import reverse

    return f"{reverse('admin:incubator_auditrecord_changelist')}?{urlencode(trail_query(obj))}"


def can_read_audit_trail(actor) -> bool:
    """Read who changed what: the staff whose role sees the trail (the center managers)."""
    return actor is not None and staff_with(actor, "incubator.view_auditrecord")


def actor_label(actor) -> str:
    if actor is None:
        return ""
    email = getattr(actor, "email", None)
    return email or str(actor)


def names_of(obj) -> dict[str, str]:
    """Return {language: str(obj) in it} for the portal's languages."""
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names[code] = str(obj)[:200]
    return names


def audit_record(*, actor, verb: str, obj=None, company=None, changes: dict | None = None):
    """Write one audit record in the caller's transaction.

    `verb` names the use case ("application.accept"); `company` is the company the
    change concerns (a Company row or its id); `changes` a small dict of what
    changed, e.g. {"status": ["submitted", "accepted"]}. Keys that look like a
    secret are masked: no token ever reaches the trail.
    """
    # The actor is a person, or (later) a partner's API key or a task: those keep a label.
    user = actor if isinstance(actor, User) and actor.pk else None
    company_id = getattr(company, "pk", company)
    names = names_of(obj) if obj is not None else {}
    return AuditRecord.objects.create(
        actor=user,
        actor_label=actor_label(actor)[:200],
        verb=verb,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        # The name in the request's language, already among the three.
        object_repr=names.get(translation.get_language())
        or (str(obj)[:200] if obj is not None else ""),
        object_names=names,
        company_id=company_id,
        company_repr=str(company)[:200] if hasattr(company, "pk") else "",
        changes=redacted(_plain(changes or {})),
    )


def changed(instance, fields, before: dict) -> dict:
    """Return {field: [before, after]} for the fields of `instance` whose value moved."""
    return {
        name: [before.get(name), getattr(instance, name)]
        for name in fields
        if before.get(name) != getattr(instance, name)
    }
