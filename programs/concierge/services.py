"""Every write of the concierge service requests, each in one transaction with its audit
record; the other side is told through the outbox.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies import selectors as company_selectors
from companies.models import Company
from companies.services import users_notify
from incubator.audit import audit_record
from incubator.multilingual import localized
from programs import policies, stages
from programs.concierge import policies as concierge_policies
from programs.concierge import selectors as concierge_selectors
from programs.models import (
    Enrollment,
    ServiceMessage,
    ServiceRequest,
    ServiceTarget,
)
from programs.services import (
    DEFAULT_TARGET_DAYS,
    _check_member,
    _excerpt,
    _files_removed_on_error,
    _required_text,
    _stored_file,
)

# --- Concierge service requests ----------------------------------------------------------

# The admin's owner fields say it too, of a choice they do not offer.
NOT_AN_OWNER = gettext_lazy(
    "Choose an owner whose role handles service requests: a center manager or a program officer."
)


@dataclass(frozen=True)
class Reply:
    """A message added to a request, and how many people were told of it (0: nobody could be)."""

    message: ServiceMessage
    told: int


def _check_owner(owner) -> None:
    if not concierge_policies.can_own_request(owner):
        raise ValidationError({"owner": NOT_AN_OWNER}, code="not_an_owner")


def service_target_days(kind: str) -> int:
    target = ServiceTarget.objects.filter(kind=kind).values_list("days", flat=True).first()
    return target if target is not None else DEFAULT_TARGET_DAYS


def _check_side(service_request: ServiceRequest, actor) -> bool:
    """Return True when the actor writes for the center; refuse another company's member."""
    _check_member(service_request.company_id, actor, "programs.change_servicerequest")
    return bool(actor.is_staff)


def _message_create(
    service_request: ServiceRequest, actor, from_center: bool, body: str, stored, saved: list
) -> ServiceMessage:
    message = ServiceMessage(
        request=service_request,
        company_id=service_request.company_id,
        author=actor,
        from_center=from_center,
        body=body,
    )
    if stored:
        file, message.original_name, message.content_type, message.size = stored
        message.file.save(file.name, file, save=False)
        saved.append(message.file)
    message.save()
    return message


def _tell(
    users, *, kind: str, dedupe_key: str, service_request: ServiceRequest, path: str, **payload
) -> int:
    """`users_notify` of a request, the company named in each reader's language."""
    return users_notify(
        users,
        kind=kind,
        dedupe_key=dedupe_key,
        payload={
            "subject": service_request.subject,
            "request_id": service_request.pk,
            "path": path,
            **payload,
        },
        in_language=lambda language: {
            "company": localized(service_request.company, "name", language)
        },
    )


def _members_told(service_request: ServiceRequest, *, kind: str, dedupe_key: str, **payload):
    return _tell(
        company_selectors.company_members(service_request.company_id),
        kind=kind,
        dedupe_key=dedupe_key,
        service_request=service_request,
        path=reverse("programs:request-detail", args=[service_request.pk]),
        **payload,
    )


def _center_side(service_request: ServiceRequest) -> list:
    """Return who at the center hears of the company's words: the request's owner; while it
    has none (or its owner left), every staff member who may take requests, so that a new
    request is not left unread until someone happens to open the queue."""
    owner = service_request.owner
    if owner is not None and owner.is_active:
        return [owner]
    return list(concierge_selectors.request_owner_choices())


def _center_told(service_request: ServiceRequest, *, kind: str, dedupe_key: str, **payload):
    return _tell(
        _center_side(service_request),
        kind=kind,
        dedupe_key=dedupe_key,
        service_request=service_request,
        path=reverse("admin:programs_servicerequest_conversation", args=[service_request.pk]),
        **payload,
    )


def _notify_other_side(service_request: ServiceRequest, message: ServiceMessage) -> int:
    """Tell the company's members of a center message, or the center of a company message;
    return how many people are told."""
    told = _members_told if message.from_center else _center_told
    return told(
        service_request,
        kind="service_request_message",
        dedupe_key=f"service-message:{message.pk}",
        excerpt=_excerpt(message.body) or message.original_name,
        from_center=message.from_center,
        attachment=message.original_name,  # "": no file
    )


