"""What the portal views of the programs rooms share: the own company, where it is in its
journey (its home and header links), private files."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy

from companies import policies as company_policies
from companies import selectors as company_selectors
from incubator.portal import Visitor, register_destination
from programs import stages
from programs.admissions import selectors as admissions_selectors
from programs.journey import selectors as journey_selectors


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


# --- Where a company is in its journey -------------------------------------------------------


def company_enrollment(company):
    """Return the company's enrollment while it is in the journey (withdrawn: it left)."""
    enrollment = journey_selectors.enrollment_for_company(company)
    return enrollment if enrollment is not None and enrollment.stage != stages.WITHDRAWN else None


def _company(visitor: Visitor):
    return visitor.fact("company", company_selectors.company_for_user)


def _enrollment(visitor: Visitor):
    company = _company(visitor)
    return visitor.fact("enrollment", lambda _user: company and company_enrollment(company))


def _application(visitor: Visitor):
    company = _company(visitor)
    return visitor.fact(
        "application", lambda _user: company and admissions_selectors.latest_application(company)
    )


def _applicant(visitor: Visitor) -> bool:
    company = _company(visitor)
    return company is not None and not _enrollment(visitor) and bool(_application(visitor))


def _newcomer(visitor: Visitor) -> bool:
    """Signed up, no company yet, and no other portal role: the dashboard shows the ways in."""
    return _company(visitor) is None and not company_policies.has_other_portal_role(visitor.user)


def register_destinations() -> None:
    """Enrolled startups land on their journey, applicants on their application, others on
    the company's home (where a newcomer creates the company)."""
    register_destination(
        "journey",
        label=gettext_lazy("My journey"),
        applies=lambda v: bool(_enrollment(v)),
        path="programs:journey",
        rank=30,
    )
    register_destination(
        "application",
        label=gettext_lazy("My application"),
        applies=_applicant,
        path=lambda v: reverse("programs:application-resume", args=[_application(v).pk]),
        rank=40,
    )
    register_destination(
        "company",
        label=gettext_lazy("My company"),
        applies=lambda v: _company(v) is not None,
        path="programs:dashboard",
        rank=50,
    )
    register_destination(
        "start",
        label=gettext_lazy("My portal"),
        applies=_newcomer,
        path="programs:dashboard",
        rank=60,
    )
