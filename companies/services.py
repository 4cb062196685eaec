"""Every write of a company, its members, evidence, documents and leads, each in one transaction."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from companies import policies, selectors, validators
from companies.exchange import services as exchange_services
from companies.models import (
    Company,
    Document,
    Invitation,
    Lead,
    MarketValidation,
    Membership,
    PartnerOrganisation,
    PartnerPerson,
    Patent,
)
from incubator import times, uploads
from incubator.audit import audit_record, changed
from incubator.models import OutboxMessage
from incubator.multilingual import localized
from incubator.roles import can_delete_row, can_save_row
from incubator.rows import row_delete, row_save
from incubator.services import outbox_enqueue, outbox_give_up


def users_notify(users, *, kind: str, dedupe_key: str, payload: dict, in_language=None) -> int:
    """Write one outbox message per user (each once), in their own language; return how many.

    `dedupe_key` names the occurrence; each user's key adds their id. `in_language(code)`
    gives what the payload says in the recipient's language (a company's name, a call's
    title), merged over `payload`: a Chinese reader is not sent the Korean name.
    """
    users = list({user.pk: user for user in users}.values())
    for user in users:
        words = in_language(user.language) if in_language else {}
        outbox_enqueue(
            recipient=user.email,
            kind=kind,
            dedupe_key=f"{dedupe_key}:{user.pk}",
            payload={**payload, **words, "name": user.get_full_name()},
            language=user.language,
        )
    return len(users)


def members_notify(
    *, company_id: int, kind: str, dedupe_key: str, payload: dict, in_language=None
) -> int:
    """`users_notify` to every member of a company; return how many (a company the center
    keeps may have no portal account at all)."""
    return users_notify(
        selectors.company_members(company_id),
        kind=kind,
        dedupe_key=dedupe_key,
        payload=payload,
        in_language=in_language,
    )


# --- Companies and members ----------------------------------------------------


def company_create(*, owner, **fields) -> Company:
    """Create the owner's company; a lead with the owner's e-mail becomes converted."""
    if hasattr(owner, "membership"):
        raise ValidationError(_("You belong to a company already."))
    if not policies.can_create_company(owner):
        raise PermissionDenied(_("Partners and judges do not register a startup company."))
    company = Company(**fields)
    company.full_clean()
    with transaction.atomic():
        company.save()
        Membership.objects.create(user=owner, company=company, role=Membership.Role.OWNER)
        converted = Lead.objects.filter(
            contact_email__iexact=owner.email, company__isnull=True
        ).update(company=company, status=Lead.Status.CONVERTED)
        audit_record(
            actor=owner,
            verb="company.create",
            obj=company,
            company=company,
            changes={"brn": company.brn, "leads_converted": converted},
        )
    return company


def company_add(*, company: Company, actor) -> Company:
    """Register a company from the staff side (it has no portal owner yet)."""
    if not can_save_row(actor, company, created=True):
        raise PermissionDenied
    company.full_clean()
    with transaction.atomic():
        company.save()
        audit_record(
            actor=actor,
            verb="company.create",
            obj=company,
            company=company,
            changes={"brn": company.brn},
        )
    return company


def company_update(*, company: Company, actor=None, **fields) -> Company:
    """Change a company's profile; the audit record says what moved (nothing moved, no record).

    The values before are read from the database: the admin's form has already set the
    new ones on `company`.
    """
    if not policies.can_update_company(actor, company):
        raise PermissionDenied
    stored = Company.objects.get(pk=company.pk)
    before = {name: getattr(stored, name) for name in fields}
    for name, value in fields.items():
        setattr(company, name, value)
    changes = changed(company, fields, before)
    if not changes:
        return company
    company.full_clean()
    with transaction.atomic():
        company.save(update_fields=list(changes))
        audit_record(
            actor=actor, verb="company.update", obj=company, company=company, changes=changes
        )
        exchange_services.listings_publish_on_consent(company=company, changes=changes)
    return company


@dataclass(frozen=True)
class Invited:
    """An invitation and what inviting did (`outcome`): SENT, SENT_AGAIN, or nothing sent
    (PENDING, ALREADY_SENT_TODAY)."""

    invitation: Invitation
    outcome: str

    SENT = "sent"  # a new invitation
    SENT_AGAIN = "sent_again"  # the pending one, its link unchanged, valid afresh
    PENDING = "pending"  # the address's invitation is pending and valid: nothing sent
    ALREADY_SENT_TODAY = "already_sent_today"  # sent again today already: nothing sent

    @property
    def sent(self) -> bool:
        return self.outcome in (self.SENT, self.SENT_AGAIN)


def member_invite(*, company: Company, email: str, invited_by, resend: bool = False) -> Invited:
    """Invite a colleague by e-mail; only the company's owner invites. Say what was done.

    Addresses are compared whatever their case: an address with an invitation of the
    company still pending never gets a second one. That one is sent again (its link
    unchanged, its period of validity started afresh) when the owner asks to `resend` it,
    or when it has expired; at most once a day. Otherwise nothing is sent: inviting twice
    (a double submit) is one e-mail. An address that could never accept is refused now,
    by the rule the acceptance applies (policies.joining_obstacle): the owner learns that
    it belongs to another company, or to staff, a partner or a judge, never which.
    """
    if not policies.can_invite(invited_by, company):
        raise PermissionDenied(_("Only the company's owner invites colleagues."))
    if email.lower() == invited_by.email.lower():
        raise ValidationError({"email": _("You cannot invite yourself.")})
    with transaction.atomic():
        # One invitation per address and company: two invites of the same address at once
        # queue here, and the second finds the first.
        Company.objects.select_for_update().filter(pk=company.pk).first()
        if company.memberships.filter(user__email__iexact=email).exists():
            raise ValidationError(
                {"email": _("%(email)s is a member of the company already.") % {"email": email}}
            )
        _check_can_join(email)
        invitation = (
            company.invitations.select_for_update()
            .filter(email__iexact=email, accepted_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if invitation is None:
            invitation = Invitation.objects.create(
                company=company, email=email, invited_by=invited_by
            )
            outcome, verb, dedupe_key = Invited.SENT, "member.invite", f"invitation:{invitation.pk}"
        else:
            if not (resend or invitation.is_expired()):
                return Invited(invitation, Invited.PENDING)
            # Sent again at most once a day, like a lead's invitation.
            dedupe_key = f"invitation:{invitation.pk}:{timezone.localdate():%Y-%m-%d}"
            if OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
                return Invited(invitation, Invited.ALREADY_SENT_TODAY)
            invitation.invited_by = invited_by
            invitation.created_at = timezone.now()
            invitation.save(update_fields=["invited_by", "created_at"])
            outcome, verb = Invited.SENT_AGAIN, "member.reinvite"
        audit_record(
            actor=invited_by,
            verb=verb,
            obj=invitation,
            company=company,
            changes={"email": invitation.email},
        )
        # The e-mail speaks the inviter's language (the addressee's is unknown); its end of
        # validity in the inviter's zone, then in the other zone of the portal.
        with translation.override(invited_by.language):
            valid_until = times.when(invitation.expires_at, None, event_zone=invited_by.time_zone)
        outbox_enqueue(
            recipient=invitation.email,
            kind="member_invitation",
            dedupe_key=dedupe_key,
            # The link holds the invitation's token: companies.links makes it
            # when the message is rendered, never stored in the outbox.
            payload={
                "company": company.name_ko,
                "inviter": invited_by.get_full_name(),
                "invitation_id": invitation.pk,
                "valid_until": valid_until,
            },
            language=invited_by.language,
        )
    return Invited(invitation, outcome)


def _check_can_join(email: str) -> None:
    """Refuse inviting an address whose account could not accept (joining_obstacle)."""
    user = (
        get_user_model()
        ._default_manager.filter(email__iexact=email)
        .select_related("membership", "partner_person")
        .first()
    )
    obstacle = policies.joining_obstacle(user) if user is not None else None
    if obstacle == policies.MEMBER_ELSEWHERE:
        raise ValidationError(
            {
                "email": _(
                    "%(email)s belongs to another company in the portal already, and a person "
                    "is a member of one company at most. They can leave that company from "
                    "its page; then invite them again."
                )
                % {"email": email}
            }
        )
    if obstacle == policies.OTHER_PORTAL:
        raise ValidationError(
            {
                "email": _(
                    "%(email)s is the address of the center's staff, a partner's person or a "
                    "judge, who cannot be members of a company."
                )
                % {"email": email}
            }
        )


def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Make the invitation's addressee a member, and tell the company's owners; their other
    pending invitations of the same company (the same address in another case, sent before
    invitations were one per address) close with it."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
        if invitation is None:  # revoked, or closed by another acceptance, a moment ago
            raise ValidationError(_("This invitation is no longer valid."))
        refusal = policies.invitation_refusal(user, invitation)
        if refusal:
            raise ValidationError(refusal)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        membership = Membership.objects.create(user=user, company=invitation.company)
        others = Invitation.objects.filter(
            company=invitation.company_id, email__iexact=invitation.email, accepted_at__isnull=True
        )
        closed = sorted(others.values_list("pk", flat=True))
        _invitation_messages_stop(closed, reason="Another invitation to the address was accepted.")
        others.delete()
        audit_record(
            actor=user,
            verb="member.accept",
            obj=membership,
            company=invitation.company_id,
            changes={"invitation": invitation.pk, "closed": closed},
        )
        _owners_notify(
            invitation.company,
            kind="member_joined",
            dedupe_key=f"member-joined:{membership.pk}",
            member=user,
        )
        return membership


def _owners_notify(company: Company, *, kind: str, dedupe_key: str, member) -> int:
    """Tell the company's owners (each in their language) what `member` did."""
    owners = [
        m.user
        for m in company.memberships.filter(role=Membership.Role.OWNER, user__is_active=True)
        .exclude(user=member)
        .select_related("user")
    ]
    return users_notify(
        owners,
        kind=kind,
        dedupe_key=dedupe_key,
        payload={
            "member": member.get_full_name(),
            "member_email": member.email,
            # The company's page (programs' URL, looked up by name: no import of programs).
            "path": reverse("programs:dashboard"),
        },
        in_language=lambda language: {"company": localized(company, "name", language)},
    )


