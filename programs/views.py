"""The startup's journey in the portal: stage and timeline, milestones, local entity,
concierge service requests, the support fund and the quarterly reports.

Everything is loaded through the signed-in person's own company, so another
company's milestone, request or file is a 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from companies import selectors as company_selectors
from incubator.forms import attach_error
from incubator.portal import startup_view
from programs import selectors, stages
from programs.concierge import services as concierge_services
from programs.forms import (
    FundApplicationForm,
    LocalEntityForm,
    MilestoneDoneForm,
    QuarterlyReportForm,
    ReplyForm,
    ServiceRequestForm,
)
from programs.fund import services as fund_services
from programs.journey import services as journey_services
from programs.models import Enrollment, FundCall, Milestone, ServiceMessage, ServiceRequest


def _own_company(request):
    company = company_selectors.company_for_user(request.user)
    if company is None:
        raise Http404
    return company


def _max_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


def _show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- My journey ---------------------------------------------------------------------


@startup_view
@require_GET
def journey(request):
    company = company_selectors.company_for_user(request.user)
    if company is None:
        return redirect("programs:dashboard")
    return _render_journey(request, company)


def _render_journey(request, company, *, failed_milestone=None, failed_form=None, status=200):
    enrollment = selectors.enrollment_for_company(company)
    context = {"company": company, "enrollment": enrollment}
    if enrollment is not None:
        today = timezone.localdate()
        milestones = list(selectors.milestones_of(enrollment))
        reports = list(selectors.quarterly_series(company))
        for milestone in milestones:
            milestone.overdue = milestone.is_overdue(today, current_stage=enrollment.stage)
            milestone.form = (
                failed_form
                if failed_milestone == milestone.pk
                else MilestoneDoneForm(auto_id=f"id_m{milestone.pk}_%s")
            )
        context.update(
            {
                "today": today,
                "transitions": selectors.transitions_of(enrollment),
                "milestone_groups": selectors.milestone_groups(
                    milestones, lambda stage: Enrollment.Stage(stage).label
                ),
                "milestones_due": selectors.milestones_due(milestones, enrollment.stage),
                "service_requests": selectors.service_requests_for_company(company)[:20],
                "fund_applications": selectors.fund_applications_for_company(company),
                "fund_calls": selectors.fund_calls_open().exclude(applications__company=company),
                "reports": reports,
                "report_due": selectors.report_due(enrollment, reports, today=today),
                "local_entities": selectors.local_entities_for_company(company),
                "stage_path": [
                    (stage, Enrollment.Stage(stage).label) for stage in stages.STAGES[:-1]
                ],
            }
        )
    return render(request, "programs/journey.html", context, status=status)


@startup_view
@require_POST
def milestone_done(request, pk):
    company = _own_company(request)
    milestone = get_object_or_404(Milestone, pk=pk, company=company)
    form = MilestoneDoneForm(request.POST, request.FILES, auto_id=f"id_m{milestone.pk}_%s")
    if form.is_valid():
        try:
            journey_services.milestone_complete(
                milestone=milestone,
                actor=request.user,
                evidence=form.cleaned_data["evidence"],
                uploaded_file=form.cleaned_data["file"],
                max_bytes=_max_bytes(),
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("Done: %(milestone)s.") % {"milestone": milestone.title})
            return redirect("programs:journey")
    return _render_journey(
        request, company, failed_milestone=milestone.pk, failed_form=form, status=400
    )


@startup_view
def local_entity(request):
    company = _own_company(request)
    form = LocalEntityForm(request.POST or None, initial={"capital_currency": "CNY"})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                entity = journey_services.local_entity_register(
                    company=company, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is recorded as your local entity.") % {"name": entity.name_zh},
                )
                return redirect("programs:journey")
    return render(
        request,
        "programs/local_entity.html",
        {
            "company": company,
            "form": form,
            "entities": selectors.local_entities_for_company(company),
        },
        status=status,
    )


# --- Concierge service requests --------------------------------------------------------------


@startup_view
@require_GET
def request_list(request):
    company = _own_company(request)
    return render(
        request,
        "programs/request_list.html",
        {
            "company": company,
            "service_requests": selectors.service_requests_for_company(company),
            "today": timezone.localdate(),
        },
    )


@startup_view
def request_create(request):
    company = _own_company(request)
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") else None
    form = ServiceRequestForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                service_request = concierge_services.service_request_open(
                    company=company,
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    uploaded_file=form.cleaned_data["file"],
                    max_bytes=_max_bytes(),
                )
            except ValidationError as error:
                _attach_file_error(form, error)
            else:
                messages.success(
                    request, _("Your request is sent; the center answers here and by e-mail.")
                )
                return redirect("programs:request-detail", service_request.pk)
    return render(
        request, "programs/request_create.html", {"company": company, "form": form}, status=status
    )


def _attach_file_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        attach_error(form, error)
    else:
        form.add_error("file", error)


def _own_request(request, pk) -> ServiceRequest:
    company = _own_company(request)
    service_request = selectors.service_request_for_company(company, pk)
    if service_request is None:
        raise Http404
    return service_request


@startup_view
def request_detail(request, pk):
    service_request = _own_request(request, pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                concierge_services.service_request_reply(
                    service_request=service_request,
                    actor=request.user,
                    body=form.cleaned_data["body"],
                    uploaded_file=form.cleaned_data["file"],
                    max_bytes=_max_bytes(),
                )
            except ValidationError as error:
                _attach_file_error(form, error)
            else:
                messages.success(request, _("Your message is sent."))
                return redirect("programs:request-detail", service_request.pk)
    return render(
        request,
        "programs/request_detail.html",
        {
            "service_request": service_request,
            "thread": selectors.service_messages(service_request),
            "form": form,
            "today": timezone.localdate(),
        },
        status=status,
    )


@startup_view
@require_POST
def request_close(request, pk):
    service_request = _own_request(request, pk)
    try:
        concierge_services.service_request_set_status(
            service_request=service_request,
            status=ServiceRequest.Status.CLOSED,
            actor=request.user,
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The request is closed."))
    return redirect("programs:request-detail", service_request.pk)


# --- Private files ---------------------------------------------------------------------------


def _serve(field_file, name: str, content_type: str):
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def _scope(request, model, permission: str, **lookup):
    """Return the row of the user's company, or any row for staff allowed to view it."""
    company = company_selectors.company_for_user(request.user)
    if company is not None:
        return get_object_or_404(model, company=company, **lookup)
    if request.user.is_staff and request.user.has_perm(permission):
        return get_object_or_404(model, **lookup)
    raise Http404


