"""The startup's dashboard and its applications: the wizard, the status page.

Every company-scoped object is loaded through the signed-in person's own
company, so another company's application or evidence is a 404.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from companies import member_services, validators
from companies import policies as company_policies
from companies import selectors as company_selectors
from companies import services as company_services
from companies.forms import (
    CertificationForm,
    CompanyForm,
    DocumentForm,
    FundingRoundForm,
    InvitationForm,
    MarketValidationForm,
    PatentForm,
)
from companies.models import (
    Certification,
    Document,
    FundingRound,
    MarketValidation,
    Patent,
)
from incubator.forms import attach_error
from incubator.portal import portal_home, startup_view
from programs.admissions import policies as admissions_policies
from programs.admissions import selectors, services, wizard_services
from programs.admissions.forms import (
    EvidenceSectionForm,
    MarketFitForm,
    StepActionForm,
    WithdrawForm,
)
from programs.admissions.models import Application, Intake
from programs.portal import company_enrollment

STEPS = (
    ("company", gettext_lazy("Company")),
    ("patents", gettext_lazy("Patents")),
    ("financing", gettext_lazy("Financing and market")),
    ("certifications", gettext_lazy("Certifications")),
    ("documents", gettext_lazy("Documents")),
    ("review", gettext_lazy("Review and submit")),
)
STEP_NAMES = tuple(name for name, _label in STEPS)

# Evidence forms per step: (key posted as "form", form class, related name on Company).
EVIDENCE_FORMS = {
    "patents": (("patent", PatentForm, "patents"),),
    "financing": (
        ("funding", FundingRoundForm, "funding_rounds"),
        ("market", MarketValidationForm, "market_validations"),
    ),
    "certifications": (("certification", CertificationForm, "certifications"),),
}
# Kinds that can be deleted from the wizard: model and the step that lists them.
DELETABLE = {
    "patent": (Patent, "patents"),
    "funding": (FundingRound, "financing"),
    "market": (MarketValidation, "financing"),
    "certification": (Certification, "certifications"),
    "document": (Document, "documents"),
}


def _own_company(request):
    company = company_selectors.company_for_user(request.user)
    if company is None:
        raise Http404
    return company


def _own_application(request, pk: int) -> Application:
    company = _own_company(request)
    return get_object_or_404(
        Application.objects.select_related("intake__program", "company"), pk=pk, company=company
    )


def _next_step(step: str) -> str:
    index = STEP_NAMES.index(step)
    return STEP_NAMES[min(index + 1, len(STEP_NAMES) - 1)]


def _step_url(application: Application, step: str) -> str:
    return reverse("programs:application-step", args=[application.pk, step])


def _posted_action(request) -> str:
    form = StepActionForm(request.POST)
    return form.cleaned_data["action"] if form.is_valid() else ""


def _refuse_change(request, application: Application):
    messages.error(
        request,
        _("This application was submitted and can no longer be changed; nothing was saved."),
    )
    return redirect("programs:application-detail", application.pk)


# --- Dashboard and members ---------------------------------------------------------


@startup_view
@require_GET
def dashboard(request):
    company = company_selectors.company_for_user(request.user)
    if company is None and company_policies.has_other_portal_role(request.user):
        # A partner's person or a judge has no company to make here: their own home.
        return redirect(portal_home(request.user))
    if company is None:
        return render(
            request,
            "programs/dashboard_new.html",
            {
                # Invitations waiting for this address: someone who signed up from an
                # invitation e-mail finds it here after confirming the address.
                "invitations": _one_per_company(
                    company_selectors.invitations_pending_for(email=request.user.email)
                ),
                "can_create_company": company_policies.can_create_company(request.user),
            },
        )
    return _render_dashboard(request, company)


def _one_per_company(invitations) -> list:
    """Return the newest invitation of each company: one sent twice (before invitations
    were one per address, or in another case of the address) is one card."""
    newest = {}
    for invitation in invitations.order_by("-created_at", "-pk"):
        newest.setdefault(invitation.company_id, invitation)
    return list(newest.values())


def _render_dashboard(request, company, invite_form=None, status=200):
    """The company's home, from where it is in its journey: enrolled, applied or not yet."""
    applications = list(
        selectors.with_last_move(company.applications.select_related("intake__program"))
    )
    enrollment = company_enrollment(company)
    applied = {a.intake_id: a for a in applications}
    # A resident company is not offered to apply again; the others see the open calls.
    intakes = [] if enrollment else list(selectors.intakes_open())
    context = {
        "company": company,
        "enrollment": enrollment,
        "is_owner": company_policies.can_invite(request.user, company),
        "members": company.memberships.select_related("user").order_by("joined_at"),
        "pending_invitations": company.invitations.filter(accepted_at__isnull=True).order_by(
            "-created_at"
        ),
        "invite_form": invite_form or InvitationForm(),
        "applications": applications,
        "open_intakes": [i for i in intakes if i.pk not in applied],
        # Open calls it has applied to already: "none open" would be untrue for them.
        "applied_open": [applied[i.pk] for i in intakes if i.pk in applied],
        "today": timezone.localdate(),
    }
    return render(request, "programs/dashboard.html", context, status=status)