def member_remove(*, membership: Membership, actor) -> None:
    """Take a colleague out of the company, from its owner's page.

    They keep their account, lose the company's applications, documents and journey at
    once, and are told by e-mail. Never the owner themselves (they leave), so never the
    last owner.
    """
    if not policies.can_remove_member(actor, membership):
        raise PermissionDenied(_("Only the company's owner removes a colleague."))
    with transaction.atomic():
        # Two owners removing each other at once: the second finds itself removed.
        Company.objects.select_for_update().filter(pk=membership.company_id).first()
        if not Membership.objects.filter(
            user=actor, company=membership.company_id, role=Membership.Role.OWNER
        ).exists():
            raise PermissionDenied(_("Only the company's owner removes a colleague."))
        membership = (
            Membership.objects.select_related("user", "company").filter(pk=membership.pk).first()
        )
        if membership is None:  # removed, or left, a moment ago
            raise ValidationError(_("This person is no longer a member of the company."))
        person, company, pk = membership.user, membership.company, membership.pk
        audit_record(
            actor=actor,
            verb="member.remove",
            obj=membership,
            company=company,
            changes={"user": person.pk, "role": membership.role},
        )
        membership.delete()
        if person.is_active:
            users_notify(
                [person],
                kind="member_removed",
                dedupe_key=f"member-removed:{pk}",
                payload={"by": actor.get_full_name(), "path": reverse("portal:home")},
                in_language=lambda language: {"company": localized(company, "name", language)},
            )


