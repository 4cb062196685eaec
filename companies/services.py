"""Every write of the startup's journey and of screening, each in one transaction."""

import json
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies import policies, screening, selectors, validators
from companies.models import (
    Application,
    ApplicationEvent,
    Company,
    CriterionOverride,
    Document,
    Invitation,
    Lead,
    Membership,
    Patent,
    ScreeningPolicy,
)
from incubator import uploads
from incubator.services import outbox_enqueue


def members_notify(*, company_id: int, kind: str, dedupe_key: str, payload: dict) -> None:
    """Write one outbox message per member of a company, each in their own language.

    `dedupe_key` names the occurrence; each member's key adds their id.
    """
    for member in selectors.company_members(company_id):
        outbox_enqueue(
            recipient=member.email,
            kind=kind,
            dedupe_key=f"{dedupe_key}:{member.pk}",
            payload={**payload, "name": member.get_full_name()},
            language=member.language,
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
        Lead.objects.filter(contact_email__iexact=owner.email, company__isnull=True).update(
            company=company, status=Lead.Status.CONVERTED
        )
    return company


def company_update(*, company: Company, **fields) -> Company:
    for name, value in fields.items():
        setattr(company, name, value)
    company.full_clean()
    company.save(update_fields=list(fields))
    return company


def member_invite(*, company: Company, email: str, invited_by) -> Invitation:
    """Invite a colleague by e-mail."""
    with transaction.atomic():
        invitation = Invitation.objects.create(company=company, email=email, invited_by=invited_by)
        outbox_enqueue(
            recipient=email,
            kind="member_invitation",
            dedupe_key=f"invitation:{invitation.pk}",
            # The link holds the invitation's token: companies.links makes it
            # when the message is rendered, never stored in the outbox.
            payload={
                "company": company.name_ko,
                "inviter": invited_by.get_full_name(),
                "invitation_id": invitation.pk,
            },
            language=invited_by.language,
        )
    return invitation


def invitation_accept(*, invitation: Invitation, user) -> Membership:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at:
            raise ValidationError(_("This invitation was used already."))
        if hasattr(user, "membership"):
            raise ValidationError(_("You belong to a company already."))
        if invitation.email.lower() != user.email.lower():
            raise ValidationError(_("This invitation was sent to another e-mail address."))
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        return Membership.objects.create(user=user, company=invitation.company)


# --- Evidence -------------------------------------------------------------------


def evidence_save(*, instance):
    """Validate and save a patent, funding round, market validation or certification."""
    if isinstance(instance, Patent):
        instance.number = validators.normalize_patent_number(
            instance.jurisdiction, instance.number_kind, instance.number
        )
        if instance.status == "registered" and not instance.registered_on:
            raise ValidationError(
                {"registered_on": _("A registered patent needs its registration date.")}
            )
    instance.full_clean()
    instance.save()
    return instance


def evidence_delete(*, instance) -> None:
    """Delete an evidence row; a document's private file goes once the delete commits."""
    stored = instance.file if isinstance(instance, Document) else None
    with transaction.atomic():
        instance.delete()
        if stored:
            storage, name = stored.storage, stored.name
            transaction.on_commit(lambda: storage.delete(name))


def document_upload(
    *, company: Company, uploaded_file, kind: str, user, max_bytes: int
) -> Document:
    """Store an upload under a generated name after checking its size and content."""
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
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


# --- Applications ----------------------------------------------------------------


def application_start(*, company: Company, intake, user) -> Application:
    if not intake.is_open():
        raise ValidationError(_("This intake is not open for applications."))
    application, _created = Application.objects.get_or_create(
        company=company, intake=intake, defaults={"created_by": user}
    )
    return application


def application_save_step(*, application: Application, step: str, **fields) -> Application:
    if not application.is_editable:
        raise ValidationError(_("This application was submitted and can no longer be changed."))
    application.step = step
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=["step", *fields])
    return application


