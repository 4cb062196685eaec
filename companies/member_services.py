"""A company's people: invitations sent, accepted and revoked, members removed or leaving,
staff's edits of memberships; each in one transaction with its audit record."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from companies import policies
from companies.models import Company, Invitation, Membership
from companies.services import users_notify
from incubator import times
from incubator.audit import audit_record
from incubator.models import OutboxMessage
from incubator.multilingual import localized
from incubator.roles import can_delete_row, can_save_row
from incubator.rows import row_delete, row_save
from incubator.services import outbox_enqueue, outbox_give_up


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
    (a double submit) is one e-mail. An address that could not accept now (a member of
    another company; staff, a partner's person or a judge: policies.joining_obstacle) is
    invited like any other, and its e-mail says why and what to do: the owner's answer
    must not tell who has an account, or belongs to a rival company.
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
                "obstacle": _joining_obstacle(invitation.email),
            },
            language=invited_by.language,
        )
    return Invited(invitation, outcome)


def _joining_obstacle(email: str) -> str | None:
    """What keeps the account of an address from accepting (policies.joining_obstacle), for
    its e-mail to say; None without an account, or when nothing does."""
    user = (
        get_user_model()
        ._default_manager.filter(email__iexact=email)
        .select_related("membership", "partner_person")
        .first()
    )
    return policies.joining_obstacle(user) if user is not None else None


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