def member_leave(*, membership: Membership, actor) -> None:
    """Leave one's own company; its owners are told. Its last owner stays (the center makes
    a colleague the owner first)."""
    if membership.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        # Two owners leaving at once: the second is the last one, and stays.
        Company.objects.select_for_update().filter(pk=membership.company_id).first()
        membership = Membership.objects.select_related("company").filter(pk=membership.pk).first()
        if membership is None:
            raise ValidationError(_("You are no longer a member of the company."))
        company, pk = membership.company, membership.pk
        if not policies.can_leave_company(actor, membership):
            raise ValidationError(
                _(
                    "You are the only owner of %(company)s, so you cannot leave it. Ask the "
                    "center to make a colleague the owner first."
                )
                % {"company": company.name}
            )
        audit_record(
            actor=actor,
            verb="member.leave",
            obj=membership,
            company=company,
            changes={"role": membership.role},
        )
        membership.delete()
        _owners_notify(company, kind="member_left", dedupe_key=f"member-left:{pk}", member=actor)


def invitation_revoke(*, invitation: Invitation, actor) -> None:
    """Take back a pending invitation: its link then opens nothing, its e-mail if still
    unsent stays unsent."""
    if not policies.can_revoke_invitation(actor, invitation):
        raise PermissionDenied(_("Only the company's owner invites colleagues."))
    with transaction.atomic():
        pk = invitation.pk
        invitation = Invitation.objects.select_for_update().filter(pk=pk).first()
        if invitation is None:  # revoked, or closed by an acceptance, a moment ago
            raise ValidationError(_("This invitation is no longer valid."))
        if invitation.accepted_at:
            raise ValidationError(_("This invitation was used already."))
        audit_record(
            actor=actor,
            verb="invitation.revoke",
            obj=invitation,
            company=invitation.company_id,
            changes={"email": invitation.email},
        )
        _invitation_messages_stop([pk], reason="The invitation was revoked.")
        invitation.delete()


