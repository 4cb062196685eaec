"""Every write of admissions: applications, screening, decisions, the screening policy.

Accepting an application enrols its company: `application_accept` does both or
neither, and `application_decide(decision="accepted")` goes through it.
"""

import json
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from companies import selectors as company_selectors
from companies.exchange.selectors import center_staff
from companies.models import Company
from companies.services import members_notify, users_notify
from incubator.audit import audit_record
from incubator.multilingual import localized
from programs.admissions import policies, screening, selectors
from programs.admissions.models import (
    ANSWERS,
    RETURN_MESSAGE_MAX_LENGTH,
    Application,
    ApplicationEvent,
    CriterionOverride,
    ScreeningPolicy,
    too_long,
)
from programs.journey import services as journey
from programs.models import Cohort, Enrollment


def application_start(*, company: Company, intake, user) -> Application:
    """Open the company's draft for `intake`; a withdrawn application becomes the draft again."""
    if user is not None and not policies.can_apply(user, company):
        raise PermissionDenied
    if not intake.is_open():
        raise ValidationError(_("This intake is not open for applications."))
    with transaction.atomic():
        application, created = Application.objects.get_or_create(
            company=company, intake=intake, defaults={"created_by": user}
        )
        if created:
            audit_record(actor=user, verb="application.start", obj=application, company=company)
        elif application.status == Application.Status.WITHDRAWN:
            application = _reopen(application=application, user=user)
    return application


def _startup_move(
    *, application: Application, to: str, kind: str, verb: str, user, reason: str = "", fields=()
) -> None:
    """Move a locked application as its company asked, with its history entry and audit;
    return the history entry."""
    previous = application.status
    application.move_to(to)
    application.save(update_fields=["status", *fields])
    event = ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=user,
        from_status=previous,
        to_status=to,
        reason=reason,
    )
    audit_record(
        actor=user,
        verb=verb,
        obj=application,
        company=application.company_id,
        changes={"status": [previous, to], "reason": bool(reason)},
    )
    return event


def _reopen(*, application: Application, user) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if user is not None and not policies.can_reopen(user, application):
        raise PermissionDenied
    application.submitted_at = None
    _startup_move(
        application=application,
        to=Application.Status.DRAFT,
        kind=ApplicationEvent.Kind.REOPENED,
        verb="application.reopen",
        user=user,
        fields=["submitted_at"],
    )
    return application


def application_withdraw(*, application: Application, user, reason: str = "") -> Application:
    """Withdraw a submitted application, which staff have not decided yet, at the company's
    request; the company may apply again while the intake is open."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not application.can_move_to(Application.Status.WITHDRAWN):
            raise ValidationError(
                _("This application is %(status)s: it can no longer be withdrawn.")
                % {"status": application.get_status_display()},
                code="transition",
            )
        if not policies.can_withdraw(user, application):
            raise PermissionDenied
        reason = (reason or "").strip()
        event = _startup_move(
            application=application,
            to=Application.Status.WITHDRAWN,
            kind=ApplicationEvent.Kind.WITHDRAWN,
            verb="application.withdraw",
            user=user,
            reason=reason,
        )
        # The members read that it is done and how to apply again; the center, which had it
        # in its review queue, reads why (the reason was kept in the history only).
        occurrence = f"{application.pk}:{event.pk}"
        _tell_members(application, "application_withdrawn", f"application-withdrawn:{occurrence}")
        users_notify(
            center_staff(),
            kind="application_withdrawn_center",
            dedupe_key=f"application-withdrawn-center:{occurrence}",
            payload={
                "application_id": application.pk,
                "reason": reason,
                "path": reverse("admin:programs_application_change", args=[application.pk]),
            },
            in_language=_named_for(application),
        )
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
        if user is not None and not policies.can_edit(user, application):
            raise PermissionDenied
        now = timezone.now()
        asked = selectors.return_request(application)
        # A draft the center returned for more information is taken after the deadline too.
        if not selectors.takes_submission(application, asked, at=now):
            raise ValidationError(
                _("The intake closed on %(date)s; applications are no longer accepted.")
                % {"date": timezone.localtime(application.intake.closes_at).strftime("%Y-%m-%d")},
                code="closed",
            )
        policy = selectors.policy_for(application, at=now)
        if missing := selectors.missing_answers(application, policy):
            raise ValidationError(
                _("Answer before you submit: %(answers)s.")
                % {"answers": ", ".join(str(label) for label in missing)},
                code="missing",
            )
        application.move_to(Application.Status.SUBMITTED)
        application.submitted_at = now
        application.policy = policy
        application.save(update_fields=["status", "submitted_at", "policy"])
        event = ApplicationEvent.objects.create(
            application=application,
            kind=ApplicationEvent.Kind.SUBMITTED,
            actor=user,
            from_status=Application.Status.DRAFT,
            to_status=Application.Status.SUBMITTED,
        )
        audit_record(
            actor=user,
            verb="application.submit",
            obj=application,
            company=application.company,
            changes={"status": ["draft", "submitted"], "policy": application.policy_id},
        )
        applications_screen(application_ids=[application.pk], actor=None)
        _tell_members(
            application,
            "application_submitted",
            # A returned application submitted again is told again, once per submission.
            f"application-submitted:{application.pk}:{event.pk}",
        )
        if asked is not None and asked.actor is not None:
            # The officer who asked for more information hears that the company answered.
            users_notify(
                [asked.actor],
                kind="application_resubmitted",
                dedupe_key=f"application-resubmitted:{application.pk}:{event.pk}",
                payload={
                    "application_id": application.pk,
                    "asked": asked.reason,
                    "path": reverse("admin:programs_application_decide", args=[application.pk]),
                },
                in_language=_named_for(application),
            )
    application.refresh_from_db()
    return application


def _tell_members(application: Application, kind: str, dedupe_key: str, **payload) -> None:
    """Tell the company's members of a step of its application, each in their language, with
    the link to the application's page."""
    members_notify(
        company_id=application.company_id,
        kind=kind,
        dedupe_key=dedupe_key,
        in_language=_named_for(application),
        payload={
            "application_id": application.pk,
            "path": reverse("programs:application-detail", args=[application.pk]),
            **payload,
        },
    )


