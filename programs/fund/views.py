"""The support fund in the portal: the open calls and the company's applications."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from incubator.forms import attach_error
from incubator.portal import startup_view
from programs.fund import selectors as fund_selectors
from programs.fund import services as fund_services
from programs.fund.forms import FundApplicationForm
from programs.fund.models import APPLIED_ALREADY
from programs.models import FundCall
from programs.portal import _own_company

# --- Support fund ------------------------------------------------------------------------------


def _refusal(company) -> str:
    """Say why the company may not apply to the fund now ("" when it may)."""
    try:
        fund_services.fund_enrollment(company)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


@startup_view
@require_GET
def fund(request):
    company = _own_company(request)
    applications = list(fund_selectors.fund_applications_for_company(company))
    applied = {a.call_id for a in applications}
    calls_open = list(fund_selectors.fund_calls_open())
    return render(
        request,
        "programs/fund.html",
        {
            "company": company,
            "applications": applications,
            "refusal": _refusal(company),
            "calls": [c for c in calls_open if c.pk not in applied],
            # Open calls all applied to are not "no call open": the table above lists them.
            "applied_to_all": bool(calls_open) and applied.issuperset(c.pk for c in calls_open),
        },
    )


@startup_view
def fund_apply(request, pk):
    company = _own_company(request)
    call = get_object_or_404(FundCall, pk=pk)
    if fund_selectors.fund_application_of(company=company, call=call) is not None:
        # No empty form for an application that exists: the fund page lists it.
        messages.info(request, str(APPLIED_ALREADY))
        return redirect("programs:fund")
    refusal = _refusal(company)
    if refusal:
        # No form to fill in for nothing: the page says why (graduated, withdrawn, never
        # enrolled), in the words the service would refuse a submission with.
        return render(
            request,
            "programs/fund_apply.html",
            {"company": company, "call": call, "refusal": refusal},
            status=200 if request.method == "GET" else 400,
        )
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
