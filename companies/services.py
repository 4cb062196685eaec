"""Every write of a company, its evidence, documents, leads and partners, each in one
transaction (its members and invitations: `member_services`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies import policies, selectors, validators
from companies.exchange import services as exchange_services
from companies.models import (
    Company,
    Document,
    Lead,
    MarketValidation,
    Membership,
    PartnerOrganisation,
    PartnerPerson,
    Patent,
)
from incubator import uploads
from incubator.audit import audit_record, changed
from incubator.roles import can_delete_row, can_save_row
from incubator.rows import row_delete
from incubator.services import outbox_enqueue


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


# --- Companies ----------------------------------------------------------------


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
    try:
        with transaction.atomic():
            instance.save()
            audit_record(
                actor=actor,
                verb=f"{instance._meta.model_name}.{'add' if created else 'change'}",
                obj=instance,
                company=instance.company_id,
            )
    except IntegrityError:
        # A double tap: the other request's row was saved after this one's check. Its
        # constraint's own words, instead of a server error.
        instance.validate_constraints()
        raise
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
