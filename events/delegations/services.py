"""Every write of delegation visits: the delegation with its members and programme."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from events import policies
from events.models import Delegation
from incubator.audit import audit_record
from incubator.rows import row_delete


def delegation_save(*, delegation: Delegation, actor, fields=(), parts=()) -> Delegation:
    """Save a delegation (new, or its changed `fields`) and its members and programme.

    `parts` are the admin's validated formsets of members and programme items: they are
    saved here, in the delegation's transaction, and named in its one audit record.
    """
    if not policies.can_manage_event(actor):
        raise PermissionDenied
    created = delegation.pk is None
    with transaction.atomic():
        delegation.full_clean()
        delegation.save()
        changes = {name: getattr(delegation, name, None) for name in fields}
        if created:
            changes.update(
                name=delegation.name,
                arrives_at=delegation.arrives_at,
                departs_at=delegation.departs_at,
            )
        for formset in parts:
            formset.save()
            name = formset.model._meta.model_name
            if formset.new_objects or formset.changed_objects or formset.deleted_objects:
                changes[name] = {
                    "added": [obj.pk for obj in formset.new_objects],
                    "changed": [obj.pk for obj, _fields in formset.changed_objects],
                    "deleted": len(formset.deleted_objects),
                }
        if created or changes:
            audit_record(
                actor=actor,
                verb="delegation.create" if created else "delegation.update",
                obj=delegation,
                changes=changes,
            )
    return delegation


def delegation_delete(*, delegation: Delegation, actor) -> None:
    """Delete a delegation with its members and programme."""
    if not policies.can_manage_event(actor):
        raise PermissionDenied
    row_delete(delegation, actor=actor, verb="delegation")
