"""The application wizard's writes: each step's save with the step it leads to, together
(a company profile, a piece of evidence, a document, the review's answer and submission)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from companies import services as company_services
from incubator.audit import audit_record
from programs.admissions import policies
from programs.admissions.models import MARKET_FIT_MAX_LENGTH, Application, too_long
from programs.admissions.services import application_submit


def _check_editable(application: Application, actor) -> None:
    if not application.is_editable:
        raise ValidationError(_("This application was submitted and can no longer be changed."))
    if actor is not None and not policies.can_edit(actor, application):
        raise PermissionDenied


def application_save_step(
    *, application: Application, step: str, actor=None, **fields
) -> Application:
    """Keep the step the draft is at, with the application's own fields saved on it."""
    _check_editable(application, actor)
    with transaction.atomic():
        application.step = step
        for name, value in fields.items():
            setattr(application, name, value)
        application.save(update_fields=["step", *fields])
        audit_record(
            actor=actor,
            verb="application.save",
            obj=application,
            company=application.company_id,
            changes={"step": step, "fields": sorted(fields)},
        )
    return application


def application_company_save(
    *, application: Application, step: str, actor, **fields
) -> Application:
    """Save the company profile from the wizard and move the draft to `step`."""
    _check_editable(application, actor)
    with transaction.atomic():
        company_services.company_update(company=application.company, actor=actor, **fields)
        return application_save_step(application=application, step=step, actor=actor)


def application_evidence_add(*, application: Application, step: str, instance, actor):
    """Save one piece of evidence from the wizard, and the step it was added on."""
    _check_editable(application, actor)
    with transaction.atomic():
        company_services.evidence_save(instance=instance, actor=actor)
        application_save_step(application=application, step=step, actor=actor)
    return instance


def application_document_add(
    *, application: Application, step: str, uploaded_file, kind: str, user, max_bytes: int
):
    """Store a document uploaded in the wizard, and the step it was added on."""
    _check_editable(application, user)
    with transaction.atomic():
        document = company_services.document_upload(
            company=application.company,
            uploaded_file=uploaded_file,
            kind=kind,
            user=user,
            max_bytes=max_bytes,
        )
        application_save_step(application=application, step=step, actor=user)
    return document


def application_review_save(
    *, application: Application, step: str, market_fit: str, submit: bool, user
) -> Application:
    """Save the review step's text and, when asked, submit: both or neither."""
    _check_editable(application, user)
    if len(market_fit or "") > MARKET_FIT_MAX_LENGTH:
        raise ValidationError({"market_fit": too_long(market_fit, MARKET_FIT_MAX_LENGTH)})
    with transaction.atomic():
        application_save_step(application=application, step=step, actor=user, market_fit=market_fit)
        if submit:
            application = application_submit(application=application, user=user)
    return application
