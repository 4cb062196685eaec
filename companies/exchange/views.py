"""The technology exchange in the portal.

A startup's member lists the company's listings, reads each in any state, writes and
submits them, withdraws them (for good: a withdrawn one is copied into a new draft), and
answers the inquiries about them; every object is loaded through the member's own
company, so another company's is a 404. A partner person browses the approved listings of
consenting companies, asks about one, and sees the organisation's inquiries; anyone else
gets a 404 on the partner pages.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from companies import selectors as company_selectors
from companies.exchange import partner_services, policies, selectors, services
from companies.exchange.forms import (
    AnswerForm,
    InquiryForm,
    InterestForm,
    ListingFilterForm,
    ListingForm,
)
from companies.exchange.models import TechnologyInquiry, TechnologyListing
from incubator.forms import attach_error
from incubator.portal import startup_view

LIST = "companies:listing-list"
PAGE_SIZE = 20


def _own_company(request):
    company = company_selectors.company_for_user(request.user)
    if company is None:
        raise Http404
    return company


def _own_listing(request, pk: int) -> TechnologyListing:
    try:
        return selectors.listing_of_company(_own_company(request), pk)
    except TechnologyListing.DoesNotExist:
        raise Http404 from None


def _show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def partner_view(view):
    """Sign-in required; staff go to the admin; only a partner organisation's people enter."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_staff:
            return redirect("admin:index")
        person = policies.partner_person_of(request.user)
        if person is None:
            raise Http404
        return view(request, person, *args, **kwargs)

    return wrapper


# --- The startup's listings -----------------------------------------------------------------


@startup_view
@require_GET
def listing_list(request):
    company = _own_company(request)
    inquiries = selectors.inquiries_of_company(company)
    return render(
        request,
        "companies/exchange/listing_list.html",
        {
            "company": company,
            "listings": list(selectors.listings_of_company(company)),
            "open_inquiries": inquiries.filter(status=TechnologyInquiry.Status.SENT).count(),
            "interests": list(selectors.interests_in_company(company))
            if company.consent_to_partners
            else [],
        },
    )


@startup_view
@require_GET
def listing_detail(request, pk):
    """The startup's own listing as the center reviews it and partners read it, in any state."""
    company = _own_company(request)
    try:
        listing = selectors.listings_of_company(company).get(pk=pk)
    except TechnologyListing.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "companies/exchange/own_listing_detail.html",
        {"company": company, "listing": listing, "texts": _texts_by_language(listing)},
    )


def _texts_by_language(listing: TechnologyListing) -> list[dict]:
    """Return the listing's title, summary and terms in each language it is written in."""
    found = []
    for code, language in settings.LANGUAGES:
        suffix = code.split("-")[0]  # zh-hans: the columns end in _zh
        texts = {
            name: getattr(listing, f"{name}_{suffix}") for name in ("title", "summary", "terms")
        }
        if any(texts.values()):
            found.append({"code": code, "language": language, **texts})
    return found


def _listing_form_page(request, company, listing=None):
    form = ListingForm(request.POST or None, company=company, instance=listing)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in ListingForm.Meta.fields}
            try:
                if listing is None:
                    services.listing_create(actor=request.user, company=company, **fields)
                else:
                    services.listing_update(actor=request.user, listing=listing, **fields)
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(
                    request,
                    _("The listing is saved as a draft. Submit it when it is ready for review.")
                    if listing is None
                    else _("The listing is saved."),
                )
                return redirect(LIST)
    return render(
        request,
        "companies/exchange/listing_form.html",
        {"company": company, "form": form, "listing": listing},
        status=status,
    )


@startup_view
def listing_create(request):
    company = _own_company(request)
    return _listing_form_page(request, company)


@startup_view
def listing_edit(request, pk):
    listing = _own_listing(request, pk)
    if not listing.is_editable:
        messages.error(
            request,
            _("A listing that is %(status)s cannot be changed.")
            % {"status": listing.get_status_display()},
        )
        return redirect(LIST)
    return _listing_form_page(request, listing.company, listing)


@startup_view
@require_POST
def listing_submit(request, pk):
    listing = _own_listing(request, pk)
    try:
        services.listing_submit(actor=request.user, listing=listing)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The listing is sent to the center for review."))
    return redirect(LIST)


@startup_view
@require_POST
def listing_withdraw(request, pk):
    listing = _own_listing(request, pk)
    was_shown = listing.status == TechnologyListing.Status.APPROVED
    try:
        services.listing_withdraw(actor=request.user, listing=listing)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(
            request,
            _("The listing is withdrawn: partners no longer see it.")
            if was_shown  # a draft or one under review: partners never saw it
            else _("The listing is withdrawn."),
        )
    return redirect(LIST)


@startup_view
@require_POST
def listing_copy(request, pk):
    listing = _own_listing(request, pk)
    try:
        copy = services.listing_copy(actor=request.user, listing=listing)
    except ValidationError as error:
        _show_errors(request, error)
        return redirect(LIST)
    messages.success(
        request,
        _("A new draft is made from the withdrawn listing. Change it and submit it for review."),
    )
    return redirect("companies:listing-edit", pk=copy.pk)


