"""Every write of delegation visits: the delegation with its members and programme, and the
programme e-mailed to its members."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events import policies
from events.delegations import messages
from events.models import Delegation, DelegationMember
from incubator import times
from incubator.audit import audit_record
from incubator.rows import row_delete
from incubator.services import outbox_enqueue


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
            if formset.model is DelegationMember:
                _refuse_a_second_leader(delegation, formset)
            formset.save()
            name = formset.model._meta.model_name
            if formset.new_objects or formset.changed_objects or formset.deleted_objects:
                changes[name] = {
                    "added": [obj.pk for obj in formset.new_objects],
                    "changed": [obj.pk for obj, _fields in formset.changed_objects],
                    "deleted": len(formset.deleted_objects),
                }
        _refuse_items_outside_the_visit(delegation)
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


@dataclass(frozen=True)
class ProgrammeSent:
    """What `delegation_programme_send` did: the version sent, the members e-mailed now, and
    those who had that version already."""

    version: str
    sent: list[DelegationMember]
    had_it: list[DelegationMember]


def delegation_programme_send(*, delegation: Delegation, actor) -> ProgrammeSent:
    """E-mail the programme to each member with an address, in their language and zone.

    Once per version of the programme (`messages.programme_version`): sent again unchanged,
    nobody is written to again (a member added since is) and no audit record is written;
    after a change, everyone gets the new version, told that it changed.
    """
    if not policies.can_send_delegation_programme(actor, delegation):
        raise PermissionDenied
    with transaction.atomic():
        # Locked: two clicks at once are one send, each member's e-mail written once.
        delegation = (
            Delegation.objects.select_for_update(of=("self",))
            .select_related("event", "host_organisation", "coordinator")
            .get(pk=delegation.pk)
        )
        reason = policies.delegation_programme_unsendable_because(delegation)
        if reason is not None:
            raise ValidationError(reason, code="nothing_to_send")
        plan = messages.programme_plan(delegation)
        sent, had_it = [], []
        for planned in plan.readers:
            reader = planned.reader
            if planned.had_it:
                had_it.append(reader.member)
                continue
            outbox_enqueue(
                recipient=reader.email,
                kind=messages.KIND,
                dedupe_key=planned.dedupe_key,
                payload=messages.payload_for(
                    delegation,
                    plan.items,
                    reader,
                    version=plan.version,
                    changed=planned.changed,
                ),
                language=reader.language,
            )
            sent.append(reader.member)
        if sent:
            audit_record(
                actor=actor,
                verb="delegation.programme_send",
                obj=delegation,
                changes={
                    "version": plan.version,
                    "items": len(plan.items),
                    "sent_to": [member.pk for member in sent],
                    "had_it": [member.pk for member in had_it],
                },
            )
    return ProgrammeSent(version=plan.version, sent=sent, had_it=had_it)


def _refuse_a_second_leader(delegation: Delegation, formset) -> None:
    # The database's one-leader constraint would end the save in an IntegrityError (a 500):
    # count the leaders the rows will have, the kept ones and the typed ones.
    saved = formset.save(commit=False)
    touched = {row.pk for row in [*saved, *formset.deleted_objects] if row.pk}
    kept = (
        DelegationMember.objects.filter(delegation=delegation, role=DelegationMember.Role.LEADER)
        .exclude(pk__in=touched)
        .count()
        if delegation.pk
        else 0
    )
    typed = sum(row.role == DelegationMember.Role.LEADER for row in saved)
    if kept + typed > 1:
        raise ValidationError(
            _("A delegation has one leader: %(n)d members are marked as leader.")
            % {"n": kept + typed},
            code="two_leaders",
        )


def _refuse_items_outside_the_visit(delegation: Delegation) -> None:
    outside = delegation.programme.exclude(
        starts_at__gte=delegation.arrives_at, ends_at__lte=delegation.departs_at
    ).first()
    if outside is not None:
        zone = delegation.time_zone
        raise ValidationError(
            _(
                "“%(item)s” (%(when)s) is outside the visit: the programme falls between "
                "the arrival and the departure (%(visit)s)."
            )
            % {
                "item": outside.title,
                "when": times.span(outside.starts_at, outside.ends_at, zone),
                "visit": times.span(delegation.arrives_at, delegation.departs_at, zone),
            },
            code="outside_the_visit",
        )