def _invitation_messages_stop(invitation_ids, *, reason: str) -> None:
    # A message not yet sent would fail at delivery: its link has no invitation to sign.
    outbox_give_up(
        kind="member_invitation", about="invitation_id", ids=invitation_ids, reason=reason
    )


def membership_save(*, membership: Membership, actor) -> Membership:
    """Add a person to a company, or change their role, from the staff side.

    A staff account, a partner's person or a judge has a portal of their own and belongs
    to no company; a person belongs to one company at most (the model's validation).
    """
    if not can_save_row(actor, membership, created=membership._state.adding):
        raise PermissionDenied
    user = membership.user
    if user.is_staff or policies.has_other_portal_role(user):
        raise ValidationError(
            {"user": _("Staff, partners' people and judges cannot be members of a company.")}
        )
    return row_save(membership, actor=actor, verb="member", company=membership.company_id)


def membership_delete(*, membership: Membership, actor) -> None:
    """Take a person out of a company from the staff side: they keep their account."""
    if not can_delete_row(actor, membership):
        raise PermissionDenied
    row_delete(membership, actor=actor, verb="member", company=membership.company_id)


def company_delete(*, company: Company, actor) -> None:
    """Delete a company with its members, evidence, documents, applications and
    registrations; one enrolled, with a local entity, a fund application or a competition
    entry stays on record (the database refuses, and the refusal says what it still has)."""
    if not can_delete_row(actor, company):
        raise PermissionDenied
    row_delete(company, actor=actor, verb="company", company=company.pk)


# --- Evidence -------------------------------------------------------------------


def evidence_save(*, instance, actor=None):
    """Validate and save a patent, funding round, market validation or certification."""
    if not policies.can_update_company(actor, instance.company_id):
        raise PermissionDenied
    if isinstance(instance, Patent):
        instance.number = validators.normalize_patent_number(
            instance.jurisdiction, instance.number_kind, instance.number
        )
        if instance.status == "registered" and not instance.registered_on:
            raise ValidationError(
                {"registered_on": _("A registered patent needs its registration date.")}
            )
    _check_money(instance)
    instance.full_clean()
    created = instance.pk is None
    with transaction.atomic():
        instance.save()
        audit_record(
            actor=actor,
            verb=f"{instance._meta.model_name}.{'add' if created else 'change'}",
            obj=instance,
            company=instance.company_id,
        )
    return instance


def _check_money(instance) -> None:
    """KRW has no decimals, CNY and USD two: the rule holds in the admin as in the portal."""
    amount, currency = getattr(instance, "amount", None), getattr(instance, "currency", "")
    if amount is None or not currency:
        return
    try:
        validators.validate_money(
            amount, currency, allow_zero=isinstance(instance, MarketValidation)
        )
    except ValidationError as error:
        raise ValidationError({"amount": error.messages}) from None