def _named_for(application: Application):
    """The company and the call as each member reads them (`members_notify`'s in_language):
    an English founder is not sent the Korean name of their company."""

    def words(language: str) -> dict:
        with translation.override(language):
            return {
                "company": localized(application.company, "name", language),
                "program": str(application.intake),
            }

    return words


def screening_details(policy: ScreeningPolicy, result: dict) -> dict:
    """Return what a screening's history entry keeps (ApplicationEvent.summary words it)."""
    return {
        "policy_version": policy.version,
        "recommendation": result["recommendation"],
        "score": str(result["score"]),
    }


def screening_date(application: Application) -> date:
    # Screened as of the submission: a later re-screen gives the same answer.
    return timezone.localdate(application.submitted_at or timezone.now())


def applications_screen(*, application_ids, actor) -> int:
    """Screen many submitted applications in a constant number of queries."""
    if not policies.can_screen(actor):
        raise PermissionDenied
    applications = list(
        Application.objects.filter(pk__in=application_ids)
        .exclude(status=Application.Status.DRAFT)
        .select_related("company")
        # Only what screening reads: the stored results are large and rewritten anyway.
        .only("id", "status", "submitted_at", "policy_id", "company__founded_on", "company__sector")
    )
    if not applications:
        return 0
    versions = ScreeningPolicy.objects.in_bulk({a.policy_id for a in applications if a.policy_id})
    facts = selectors.screening_facts({a.company_id for a in applications})
    overrides = selectors.overrides_by_application([a.pk for a in applications])
    default_policy = None
    now = timezone.now()
    rows, events = [], []
    for application in applications:
        policy = versions.get(application.policy_id)
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
        result = screening.with_overrides(result, overrides.get(application.pk, {}))
        rows.append((application.pk, policy.pk, result))
        events.append(
            ApplicationEvent(
                application_id=application.pk,
                kind=ApplicationEvent.Kind.SCREENED,
                actor=actor,
                details=screening_details(policy, result),
            )
        )
    with transaction.atomic():
        _store_results(rows, now)
        ApplicationEvent.objects.bulk_create(events)
        # One record per run: a bulk screen of thousands stays a constant number of queries.
        audit_record(
            actor=actor,
            verb="application.screen",
            obj=applications[0] if len(applications) == 1 else None,
            company=applications[0].company_id if len(applications) == 1 else None,
            changes={"applications": [pk for pk, _p, _r in rows][:50], "count": len(rows)},
        )
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