def _target_from(day: dt.date, kind: str) -> dt.date:
    return day + dt.timedelta(days=service_target_days(kind))


def _check_due_on(due_on: dt.date | None, opened_at: dt.datetime) -> None:
    if due_on is not None and due_on < timezone.localdate(opened_at):
        raise ValidationError(
            {
                "due_on": _("The target date cannot be before the request was opened (%(day)s).")
                % {"day": timezone.localdate(opened_at).isoformat()}
            },
            code="before_opening",
        )


def service_request_open(
    *,
    company: Company,
    kind: str,
    subject: str,
    body: str,
    actor,
    uploaded_file=None,
    max_bytes: int = 0,
    owner=None,
    due_on: dt.date | None = None,
) -> ServiceRequest:
    """Open a concierge service request, by a member of the company or by staff."""
    subject = _required_text(subject, "subject", _("Give the request a subject."))
    body = _required_text(body, "body", _("Describe what you need."))
    if kind not in ServiceRequest.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of service.")})
    _check_member(company.pk, actor, "programs.add_servicerequest")
    if owner is not None:
        _check_owner(owner)
    from_center = bool(actor.is_staff)
    now = timezone.now()
    _check_due_on(due_on, now)
    stored = _stored_file(uploaded_file, max_bytes) if uploaded_file else None
    with _files_removed_on_error() as saved, transaction.atomic():
        enrollment = Enrollment.objects.filter(
            company=company, stage__in=stages.WORKING_STAGES
        ).first()
        # The kind's target runs from the opening, owner or not: the company waits from the
        # day it asked, and a request nobody took becomes overdue like any other (the
        # morning after, the center managers hear of it: requests_overdue).
        due_on = due_on or _target_from(timezone.localdate(now), kind)
        service_request = ServiceRequest.objects.create(
            company=company,
            enrollment=enrollment,
            kind=kind,
            subject=subject,
            status=ServiceRequest.Status.IN_PROGRESS if owner else ServiceRequest.Status.OPEN,
            waiting_on=ServiceRequest.WaitingOn.COMPANY
            if from_center
            else ServiceRequest.WaitingOn.CENTER,
            owner=owner,
            due_on=due_on,
            opened_by=actor,
            opened_at=now,
        )
        message = _message_create(service_request, actor, from_center, body, stored, saved)
        audit_record(
            actor=actor,
            verb="service_request.open",
            obj=service_request,
            company=company,
            changes={"kind": kind, "owner": getattr(owner, "pk", None), "due_on": due_on},
        )
        if from_center:
            _notify_other_side(service_request, message)
        else:
            _center_told(
                service_request,
                kind="service_request_opened",
                dedupe_key=f"service-request-opened:{service_request.pk}",
                excerpt=_excerpt(body),
                attachment=message.original_name,
            )
    return service_request


def service_request_reply(
    *, service_request: ServiceRequest, actor, body: str, uploaded_file=None, max_bytes: int = 0
) -> Reply:
    """Add a message (and maybe a file) to a request; the other side is told by e-mail.

    The reply says how many were told: a company without portal accounts hears nothing.
    """
    body = (body or "").strip()
    if not body and not uploaded_file:
        raise ValidationError({"body": _("Write a message or attach a file.")})
    from_center = _check_side(service_request, actor)
    stored = _stored_file(uploaded_file, max_bytes) if uploaded_file else None
    with _files_removed_on_error() as saved, transaction.atomic():
        service_request = (
            ServiceRequest.objects.select_for_update(of=("self",))
            .select_related("company", "owner")
            .get(pk=service_request.pk)
        )
        if service_request.status == ServiceRequest.Status.CLOSED:
            raise ValidationError(
                _("This request is closed; open a new one if you need more help."), code="closed"
            )
        message = _message_create(service_request, actor, from_center, body, stored, saved)
        fields = []
        if service_request.is_active or not from_center:
            # A note of the center on a resolved request asks nothing: it awaits nobody.
            service_request.waiting_on = (
                ServiceRequest.WaitingOn.COMPANY if from_center else ServiceRequest.WaitingOn.CENTER
            )
            fields.append("waiting_on")
        if not from_center and service_request.status == ServiceRequest.Status.RESOLVED:
            # The company answers a resolved request: it is not resolved for them.
            service_request.status = ServiceRequest.Status.IN_PROGRESS
            service_request.resolved_at = None
            fields += ["status", "resolved_at"]
        service_request.save(update_fields=fields)
        audit_record(
            actor=actor,
            verb="service_request.reply",
            obj=service_request,
            company=service_request.company_id,
            changes={"message": message.pk, "from_center": from_center},
        )
        told = _notify_other_side(service_request, message)
    return Reply(message=message, told=told)