def evidence_delete(*, instance, actor=None) -> None:
    """Delete an evidence row; a document's private file goes once the delete commits."""
    if not policies.can_update_company(actor, instance.company_id):
        raise PermissionDenied
    stored = instance.file if isinstance(instance, Document) else None
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=f"{instance._meta.model_name}.delete",
            obj=instance,
            company=instance.company_id,
        )
        instance.delete()
        if stored:
            storage, name = stored.storage, stored.name
            transaction.on_commit(lambda: storage.delete(name))


def document_upload(
    *, company: Company, uploaded_file, kind: str, user, max_bytes: int
) -> Document:
    """Store an upload under a generated name after checking its size and content."""
    if not policies.can_update_company(user, company):
        raise PermissionDenied
    uploaded_file, original_name, content_type = uploads.checked_upload(uploaded_file, max_bytes)
    document = Document(
        company=company,
        kind=kind,
        original_name=original_name,
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=user,
    )
    document.file.save(uploaded_file.name, uploaded_file, save=False)
    try:
        with transaction.atomic():
            document.save()
            audit_record(
                actor=user,
                verb="document.upload",
                obj=document,
                company=company,
                changes={"kind": kind, "size": document.size},
            )
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def lead_save(*, lead: Lead, actor, changed_fields=()) -> Lead:
    """Create or change a lead from the staff side, with its audit record."""
    created = lead.pk is None
    if not can_save_row(actor, lead, created=created):
        raise PermissionDenied
    lead.full_clean()
    with transaction.atomic():
        lead.save()
        audit_record(
            actor=actor,
            verb="lead.create" if created else "lead.change",
            obj=lead,
            company=lead.company_id,
            changes={"fields": sorted(changed_fields), "status": lead.status},
        )
    return lead


def lead_invite(*, lead: Lead, actor, sign_up_url: str) -> Lead:
    """Invite a lead to apply; the account created with that e-mail converts it."""
    if not can_save_row(actor, lead, created=False):
        raise PermissionDenied
    if not lead.contact_email:
        raise ValidationError(_("The lead has no contact e-mail."))
    if not lead.can_invite():
        raise ValidationError(
            _("A lead that is %(status)s cannot be invited.")
            % {"status": lead.get_status_display()}
        )
    with transaction.atomic():
        previous = lead.status
        lead.status = Lead.Status.INVITED
        lead.save(update_fields=["status"])
        audit_record(
            actor=actor,
            verb="lead.invite",
            obj=lead,
            company=lead.company_id,
            changes={"status": [previous, lead.status]},
        )
        outbox_enqueue(
            recipient=lead.contact_email,
            kind="lead_invitation",
            # Staff may invite again another day; twice the same day is one e-mail.
            dedupe_key=f"lead-invitation:{lead.pk}:{timezone.localdate():%Y-%m-%d}",
            payload={"name": lead.contact_name, "company": lead.company_name, "url": sign_up_url},
            language="ko",
        )
    return lead


def partner_save(
    *, instance: PartnerOrganisation | PartnerPerson, actor, changed_fields=()
) -> PartnerOrganisation | PartnerPerson:
    """Create or change a partner organisation or one of its people, with its audit record.

    A partner's person is no staff account, company member or judge: the mirror of
    `membership_save`.
    """
    created = instance.pk is None
    if not can_save_row(actor, instance, created=created):
        raise PermissionDenied
    if isinstance(instance, PartnerPerson) and instance.user_id is not None:
        user = instance.user
        if user.is_staff or policies.has_other_portal_role(user, than="partner"):
            raise ValidationError(
                {"user": _("Staff, companies' members and judges cannot be partners' people.")}
            )
    instance.full_clean()
    with transaction.atomic():
        instance.save()
        audit_record(
            actor=actor,
            verb=f"{instance._meta.model_name}.{'create' if created else 'change'}",
            obj=instance,
            changes={"fields": sorted(changed_fields)},
        )
    return instance


def partner_delete(*, instance: PartnerOrganisation | PartnerPerson, actor) -> None:
    """Delete a partner organisation or one of its people; the database refuses while rows
    (people, keys, registrations, meetings) still point at it."""
    if not can_delete_row(actor, instance):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(actor=actor, verb=f"{instance._meta.model_name}.delete", obj=instance)
        instance.delete()
