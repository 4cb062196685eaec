"""The startup's pages of its company: creating it, joining and leaving it, its documents.

Every company-scoped object is loaded through the signed-in person's own
company, so another company's document is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from companies import member_services, policies, selectors, services
from companies.forms import CompanyForm, CompanyProfileForm
from companies.models import Document, Invitation
from incubator.forms import attach_error
from incubator.portal import startup_view

# The dashboard lists the company with its applications: it is the programs app's page.
DASHBOARD = "programs:dashboard"


@startup_view
def company_create(request):
    if selectors.company_for_user(request.user) is not None:
        return redirect(DASHBOARD)
    if not policies.can_create_company(request.user):
        raise PermissionDenied
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("Your company is created."))
            return redirect(DASHBOARD)
    return render(request, "companies/company_create.html", {"form": form})


@startup_view
@require_http_methods(["GET", "POST"])
def company_edit(request):
    company = selectors.company_for_user(request.user)
    if company is None:
        return redirect(DASHBOARD)  # it offers to create one, or to accept an invitation
    if not policies.can_update_company(request.user, company):
        raise PermissionDenied
    form = CompanyProfileForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_update(company=company, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The company profile is saved."))
            return redirect(DASHBOARD)
    return render(request, "companies/company_edit.html", {"form": form, "company": company})


def invitation_accept(request, token):
    signed = Invitation.token_of_link(token)
    if signed is None:
        raise Http404  # not a link this server made
    invitation = (
        Invitation.objects.select_related("company", "invited_by").filter(token=signed).first()
    )
    if invitation is None:
        # A link this server made, to an invitation revoked or closed since.
        return render(request, "companies/invitation.html", {"gone": True}, status=410)
    if invitation.is_expired():
        # Whoever opens it, signed in or not: its owner sends it again, which renews it.
        context = {
            "invitation": invitation,
            "expired": policies.invitation_expired_words(invitation),
        }
        return render(request, "companies/invitation.html", context, status=410)
    context = {"invitation": invitation}
    if not request.user.is_authenticated:
        # Sign in (or sign up, then confirm) and come back here.
        return render(request, "companies/invitation.html", context)
    if request.user.is_staff:
        return redirect("admin:index")
    status = 200
    if request.method == "POST":
        try:
            member_services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            context["errors"] = error.messages
            status = 400
        else:
            messages.success(
                request,
                _("Welcome to %(company)s.") % {"company": invitation.company.name},
            )
            return redirect(DASHBOARD)
    # Who cannot accept (a member of a company already) reads why, and has no button to press.
    context["refusal"] = policies.invitation_refusal(request.user, invitation)
    return render(request, "companies/invitation.html", context, status=status)


# --- Members -------------------------------------------------------------------------


@startup_view
@require_POST
def member_remove(request):
    company = selectors.company_for_user(request.user)
    if company is None:
        raise Http404
    if not policies.can_invite(request.user, company):
        raise PermissionDenied  # only the owner removes a colleague
    pk = request.POST.get("membership", "")
    if not (pk.isascii() and pk.isdigit()):
        raise BadRequest
    membership = get_object_or_404(company.memberships.select_related("user"), pk=pk)
    try:
        member_services.member_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s is no longer a member of %(company)s; we told them by e-mail.")
            % {"name": membership.user.get_full_name(), "company": company.name},
        )
    return redirect(DASHBOARD)


@startup_view
@require_POST
def member_leave(request):
    membership = getattr(request.user, "membership", None)
    if membership is None:
        raise Http404
    company = membership.company
    try:
        member_services.member_leave(membership=membership, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(DASHBOARD)
    messages.success(request, _("You left %(company)s.") % {"company": company.name})
    return redirect("portal:home")


# --- Documents ------------------------------------------------------------------


@login_required
@require_GET
def document_download(request, pk):
    """Serve a private file to members of its company, and to staff allowed to view documents."""
    company = selectors.company_for_user(request.user)
    if company is not None:
        document = get_object_or_404(Document, pk=pk, company=company)
    elif request.user.is_staff and request.user.has_perm("companies.view_document"):
        document = get_object_or_404(Document, pk=pk)
    else:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
