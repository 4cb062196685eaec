"""The startup's concierge service requests in the portal; another company's request or
file is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from incubator.forms import attach_error
from incubator.portal import startup_view
from programs.concierge import policies as concierge_policies
from programs.concierge import selectors as concierge_selectors
from programs.concierge import services as concierge_services
from programs.concierge.forms import ReplyForm, ServiceRequestForm
from programs.models import ServiceMessage, ServiceRequest
from programs.portal import _max_bytes, _own_company, _serve, _show_errors

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
            "service_requests": concierge_selectors.service_requests_for_company(company),
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
        if form.is_valid() and (
            service_request := _send(
                form,
                concierge_services.service_request_open,
                company=company,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                subject=form.cleaned_data["subject"],
            )
        ):
            messages.success(
                request, _("Your request is sent; the center answers here and by e-mail.")
            )
            return redirect("programs:request-detail", service_request.pk)
    return render(
        request, "programs/request_create.html", {"company": company, "form": form}, status=status
    )


def _send(form, service, **kwargs):
    """Call `service` with the form's message and file; return what it saved, or None when
    it refused: its error is shown on the form, on the file when it names no field."""
    try:
        return service(
            body=form.cleaned_data["body"],
            uploaded_file=form.cleaned_data["file"],
            max_bytes=_max_bytes(),
            **kwargs,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            attach_error(form, error)
        else:
            form.add_error("file", error)
        return None


def _own_request(request, pk) -> ServiceRequest:
    company = _own_company(request)
    service_request = concierge_selectors.service_request_for_company(company, pk)
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
        if form.is_valid() and _send(
            form,
            concierge_services.service_request_reply,
            service_request=service_request,
            actor=request.user,
        ):
            messages.success(request, _("Your message is sent."))
            return redirect("programs:request-detail", service_request.pk)
    return render(
        request,
        "programs/request_detail.html",
        {
            "service_request": service_request,
            "thread": concierge_selectors.service_messages(service_request),
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


@login_required
@require_GET
def request_file(request, pk, message_id):
    """Serve a file of a request's thread to its company, and to the staff who handle
    requests (`can_see_request_files`); to anyone else it does not exist."""
    message = (
        ServiceMessage.objects.select_related("request")
        .filter(pk=message_id, request_id=pk)
        .exclude(file="")
        .first()
    )
    if message is None or not concierge_policies.can_see_request_files(
        request.user, message.request
    ):
        raise Http404
    return _serve(message.file, message.original_name, message.content_type)