# What the owner reads after inviting: exactly what was sent, or that nothing was.
INVITED_SAYS = {
    member_services.Invited.SENT: gettext_lazy("The invitation is sent to %(email)s."),
    member_services.Invited.SENT_AGAIN: gettext_lazy(
        "The invitation to %(email)s is sent again, with the same link."
    ),
    member_services.Invited.PENDING: gettext_lazy(
        "%(email)s has an invitation already, not yet accepted, so nothing was sent now. To "
        "send it again, use “Send it again” next to it in the list of invitations."
    ),
    member_services.Invited.ALREADY_SENT_TODAY: gettext_lazy(
        "The invitation to %(email)s was sent again today already, so nothing was sent now. "
        "You can send it again tomorrow."
    ),
}


@startup_view
@require_POST
def member_invite(request):
    company = _own_company(request)
    if not company_policies.can_invite(request.user, company):
        raise PermissionDenied
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invited = member_services.member_invite(
                company=company,
                email=form.cleaned_data["email"],
                invited_by=request.user,
                resend=form.cleaned_data["resend"],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            said = INVITED_SAYS[invited.outcome] % {"email": invited.invitation.email}
            (messages.success if invited.sent else messages.info)(request, said)
            return redirect("programs:dashboard")
    return _render_dashboard(request, company, invite_form=form)


@startup_view
@require_POST
def invitation_revoke(request):
    company = _own_company(request)
    if not company_policies.can_invite(request.user, company):
        raise PermissionDenied
    pk = request.POST.get("invitation", "")
    if not (pk.isascii() and pk.isdigit()):
        raise BadRequest
    invitation = get_object_or_404(company.invitations, pk=pk, accepted_at__isnull=True)
    try:
        member_services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email}
        )
    return redirect("programs:dashboard")


# --- Applications ------------------------------------------------------------------