@login_required
@require_GET
def request_file(request, pk, message_id):
    """Serve a file of a request's thread to its company, and to staff allowed to view requests."""
    message = _scope(
        request, ServiceMessage, "programs.view_servicerequest", pk=message_id, request_id=pk
    )
    if not message.file:
        raise Http404
    return _serve(message.file, message.original_name, message.content_type)


@login_required
@require_GET
def milestone_evidence(request, pk):
    milestone = _scope(request, Milestone, "programs.view_milestone", pk=pk)
    if not milestone.evidence_file:
        raise Http404
    return _serve(milestone.evidence_file, milestone.evidence_name, milestone.evidence_type)


# --- Support fund ------------------------------------------------------------------------------


@startup_view
@require_GET
def fund(request):
    company = _own_company(request)
    applications = list(selectors.fund_applications_for_company(company))
    applied = {a.call_id for a in applications}
    return render(
        request,
        "programs/fund.html",
        {
            "company": company,
            "enrollment": selectors.enrollment_for_company(company),
            "applications": applications,
            "calls": [c for c in selectors.fund_calls_open() if c.pk not in applied],
        },
    )


@startup_view
def fund_apply(request, pk):
    company = _own_company(request)
    call = get_object_or_404(FundCall, pk=pk)
    form = FundApplicationForm(request.POST or None, currency=call.currency)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                fund_services.fund_apply(
                    call=call, company=company, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(request, _("Your application to the fund is submitted."))
                return redirect("programs:fund")
    return render(
        request,
        "programs/fund_apply.html",
        {"company": company, "call": call, "form": form},
        status=status,
    )


# --- Quarterly report -----------------------------------------------------------------------


@startup_view
def report_create(request):
    company = _own_company(request)
    enrollment = selectors.enrollment_for_company(company)
    if enrollment is None:
        messages.error(request, _("Only companies enrolled in a program report quarterly figures."))
        return redirect("programs:journey")
    quarters = selectors.quarters_reportable(
        enrollment, selectors.quarterly_series(company), today=timezone.localdate()
    )
    form = QuarterlyReportForm(request.POST or None, quarters=quarters)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            period = data.pop("period")
            try:
                journey_services.quarterly_report_submit(
                    company=company,
                    actor=request.user,
                    year=period.year,
                    quarter=period.quarter,
                    **data,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "quarter" in error.error_dict:
                    error = ValidationError({"period": error.error_dict["quarter"]})
                attach_error(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you: the report for %(quarter)s is filed.") % {"quarter": period},
                )
                return redirect("programs:journey")
    return render(
        request,
        "programs/report_create.html",
        {"company": company, "form": form, "quarters": quarters},
        status=status,
    )