def application_submit(*, application: Application, user) -> Application:
    """Submit a draft: screen it against the policy in force and tell the company."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("intake__program", "company")
            .get(pk=application.pk)
        )
        if application.status != Application.Status.DRAFT:
            raise ValidationError(_("This application was submitted already."), code="submitted")
        now = timezone.now()
        if not application.intake.is_open(now):
            raise ValidationError(
                _("The intake closed on %(date)s; applications are no longer accepted.")
                % {"date": timezone.localtime(application.intake.closes_at).strftime("%Y-%m-%d")},
                code="closed",
            )
        application.status = Application.Status.SUBMITTED
        application.submitted_at = now
        # A program may name its own selection policy; else the version in force.
        application.policy = application.intake.program.screening_policy or (
            selectors.policy_in_force(at=now)
        )
        application.save(update_fields=["status", "submitted_at", "policy"])
        ApplicationEvent.objects.create(
            application=application,
            kind=ApplicationEvent.Kind.SUBMITTED,
            actor=user,
            from_status=Application.Status.DRAFT,
            to_status=Application.Status.SUBMITTED,
        )
        applications_screen(application_ids=[application.pk], actor=None)
        members_notify(
            company_id=application.company_id,
            kind="application_submitted",
            dedupe_key=f"application-submitted:{application.pk}",
            payload={
                "company": application.company.name_ko,
                "program": str(application.intake),
                "application_id": application.pk,
                "path": reverse("companies:application-detail", args=[application.pk]),
            },
        )
    application.refresh_from_db()
    return application


def screening_date(application: Application) -> date:
    # Screened as of the submission: a later re-screen gives the same answer.
    return timezone.localdate(application.submitted_at or timezone.now())


def _effective(result: dict, overrides: dict[str, str]) -> dict:
    """Apply staff overrides: an overridden criterion counts as met."""
    if not overrides:
        return result
    criteria = [
        {**c, "passed": True, "override": overrides[c["code"]]}
        if c["code"] in overrides and not c["passed"]
        else c
        for c in result["criteria"]
    ]
    required = [c for c in criteria if c["required"]]
    passed = sum(c["passed"] for c in required)
    before = sum(c["passed"] for c in result["criteria"] if c["required"])
    bonus = result["score"] - (90 * before / len(required) if required else 90)
    recommendation = (
        "meets_all" if passed == len(required) else ("meets_none" if passed == 0 else "meets_some")
    )
    score = (90 * passed / len(required) if required else 90) + bonus
    return {
        **result,
        "criteria": criteria,
        "recommendation": recommendation,
        "score": round(score, 1),
    }


def applications_screen(*, application_ids, actor) -> int:
    """Screen many submitted applications in a constant number of queries."""
    applications = list(
        Application.objects.filter(pk__in=application_ids)
        .exclude(status=Application.Status.DRAFT)
        .select_related("company")
        # Only what screening reads: the stored results are large and rewritten anyway.
        .only("id", "status", "submitted_at", "policy_id", "company__founded_on", "company__sector")
    )
    if not applications:
        return 0
    policies = ScreeningPolicy.objects.in_bulk({a.policy_id for a in applications if a.policy_id})
    facts = selectors.screening_facts({a.company_id for a in applications})
    overrides = selectors.overrides_by_application([a.pk for a in applications])
    default_policy = None
    now = timezone.now()
    rows, events = [], []
    for application in applications:
        policy = policies.get(application.policy_id)
        if policy is None:
            default_policy = default_policy or selectors.policy_in_force()
            policy = default_policy
        evidence = facts.get(application.company_id, {})
        result = screening.screen(
            policy.as_rules(),
            screening.CompanyFacts(
                founded_on=application.company.founded_on, sector=application.company.sector
            ),
            evidence.get("patents", []),
            evidence.get("fundings", []),
            evidence.get("markets", []),
            evidence.get("certifications", []),
            on=screening_date(application),
        ).to_dict()
        result = _effective(result, overrides.get(application.pk, {}))
        rows.append((application.pk, policy.pk, result))
        events.append(
            ApplicationEvent(
                application_id=application.pk,
                kind=ApplicationEvent.Kind.SCREENED,
                actor=actor,
                reason=f"policy v{policy.version}: {result['recommendation']} ({result['score']})",
            )
        )
    with transaction.atomic():
        _store_results(rows, now)
        ApplicationEvent.objects.bulk_create(events)
    return len(rows)


def _store_results(rows, now) -> None:
    """Write the screening results of many applications; one statement on PostgreSQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Application._meta.db_table} AS a SET policy_id = v.policy_id, "
                "screening = v.result, recommendation = v.recommendation, score = v.score, "
                "screened_at = %s "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::jsonb[], %s::text[], %s::numeric[]) "
                "AS v(id, policy_id, result, recommendation, score) WHERE a.id = v.id",
                [
                    now,
                    [pk for pk, _p, _r in rows],
                    [policy_id for _pk, policy_id, _r in rows],
                    [json.dumps(r) for _pk, _p, r in rows],
                    [r["recommendation"] for _pk, _p, r in rows],
                    [r["score"] for _pk, _p, r in rows],
                ],
            )
        return
    Application.objects.bulk_update(
        [
            Application(
                pk=pk,
                policy_id=policy_id,
                screening=result,
                recommendation=result["recommendation"],
                score=result["score"],
                screened_at=now,
            )
            for pk, policy_id, result in rows
        ],
        ["policy", "screening", "recommendation", "score", "screened_at"],
        batch_size=500,
    )