@startup_view
@require_POST
def application_start(request, intake_id):
    company = company_selectors.company_for_user(request.user)
    if company is None:
        return redirect("programs:dashboard")
    intake = get_object_or_404(Intake, pk=intake_id)
    try:
        application = services.application_start(company=company, intake=intake, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("programs:dashboard")
    return redirect("programs:application-resume", application.pk)


@startup_view
@require_GET
def application_resume(request, pk):
    """Open a draft at the last step saved; a submitted application at its status."""
    application = _own_application(request, pk)
    if not application.is_editable:
        return redirect("programs:application-detail", application.pk)
    step = application.step if application.step in STEP_NAMES else STEP_NAMES[0]
    return redirect(_step_url(application, step))


@startup_view
@require_GET
def application_detail(request, pk):
    application = _own_application(request, pk)
    return render(
        request,
        "programs/application_detail.html",
        {
            "application": application,
            # The criteria of its policy version: one it does not require was never asked.
            "criteria": [row for row in selectors.screening_rows(application) if row["required"]],
            "steps": STEPS,
            "return_request": selectors.return_request(application),
            # Once answered, the request stays in sight until the center decides.
            "request_answered": selectors.request_answered(application),
            "can_withdraw": admissions_policies.can_withdraw(request.user, application),
            "can_apply_again": admissions_policies.can_reopen(request.user, application)
            and application.intake.is_open(),
        },
    )


@startup_view
def application_step(request, pk, step):
    if step not in STEP_NAMES:
        raise Http404
    application = _own_application(request, pk)
    if request.method == "POST" and not application.is_editable:
        return _refuse_change(request, application)
    if request.method == "POST" and _posted_action(request) == "continue":
        try:
            wizard_services.application_save_step(
                application=application, step=_next_step(step), actor=request.user
            )
        except ValidationError:
            return _refuse_change(request, application)
        return redirect(_step_url(application, _next_step(step)))
    handler = {
        "company": _step_company,
        "documents": _step_documents,
        "review": _step_review,
    }.get(step, _step_evidence)
    return handler(request, application, step)


def _render_step(request, application, step, context, status=200):
    index = STEP_NAMES.index(step)
    context = {
        "application": application,
        "company": application.company,
        "step": step,
        "steps": STEPS,
        "step_label": STEPS[index][1],
        "next_step": STEP_NAMES[index + 1] if index + 1 < len(STEP_NAMES) else None,
        "previous_step": STEP_NAMES[index - 1] if index else None,
        "editable": application.is_editable,
        "return_request": selectors.return_request(application),
        **context,
    }
    template = "step_evidence" if step in EVIDENCE_FORMS else f"step_{step}"
    return render(request, f"programs/{template}.html", context, status=status)


def _step_company(request, application, step):
    company = application.company
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        try:
            wizard_services.application_company_save(
                application=application,
                step=_next_step(step),
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The company profile is saved."))
            return redirect(_step_url(application, _next_step(step)))
    return _render_step(request, application, step, {"form": form})


def _step_evidence(request, application, step):
    company = application.company
    # None: no evidence form was sent; "": one this step does not have.
    posted = None
    if request.method == "POST":
        section = EvidenceSectionForm(
            request.POST, keys=[key for key, _form, _related in EVIDENCE_FORMS[step]]
        )
        posted = (section.cleaned_data["form"] or None) if section.is_valid() else ""
    sections = []
    for key, form_class, related in EVIDENCE_FORMS[step]:
        # Tied to the company from the start: its rules (no date before the founding)
        # answer beside the field.
        form = form_class(
            request.POST if posted == key else None,
            instance=form_class._meta.model(company=company),
        )
        if posted == key and form.is_valid():
            instance = form.save(commit=False)
            try:
                wizard_services.application_evidence_add(
                    application=application, step=step, instance=instance, actor=request.user
                )
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(request, _("Saved: %(entry)s.") % {"entry": instance})
                if isinstance(instance, Certification) and validators.certification_expired(
                    instance.expires_on
                ):
                    messages.warning(
                        request,
                        _(
                            "This certification expired on %(date)s: screening does not count "
                            "it. Add the renewed certificate if you have one."
                        )
                        % {"date": date_format(instance.expires_on)},
                    )
                return redirect(_step_url(application, step) + f"#{key}-list")
        sections.append(
            {
                "key": key,
                "form": form,
                "entries": getattr(company, related).all(),
                "title": form_class._meta.model._meta.verbose_name_plural,
                "add_label": _("Add"),
            }
        )
    status = 200 if posted is None else 400
    return _render_step(request, application, step, {"sections": sections}, status=status)


def _step_documents(request, application, step):
    company = application.company
    form = DocumentForm(request.POST or None, request.FILES or None)
    max_mb = settings.UPLOAD_MAX_BYTES / 1_048_576
    # portal.js refuses a larger file before sending it (the server's limit, checked again
    # here): on a phone the whole file would travel only to be refused.
    form.fields["file"].widget.attrs.update(
        {
            "data-max-bytes": settings.UPLOAD_MAX_BYTES,
            "data-too-large": _(
                "This file is larger than %(max)s MB, the most the portal accepts: choose a "
                "smaller file."
            )
            % {"max": f"{max_mb:g}"},
        }
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = wizard_services.application_document_add(
                application=application,
                step=step,
                uploaded_file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                user=request.user,
                max_bytes=settings.UPLOAD_MAX_BYTES,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                attach_error(form, error)
            else:
                form.add_error("file", error)
        else:
            messages.success(request, _("Uploaded: %(name)s.") % {"name": document.original_name})
            return redirect(_step_url(application, step) + "#document-list")
    status = 400 if request.method == "POST" else 200
    return _render_step(
        request,
        application,
        step,
        {
            "form": form,
            "documents": company.documents.all(),
            "max_mb": max_mb,
        },
        status=status,
    )


def _step_review(request, application, step):
    company = application.company
    form = MarketFitForm(request.POST or None, instance=application)
    status = 200
    if request.method == "POST" and form.is_valid():
        # "Submit" saves the text and asks for confirmation: submitting is a second step.
        submit = _posted_action(request) == "submit"
        try:
            application = wizard_services.application_review_save(
                application=application,
                step=step,
                market_fit=form.cleaned_data["market_fit"],
                submit=False,
                user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            application.refresh_from_db()
            status = 400
        else:
            if submit:
                return redirect("programs:application-submit", application.pk)
            messages.success(request, _("Saved."))
            return redirect(_step_url(application, step))
    context = {
        "form": form,
        "missing": selectors.missing_answers(application) if application.is_editable else [],
        "patents": company.patents.all(),
        "funding_rounds": company.funding_rounds.all(),
        "market_validations": company.market_validations.all(),
        "certifications": company.certifications.all(),
        "documents": company.documents.all(),
    }
    return _render_step(request, application, step, context, status=status)


@startup_view
@require_http_methods(["GET", "POST"])
def application_submit(request, pk):
    """Confirm the submission: what is still missing, or the one click that submits."""
    application = _own_application(request, pk)
    if not application.is_editable:
        return redirect("programs:application-detail", application.pk)
    status = 200
    if request.method == "POST":
        try:
            services.application_submit(application=application, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            status = 400
        else:
            messages.success(
                request, _("Your application is submitted. Here is the first screening.")
            )
            return redirect("programs:application-detail", application.pk)
    context = {
        "application": application,
        "missing": selectors.missing_answers(application),
        "review_url": _step_url(application, "review"),
        "return_request": selectors.return_request(application),
    }
    return render(request, "programs/application_submit.html", context, status=status)


@startup_view
@require_http_methods(["GET", "POST"])
def application_withdraw(request, pk):
    """Withdraw a submitted application until staff decide, after a confirmation."""
    application = _own_application(request, pk)
    if not admissions_policies.can_withdraw(request.user, application):
        messages.error(request, _("This application can no longer be withdrawn."))
        return redirect("programs:application-detail", application.pk)
    # Bound on every POST: an empty reason is a valid answer.
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect("programs:application-detail", application.pk)
    return render(
        request, "programs/application_withdraw.html", {"application": application, "form": form}
    )


@startup_view
@require_POST
def evidence_delete(request, pk, kind, item_id):
    if kind not in DELETABLE:
        raise Http404
    application = _own_application(request, pk)
    model, step = DELETABLE[kind]
    instance = get_object_or_404(model, pk=item_id, company=application.company)
    if not application.is_editable:
        return _refuse_change(request, application)
    company_services.evidence_delete(instance=instance, actor=request.user)
    messages.success(request, _("Deleted: %(entry)s.") % {"entry": instance})
    return redirect(_step_url(application, step))