def service_request_assign(
    *, service_request: ServiceRequest, owner, actor, due_on: dt.date | None = None
) -> ServiceRequest:
    """Give a request an owner among the staff who handle requests, and a due date from the
    kind's target."""
    if not policies.can_assign_request(actor, service_request):
        raise PermissionDenied(_("Only the center assigns a request."))
    _check_owner(owner)
    with transaction.atomic():
        service_request = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
        if service_request.status == ServiceRequest.Status.CLOSED:
            raise ValidationError(_("This request is closed."), code="closed")
        _check_due_on(due_on, service_request.opened_at)
        if due_on is None:
            due_on = _target_from(
                timezone.localdate(service_request.opened_at), service_request.kind
            )
            if due_on < timezone.localdate():
                # Taken after its target passed (the managers were told of that): the owner
                # gets the kind's full time from today, not a request overdue the moment it
                # is theirs, which no reminder would ever mention again.
                due_on = _target_from(timezone.localdate(), service_request.kind)
        service_request.owner = owner
        service_request.due_on = due_on
        fields = ["owner", "due_on"]
        if service_request.status == ServiceRequest.Status.OPEN:
            service_request.status = ServiceRequest.Status.IN_PROGRESS
            fields.append("status")
        service_request.save(update_fields=fields)
        audit_record(
            actor=actor,
            verb="service_request.assign",
            obj=service_request,
            company=service_request.company_id,
            changes={"owner": owner.pk, "due_on": service_request.due_on},
        )
    return service_request


def service_request_set_status(
    *, service_request: ServiceRequest, status: str, actor
) -> ServiceRequest:
    """Resolve, close or reopen a request through the allowed moves; the company's members
    hear when the center resolves or closes it."""
    with transaction.atomic():
        service_request = (
            ServiceRequest.objects.select_for_update(of=("self",))
            .select_related("company")
            .get(pk=service_request.pk)
        )
        from_center = _check_side(service_request, actor)
        if not service_request.can_move_to(status):
            raise ValidationError(
                _("A request that is %(current)s cannot become %(target)s.")
                % {
                    "current": service_request.get_status_display(),
                    "target": ServiceRequest.Status(status).label
                    if status in ServiceRequest.Status.values
                    else status,
                },
                code="not_allowed",
            )
        now = timezone.now()
        service_request.status = status
        fields = ["status", "waiting_on"]
        if status == ServiceRequest.Status.RESOLVED:
            service_request.resolved_at = now
            fields.append("resolved_at")
        elif status == ServiceRequest.Status.CLOSED:
            service_request.closed_at = now
            fields.append("closed_at")
        else:
            service_request.resolved_at = None
            fields.append("resolved_at")
        service_request.waiting_on = (
            ServiceRequest.WaitingOn.CENTER
            if status == ServiceRequest.Status.IN_PROGRESS
            else ServiceRequest.WaitingOn.NOBODY
        )
        service_request.save(update_fields=fields)
        record = audit_record(
            actor=actor,
            verb=f"service_request.{status}",
            obj=service_request,
            company=service_request.company_id,
            changes={"status": status},
        )
        # A company that closes its own request knows it; a reopening follows the
        # company's own reply (service_request_reply), or the center's answer tells it.
        if from_center and status in (ServiceRequest.Status.RESOLVED, ServiceRequest.Status.CLOSED):
            _members_told(
                service_request,
                kind="service_request_status_changed",
                # The audit record names the occurrence: resolved twice is told twice.
                dedupe_key=f"service-request-status:{record.pk}",
                status=status,
            )
    return service_request