def _decide(*, application: Application, decision: str, actor, reason: str) -> Application:
    """Record a decision; the caller holds the transaction (accepting also enrols)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write the reason for this decision.")})

    def refusal(application):
        if decision in Application.DECISIONS and application.can_move_to(decision):
            return None
        return ValidationError(
            _("An application that is %(status)s cannot be %(decision)s.")
            % {
                "status": application.get_status_display(),
                "decision": Application.Status(decision).label
                if decision in Application.Status.values
                else decision,
            }
        )

    application = _lock_for_staff(application, actor, refusal)
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
    audit_record(
        actor=actor,
        verb="application.accept" if decision == "accepted" else "application.decide",
        obj=application,
        company=application.company,
        changes={"status": [previous, decision]},
    )
    _tell_members(
        application,
        "application_decided",
        f"application-decided:{application.pk}:{decision}",
        decision=decision,
        reason=reason,
        # Accepted: the milestones, the local entity and the services are on the journey.
        **(
            {"journey_path": reverse("programs:journey")}
            if decision == Application.Status.ACCEPTED
            else {}
        ),
    )
    return application


def _lock_for_staff(application: Application, actor, refusal) -> Application:
    """Lock `application` for a staff member's step (a decision, a return); the caller holds
    the transaction. `refusal(locked)` is the error of a step its status does not take (None
    when it takes it); then only those who decide go on."""
    application = (
        Application.objects.select_for_update()
        .select_related("company", "intake__program")
        .get(pk=application.pk)
    )
    if (error := refusal(application)) is not None:
        raise error
    if not policies.can_decide(actor, application):
        raise PermissionDenied(_("Only staff decide applications."))
    return application


def application_return(*, application: Application, actor, message: str) -> Application:
    """Return a submitted application to its company's draft, asking for more information
    (a certificate to add, a point to explain), and tell its members.

    Those who decide may return (`policies.can_decide`). The company changes the draft and
    submits it again, even once the intake has closed (`selectors.takes_submission`).
    """
    message = (message or "").replace("\r\n", "\n").strip()
    if not message:
        raise ValidationError(
            {"message": _("Write what the company should add or explain.")}, code="required"
        )
    if len(message) > RETURN_MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"message": too_long(message, RETURN_MESSAGE_MAX_LENGTH)}, code="max_length"
        )

    def refusal(application):
        if application.status == Application.Status.SUBMITTED:
            if company_selectors.company_members(application.company_id):
                return None
            # Nobody could answer: the draft would wait for ever, and no decision be taken.
            return ValidationError(
                _(
                    "%(company)s has no portal account: nobody could add what you ask or "
                    "submit the application again. Ask by e-mail or telephone, then decide."
                )
                % {"company": application.company.name},
                code="no_members",
            )
        # Withdrawn also leads to a draft, but only the company reopens it.
        return ValidationError(
            _(
                "Only a submitted application can be returned for more information; "
                "this one is %(status)s."
            )
            % {"status": application.get_status_display()},
            code="transition",
        )

    with transaction.atomic():
        application = _lock_for_staff(application, actor, refusal)
        application.move_to(Application.Status.DRAFT)
        application.submitted_at = None
        application.save(update_fields=["status", "submitted_at"])
        event = ApplicationEvent.objects.create(
            application=application,
            kind=ApplicationEvent.Kind.RETURNED,
            actor=actor,
            from_status=Application.Status.SUBMITTED,
            to_status=Application.Status.DRAFT,
            reason=message,
        )
        audit_record(
            actor=actor,
            verb="application.return",
            obj=application,
            company=application.company,
            changes={"status": ["submitted", "draft"], "event": event.pk},
        )
        # Each return is its own request: an application returned twice is told twice.
        _tell_members(
            application,
            "application_returned",
            f"application-returned:{application.pk}:{event.pk}",
            message=message,
        )
    return application


def application_accept(
    *, application: Application, actor, reason: str, cohort: Cohort | None = None
) -> Enrollment:
    """Accept an application and enroll its company in a cohort, both or neither.

    Without a cohort, the company joins the cohort of the application's intake
    (created when the first company is accepted).
    """
    application = Application.objects.select_related("intake", "company").get(pk=application.pk)
    if cohort is not None and cohort.program_id != application.intake.program_id:
        raise ValidationError(
            {"cohort": _("Choose a cohort of the program this application is for.")}
        )
    with transaction.atomic():
        _decide(
            application=application,
            decision=Application.Status.ACCEPTED,
            actor=actor,
            reason=reason,
        )
        return journey.enrollment_create(
            company=application.company,
            cohort=cohort or journey.cohort_for_intake(intake=application.intake, actor=actor),
            actor=actor,
            reason=reason,
            application=application,
        )


def application_decide(
    *, application: Application, decision: str, actor, reason: str, cohort: Cohort | None = None
) -> Application:
    """Accept, reject or waitlist a submitted application, with a written reason.

    Accepting enrols the company (see `application_accept`): an application is
    never accepted without its enrollment.
    """
    if decision == Application.Status.ACCEPTED:
        application_accept(application=application, actor=actor, reason=reason, cohort=cohort)
        application.refresh_from_db()
        return application
    with transaction.atomic():
        return _decide(application=application, decision=decision, actor=actor, reason=reason)


def criterion_override(*, application: Application, criterion: str, reason: str, actor):
    """Count a failed criterion as met, with a written reason, and screen again."""
    if not policies.can_override(actor, application):
        raise PermissionDenied
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
        audit_record(
            actor=actor,
            verb="application.override",
            obj=application,
            company=application.company_id,
            changes={"criterion": criterion},
        )
        applications_screen(application_ids=[application.pk], actor=actor)
    application.refresh_from_db()
    return application


def policy_publish(*, actor, effective_from=None, **rules) -> ScreeningPolicy:
    """Publish a new version of the screening policy; earlier versions stay as they were."""
    if not policies.can_publish_policy(actor):
        raise PermissionDenied
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
        if unknown := set(policy.answers_required) - ANSWERS.keys():
            raise ValidationError(
                _("Unknown answers: %(names)s.") % {"names": ", ".join(sorted(unknown))}
            )
        policy.full_clean(exclude=["created_by"])
        policy.save()
        audit_record(
            actor=actor,
            verb="screening_policy.publish",
            obj=policy,
            changes={"version": policy.version, "effective_from": policy.effective_from},
        )
    return policy
