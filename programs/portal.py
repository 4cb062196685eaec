"""What the portal views of the programs rooms share: the own company, private files."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from companies import selectors as company_selectors


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
