"""The staff side of the technology exchange: the review of listings, the inquiries and the
interests of partners (read only: startups and partners write them in the portal and the API).

Approving and rejecting go through `companies.exchange.services` on the review page; nobody
changes a listing's text here.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from companies import selectors as company_selectors
from companies.exchange import policies, services
from companies.exchange.models import PartnerInterest, TechnologyInquiry, TechnologyListing
from incubator.admin_mixins import ActionPages, ReadOnlyAdmin, ReadOnlyInline, call_service
from incubator.forms import reason_field
from incubator.multilingual import translated_names
from incubator.templatetags.lists import join_words

COMPANY_NAMES = [f"company__{name}" for name in translated_names("name")]


class ReviewForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(
        label=_("decision"),
        widget=forms.RadioSelect,
        choices=[(APPROVE, _("approve: partners see it")), (REJECT, _("reject"))],
    )
    reason = reason_field(_("The company reads it; required to reject."), required=False)

    def __init__(self, *args, listing: TechnologyListing, **kwargs):
        super().__init__(*args, **kwargs)
        if not listing.company.consent_to_partners:
            self.fields["decision"].choices = [
                (
                    self.APPROVE,
                    _("approve: hidden from partners until the company agrees to be shown"),
                ),
                (self.REJECT, _("reject")),
            ]
        self.fields["reason"].help_text = readers_help(
            self.fields["reason"].help_text, listing.company_id
        )


def readers_help(help_text, company_id: int) -> str:
    """Add to the reason's help text the languages the company's people read: the reason
    reaches them as it is written, in their e-mail and on their listing's page."""
    codes = company_selectors.member_languages([company_id]).get(company_id, [])
    if not codes:
        note = ngettext(
            "The company has no portal account: no one receives this reason by e-mail.",
            "These companies have no portal account: no one receives this reason by e-mail.",
            1,
        )
    else:
        names = dict(settings.LANGUAGES)
        note = gettext(
            "Recipients' languages: %(languages)s. Write the reason in a language they all "
            "read, or in each of them."
        ) % {"languages": join_words(names.get(code, code) for code in codes)}
    return f"{help_text} {note}"


class InquiryInline(ReadOnlyInline):
    model = TechnologyInquiry
    show_change_link = True
    fields = ["organisation", "person", "status", "accepted", "created_at", "answered_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("listing", "organisation", "person__user", "person__organisation")
        )


REVIEW_FIELDS = [
    "submitted_at",
    "review_reason",
    "reviewed_by",
    "reviewed_at",
    "created_by",
    "created_at",
    "updated_at",
]


@admin.register(TechnologyListing)
class TechnologyListingAdmin(ActionPages, admin.ModelAdmin):
    list_display = [
        "title_display",
        "company",
        "deals",
        "jurisdiction",
        "sector",
        "status",
        "submitted_at",
        "reviewed_by",
    ]
    list_select_related = ["company", "reviewed_by"]
    list_filter = [
        "status",
        "jurisdiction",
        "sector",
        "offers_license",
        "offers_transfer",
        "offers_joint_development",
    ]
    search_fields = [*translated_names("title"), *COMPANY_NAMES]
    actions = None
    fieldsets = [
        (None, {"fields": ["company", "patent", "status", "deals", "jurisdiction", "sector"]}),
        (_("Title"), {"fields": translated_names("title")}),
        (_("Summary"), {"fields": translated_names("summary")}),
        (_("Terms"), {"fields": translated_names("terms")}),
        (
            _("Review"),
            {"fields": REVIEW_FIELDS},
        ),
    ]
    readonly_fields = [
        "company",
        "patent",
        "status",
        "deals",
        "jurisdiction",
        "sector",
        *translated_names("title"),
        *translated_names("summary"),
        *translated_names("terms"),
        *REVIEW_FIELDS,
    ]
    inlines = [InquiryInline]

    def has_add_permission(self, request):
        return False  # startups write their listings in the portal

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("title"), ordering="title_ko")
    def title_display(self, listing):
        return listing.title

    @admin.display(description=_("kind of deal"))
    def deals(self, listing):
        return join_words(listing.deal_kinds_display())

    # The listing is the startup's text: staff review it on its review page, and change
    # nothing else of it.
    def has_change_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_review": policies.can_review_listing(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="companies_technologylisting_review",
            )
        ] + super().get_urls()

    def review_view(self, request, object_id):
        listing = self.action_object(
            request,
            object_id,
            allowed=lambda request, obj: policies.can_review_listing(request.user, obj),
        )
        under_review = listing.status == TechnologyListing.Status.SUBMITTED
        form = ReviewForm(request.POST or None, listing=listing) if under_review else None
        if request.method == "POST":
            if form is None:
                self.message_user(
                    request, gettext("Only a submitted listing is reviewed."), messages.WARNING
                )
                return HttpResponseRedirect(request.path)
            if form.is_valid():
                approve = form.cleaned_data["decision"] == ReviewForm.APPROVE
                done = call_service(
                    form,
                    services.listing_approve if approve else services.listing_reject,
                    listing=listing,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
                if done:
                    if not approve:
                        said = gettext("The listing is rejected; the company is told why.")
                    elif listing.company.consent_to_partners:
                        said = gettext("The listing is approved: partners see it.")
                    else:
                        said = gettext(
                            "The listing is approved. Partners do not see it until the company "
                            "agrees to be shown to them; the company is told so."
                        )
                    return self.action_done(request, listing, said)
        return self.action_page(
            request,
            listing,
            title=gettext("Review %(listing)s") % {"listing": listing},
            template="admin/companies/technologylisting/review.html",
            form=form,
            submit_label=gettext("Record the review"),
        )


@admin.register(TechnologyInquiry)
class TechnologyInquiryAdmin(ReadOnlyAdmin):
    list_display = ["listing", "organisation", "person", "status", "accepted", "created_at"]
    list_select_related = ["listing", "organisation", "person__user", "person__organisation"]
    list_filter = ["status", "accepted", "organisation"]
    search_fields = [*(f"listing__{name}" for name in translated_names("title")), "message"]
    fields = [
        "listing",
        "organisation",
        "person",
        "message",
        "status",
        "answer",
        "accepted",
        "answered_by",
        "answered_at",
        "created_at",
    ]
    readonly_fields = fields


@admin.register(PartnerInterest)
class PartnerInterestAdmin(ReadOnlyAdmin):
    list_display = ["company", "organisation", "person", "marked_at", "withdrawn_at"]
    list_select_related = ["company", "organisation", "person__user", "person__organisation"]
    list_filter = [("withdrawn_at", admin.EmptyFieldListFilter), "organisation"]
    search_fields = COMPANY_NAMES
    fields = ["company", "organisation", "person", "note", "marked_at", "withdrawn_at"]
    readonly_fields = fields
