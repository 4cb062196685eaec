"""Forms of the technology exchange's portal pages: they check what a person typed, the
services save it."""

from django import forms
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from companies.exchange.models import (
    DEAL_FIELDS,
    DealKind,
    Jurisdiction,
    PartnerInterest,
    TechnologyInquiry,
    TechnologyListing,
)
from companies.exchange.services import LISTING_FIELDS
from companies.models import Sector

TEXTAREA = forms.Textarea(attrs={"rows": 4})
ANY = capfirst(_("any"))


class ListingForm(forms.ModelForm):
    """A startup's listing; the patent is one of the company's own."""

    class Meta:
        model = TechnologyListing
        fields = list(LISTING_FIELDS)
        widgets = {
            **{f"summary_{suffix}": TEXTAREA for suffix in ("ko", "zh", "en")},
            **{f"terms_{suffix}": TEXTAREA for suffix in ("ko", "zh", "en")},
        }
        help_texts = {
            "jurisdiction": _("Taken from the patent when you choose one."),
            "terms_ko": _(
                "What you offer and on which conditions: royalties, price, exclusivity, "
                "territory, what a joint development needs from the partner."
            ),
        }

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patent"].queryset = company.patents.order_by("-applied_on", "pk")
        self.fields["patent"].empty_label = _("No patent: a know-how package")
        # Three checkboxes in a row read as three unrelated yes-or-noes: each says it is a
        # way the technology is offered, as the list's column calls it.
        for field in DEAL_FIELDS.values():
            self.fields[field].label = format_lazy("{}: {}", _("Offer"), self.fields[field].label)
        if not self.instance.pk:
            self.initial.setdefault("sector", company.sector)
        # The model's constraints name the company; the form's listing has it before saving.
        self.instance.company = company


# The labels below are lower-case msgids, as the models' verbose names are: capfirst does
# for them what a model form does for its fields (in English: "Search", not "search").
class InquiryForm(forms.Form):
    message = forms.CharField(
        label=capfirst(_("your question to the company")),
        # The model's limit, which the partner API keeps too.
        max_length=TechnologyInquiry._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Say who you are, what you would like to do with the technology, and where. "
            "The company and the center read it."
        ),
    )


class AnswerForm(forms.Form):
    ACCEPT, DECLINE = "accept", "decline"

    decision = forms.ChoiceField(
        label=capfirst(_("your decision")),
        widget=forms.RadioSelect,
        choices=[
            (ACCEPT, _("Accept: the partner may see our contact details and talk with us")),
            (DECLINE, _("Decline")),
        ],
    )
    answer = forms.CharField(
        label=capfirst(_("your answer")), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )


class ListingFilterForm(forms.Form):
    """What partners search the approved listings by (all optional)."""

    text = forms.CharField(label=capfirst(_("search")), max_length=100, required=False)
    deal_kind = forms.ChoiceField(
        label=capfirst(_("kind of deal")), choices=[("", ANY)] + DealKind.choices, required=False
    )
    jurisdiction = forms.ChoiceField(
        label=capfirst(_("jurisdiction")),
        choices=[("", ANY)] + Jurisdiction.choices,
        required=False,
    )
    sector = forms.ChoiceField(
        label=capfirst(_("sector")), choices=[("", ANY)] + Sector.choices, required=False
    )


class InterestForm(forms.Form):
    note = forms.CharField(
        label=capfirst(_("note for the company and the center")),
        required=False,
        max_length=PartnerInterest._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what draws your organisation to the company."),
    )
