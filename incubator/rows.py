"""Save or delete one row that staff set up (a slot, a session, a round, a criterion...).

The rooms' services check their policy and take their locks, then call these: one
transaction, the model's validation, and the audit record of what the row held or what
moved. A row that others still point at (a slot holding meetings, a scored criterion)
is refused with a ValidationError that says so, not a database error.

Rows with no rule beyond their model's validation (a programme, a cohort, a milestone
template, a service target) are saved by `staff_row_save` and `staff_row_delete`: the
role's add, change or delete permission of the model is their policy.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from incubator.audit import audit_record
from incubator.roles import can_delete_row, can_save_row


def _fields(row: Model):
    # What staff set: not the key, not the times Django stamps (auto_now fields).
    return [f for f in row._meta.concrete_fields if f.editable and not f.primary_key]


def _held(row: Model) -> dict:
    return {
        field.name: getattr(row, field.attname)
        for field in _fields(row)
        if getattr(row, field.attname) not in (None, "")
    }


def row_save(row: Model, *, actor, verb: str, company=None) -> Model:
    """Validate and save `row`, new or changed; audit "<verb>.create" with what it holds, or
    "<verb>.update" with {field: [before, after]} (nothing when nothing moved)."""
    return row_save_recorded(row, actor=actor, verb=verb, company=company)[0]


def row_save_recorded(row: Model, *, actor, verb: str, company=None):
    """`row_save`, returning (row, the audit record it wrote or None): for a service whose
    e-mails name the change by its record."""
    with transaction.atomic():
        if row._state.adding:
            row.full_clean()
            row.save()
            record = audit_record(
                actor=actor, verb=f"{verb}.create", obj=row, company=company, changes=_held(row)
            )
            return row, record
        stored = type(row).objects.select_for_update().get(pk=row.pk)
        row.full_clean()
        changes = {
            field.name: [getattr(stored, field.attname), getattr(row, field.attname)]
            for field in _fields(row)
            if getattr(stored, field.attname) != getattr(row, field.attname)
        }
        if not changes:
            return row, None
        row.save()
        record = audit_record(
            actor=actor, verb=f"{verb}.update", obj=row, company=company, changes=changes
        )
    return row, record


def row_delete(row: Model, *, actor, verb: str, company=None, held: dict | None = None):
    """Delete `row` and what cascades from it; audit "<verb>.delete" with what it held
    (`held`, where a row holds what the trail must not: a message's payload, what a sign-in
    posted). Return the audit record."""
    with transaction.atomic():
        # Written first, while the row has its key; a refused delete rolls it back.
        record = audit_record(
            actor=actor,
            verb=f"{verb}.delete",
            obj=row,
            company=company,
            changes=_held(row) if held is None else held,
        )
        try:
            row.delete()
        except (ProtectedError, RestrictedError) as error:
            held = getattr(error, "protected_objects", None) or error.restricted_objects
            names = sorted({str(other._meta.verbose_name_plural) for other in held})
            raise ValidationError(
                _("It cannot be deleted: it still has %(what)s.") % {"what": ", ".join(names)},
                code="in_use",
            ) from None
    return record


def staff_row_save(row: Model, *, actor, verb: str) -> Model:
    """`row_save` of a row staff keep, for a role that may add (or change) its model."""
    if not can_save_row(actor, row, created=row._state.adding):
        raise PermissionDenied
    return row_save(row, actor=actor, verb=verb, company=getattr(row, "company_id", None))


def staff_row_delete(row: Model, *, actor, verb: str, held: dict | None = None) -> None:
    """`row_delete` of a row staff keep, for a role that may delete its model."""
    if not can_delete_row(actor, row):
        raise PermissionDenied
    row_delete(row, actor=actor, verb=verb, company=getattr(row, "company_id", None), held=held)