def application_decide(
    *, application: Application, decision: str, actor, reason: str
) -> Application:
    """Accept, reject or waitlist a submitted application, with a written reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write the reason for this decision.")})
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().select_related("company").get(pk=application.pk)
        )
        if decision not in Application.DECISIONS or not application.can_move_to(decision):
            raise ValidationError(
                _("An application that is %(status)s cannot be %(decision)s.")
                % {
                    "status": application.get_status_display(),
                    "decision": Application.Status(decision).label
                    if decision in Application.Status.values
                    else decision,
                }
            )
        previous = application.status
        application.status = decision
        application.decision_reason = reason
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        ApplicationEvent.objects.create(
            application=application,
            kind=ApplicationEvent.Kind.DECIDED,
            actor=actor,
            from_status=previous,
            to_status=decision,
            reason=reason,
        )
        members_notify(
            company_id=application.company_id,
            kind="application_decided",
            dedupe_key=f"application-decided:{application.pk}:{decision}",
            payload={
                "company": application.company.name_ko,
                "decision": decision,
                "reason": reason,
                "application_id": application.pk,
                "path": reverse("companies:application-detail", args=[application.pk]),
            },
        )
    return application


def criterion_override(*, application: Application, criterion: str, reason: str, actor):
    """Count a failed criterion as met, with a written reason, and screen again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("An override needs a written reason.")})
    if criterion not in screening.CRITERIA:
        raise ValidationError({"criterion": _("Unknown criterion.")})
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status == Application.Status.DRAFT or not application.screening:
            raise ValidationError(_("Only a screened application can have an override."))
        failed = {c["code"] for c in application.screening["criteria"] if not c["passed"]}
        if criterion not in failed:
            raise ValidationError(_("This criterion is not failed; there is nothing to override."))
        CriterionOverride.objects.create(
            application=application, criterion=criterion, reason=reason, actor=actor
        )
        ApplicationEvent.objects.create(
            application=application,
            kind=ApplicationEvent.Kind.OVERRIDDEN,
            actor=actor,
            criterion=criterion,
            reason=reason,
        )
        applications_screen(application_ids=[application.pk], actor=actor)
    application.refresh_from_db()
    return application


def policy_publish(*, actor, effective_from=None, **rules) -> ScreeningPolicy:
    """Publish a new version of the screening policy; earlier versions stay as they were."""
    with transaction.atomic():
        # The lock serialises two managers publishing at once.
        last = ScreeningPolicy.objects.select_for_update().order_by("-version").first()
        policy = ScreeningPolicy(
            version=(last.version + 1) if last else 1,
            effective_from=effective_from or timezone.now(),
            created_by=actor,
            **rules,
        )
        try:
            policy.as_rules()
        except ValueError as error:
            raise ValidationError(str(error)) from error
        policy.full_clean(exclude=["created_by"])
        policy.save()
    return policy


def lead_invite(*, lead: Lead, actor, sign_up_url: str) -> Lead:
    """Invite a lead to apply; the account created with that e-mail converts it."""
    if not lead.contact_email:
        raise ValidationError(_("The lead has no contact e-mail."))
    if not lead.can_invite():
        raise ValidationError(
            _("A lead that is %(status)s cannot be invited.")
            % {"status": lead.get_status_display()}
        )
    with transaction.atomic():
        lead.status = Lead.Status.INVITED
        lead.save(update_fields=["status"])
        outbox_enqueue(
            recipient=lead.contact_email,
            kind="lead_invitation",
            # Staff may invite again another day; twice the same day is one e-mail.
            dedupe_key=f"lead-invitation:{lead.pk}:{timezone.localdate():%Y-%m-%d}",
            payload={"name": lead.contact_name, "company": lead.company_name, "url": sign_up_url},
            language="ko",
        )
    return lead