# --- The inquiries a startup received ---------------------------------------------------------


@startup_view
@require_GET
def inquiry_list(request):
    company = _own_company(request)
    return render(
        request,
        "companies/exchange/inquiry_list.html",
        {"company": company, "inquiries": list(selectors.inquiries_of_company(company))},
    )


@startup_view
def inquiry_detail(request, pk):
    company = _own_company(request)
    try:
        inquiry = selectors.inquiries_of_company(company).get(pk=pk)
    except TechnologyInquiry.DoesNotExist:
        raise Http404 from None
    answerable = inquiry.status == TechnologyInquiry.Status.SENT
    form = AnswerForm(request.POST or None) if answerable else None
    status = 200
    if request.method == "POST":
        if form is None:
            messages.error(request, _("This inquiry was answered already."))
            return redirect("companies:inquiry-detail", pk=inquiry.pk)
        status = 400
        if form.is_valid():
            try:
                partner_services.inquiry_answer(
                    actor=request.user,
                    inquiry=inquiry,
                    answer=form.cleaned_data["answer"],
                    accept=form.cleaned_data["decision"] == AnswerForm.ACCEPT,
                )
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(request, _("Your answer is sent to the partner."))
                return redirect("companies:inquiry-list")
    return render(
        request,
        "companies/exchange/inquiry_detail.html",
        {"company": company, "inquiry": inquiry, "form": form},
        status=status,
    )


# --- Partners: browse, ask, follow ------------------------------------------------------------


@partner_view
@require_GET
def exchange_browse(request, person):
    form = ListingFilterForm(request.GET or None)
    # An invalid field is shown with its error; the valid ones still filter (cleaned_data
    # holds only those): a wrong search never answers with every listing.
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    listings = selectors.listings_for_partners(**filters)
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "companies/exchange/browse.html",
        {"form": form, "page": page, "query": query.urlencode(), "person": person},
    )


def _partner_listing(pk: int) -> TechnologyListing:
    try:
        return selectors.listing_for_partners(pk)
    except TechnologyListing.DoesNotExist:
        raise Http404 from None


@partner_view
def exchange_listing(request, person, pk):
    listing = _partner_listing(pk)
    form = InquiryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                partner_services.inquiry_send(
                    actor=request.user, listing=listing, message=form.cleaned_data["message"]
                )
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(
                    request, _("Your inquiry is sent to the company and to the center.")
                )
                return redirect("companies:exchange-inquiries")
    return _listing_page(request, person, listing, form=form, status=status)


def _listing_page(request, person, listing, *, form=None, interest_form=None, status=200):
    open_inquiry = (
        selectors.inquiries_of_organisation(person.organisation_id)
        .filter(listing=listing, status=TechnologyInquiry.Status.SENT)
        .first()
    )
    interest = (
        selectors.interests_of_organisation(person.organisation_id)
        .filter(company_id=listing.company_id)
        .first()
    )
    context = {
        "listing": listing,
        "form": form or InquiryForm(),
        "open_inquiry": open_inquiry,
        "interest": interest,
        "interest_form": interest_form or InterestForm(),
        "person": person,
    }
    return render(request, "companies/exchange/listing_detail.html", context, status=status)


@partner_view
@require_POST
def exchange_interest(request, person, pk):
    """Mark, or withdraw, the organisation's interest in the company of a listing."""
    listing = _partner_listing(pk)
    form = InterestForm(request.POST)
    withdraw = "withdraw" in request.POST
    if withdraw or form.is_valid():
        try:
            if withdraw:
                partner_services.interest_withdraw(actor=request.user, company=listing.company)
                said = _("Your organisation's interest in %(company)s is withdrawn.")
            else:
                partner_services.interest_mark(
                    actor=request.user, company=listing.company, note=form.cleaned_data["note"]
                )
                said = _("%(company)s and the center are told of your organisation's interest.")
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, said % {"company": listing.company.name})
            return redirect("companies:exchange-listing", listing.pk)
    return _listing_page(request, person, listing, interest_form=form, status=400)


@partner_view
@require_GET
def exchange_inquiries(request, person):
    inquiries = list(selectors.inquiries_of_organisation(person.organisation_id))
    # An accepted inquiry opens the company's contacts to the organisation: the page shows
    # them under each accepted inquiry, as the partner API's company detail does.
    contacts = selectors.partner_contacts(
        policies.companies_with_contacts_open_to(person.organisation_id)
    )
    for inquiry in inquiries:
        inquiry.contacts = contacts.get(inquiry.listing.company_id, []) if inquiry.accepted else []
    return render(
        request,
        "companies/exchange/organisation_inquiries.html",
        {
            "person": person,
            "organisation": person.organisation,
            "inquiries": inquiries,
            "interests": selectors.interests_of_organisation(person.organisation_id),
        },
    )
