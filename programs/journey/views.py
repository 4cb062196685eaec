"""The startup's journey in the portal: stage and timeline, milestones, local entity, the
quarterly reports.

Everything is loaded through the signed-in person's own company, so another
company's milestone or file is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from companies import selectors as company_selectors
from incubator import times
from incubator.forms import attach_error
from incubator.portal import startup_view
from programs import stages
from programs.concierge import selectors as concierge_selectors
from programs.fund import selectors as fund_selectors
from programs.journey import selectors as journey_selectors
from programs.journey import services as journey_services
from programs.journey.forms import LocalEntityForm, MilestoneDoneForm, QuarterlyReportForm
from programs.models import Enrollment, Milestone
from programs.portal import _max_bytes, _own_company, _scope, _serve

# --- My journey ---------------------------------------------------------------------


@startup_view
@require_GET
def journey(request):
    company = company_selectors.company_for_user(request.user)
    if company is None:
        return redirect("programs:dashboard")
    return _render_journey(request, company)


def _render_journey(request, company, *, failed_milestone=None, failed_form=None, status=200):
    enrollment = journey_selectors.enrollment_for_company(company)
    context = {"company": company, "enrollment": enrollment}
    if enrollment is not None:
        today = timezone.localdate()
        milestones = list(journey_selectors.milestones_of(enrollment))
        reports = list(journey_selectors.quarterly_series(company))
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
                "transitions": journey_selectors.transitions_of(enrollment),
                "milestone_groups": journey_selectors.milestone_groups(
                    milestones, lambda stage: Enrollment.Stage(stage).label
                ),
                "milestones_due": journey_selectors.milestones_due(milestones, enrollment.stage),
                "service_requests": concierge_selectors.service_requests_for_company(company)[:20],
                "fund_applications": fund_selectors.fund_applications_for_company(company),
                "fund_calls": fund_selectors.fund_calls_open().exclude(
                    applications__company=company
                ),
                "reports": reports,
                "report_due": journey_selectors.report_due(enrollment, reports, today=today),
                "local_entities": journey_selectors.local_entities_for_company(company),
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
    milestone = get_object_or_404(
        Milestone.objects.select_related("enrollment"), pk=pk, company=company
    )
    form = MilestoneDoneForm(request.POST, request.FILES, auto_id=f"id_m{milestone.pk}_%s")
    refused = milestone.done_refused_because()
    if refused is None and form.is_valid():
        try:
            journey_services.milestone_complete(
                milestone=milestone,
                actor=request.user,
                evidence=form.cleaned_data["evidence"],
                uploaded_file=form.cleaned_data["file"],
                max_bytes=_max_bytes(),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                attach_error(form, error)
            else:  # done or ended meanwhile
                refused = " ".join(error.messages)
        else:
            messages.success(request, _("Done: %(milestone)s.") % {"milestone": milestone.title})
            return redirect("programs:journey")
    if refused is not None:
        # The journey offers no form for this milestone any more, where the error would show.
        messages.error(request, refused)
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
            "entities": journey_selectors.local_entities_for_company(company),
        },
        status=status,
    )


@startup_view
def local_entity_edit(request, pk):
    """Correct a recorded local entity: a typo is the company's to fix, like its profile."""
    company = _own_company(request)
    entity = get_object_or_404(journey_selectors.local_entities_for_company(company), pk=pk)
    form = LocalEntityForm(request.POST or None, instance=entity)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                journey_services.local_entity_update(
                    entity=entity, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(
                    request,
                    _("The local entity %(name)s is corrected.")
                    % {"name": form.cleaned_data["name_zh"]},
                )
                return redirect("programs:journey")
    return render(
        request,
        "programs/local_entity_edit.html",
        {"company": company, "form": form, "entity": entity},
        status=status,
    )


@login_required
@require_GET
def milestone_evidence(request, pk):
    milestone = _scope(request, Milestone, "programs.view_milestone", pk=pk)
    if not milestone.evidence_file:
        raise Http404
    return _serve(milestone.evidence_file, milestone.evidence_name, milestone.evidence_type)


# --- Quarterly report -----------------------------------------------------------------------


@startup_view
def report_create(request):
    company = _own_company(request)
    enrollment = journey_selectors.enrollment_for_company(company)
    if enrollment is None:
        messages.error(request, _("Only companies enrolled in a program report quarterly figures."))
        return redirect("programs:journey")
    quarters = journey_selectors.quarters_reportable(
        enrollment, journey_selectors.quarterly_series(company), today=timezone.localdate()
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
                    _("Thank you: the report for %(quarter)s is filed.")
                    % {"quarter": times.quarter(period.year, period.quarter)},
                )
                return redirect("programs:journey")
    return render(
        request,
        "programs/report_create.html",
        {"company": company, "form": form, "quarters": quarters},
        status=status,
    )
