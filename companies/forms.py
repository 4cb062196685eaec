"""Forms of the startup portal: they check what a person typed, services save it."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from companies import validators
from companies.models import (
    Certification,
    Company,
    Document,
    FundingRound,
    MarketValidation,
    Patent,
)
from incubator.forms import DateInput


def _formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        # People type "example.kr"; assume the secure scheme.
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


# What to do when the number typed is another company's of the portal. A founder's way in is
# an invitation from whoever registered it; a number registered by someone else is for the
# center to sort out (it changes or deletes a company in the admin). Someone of a company
# already (an application's company step) cannot accept another's invitation: only the
# center is left. The portal offers no contact page to link to, so the words name the center.
BRN_TAKEN = _(
    "A company with this business registration number is registered in the portal "
    "already. If it is your company, ask its owner to invite you to it: you then "
    "join it instead of registering it again. If nobody of your company registered "
    "it, contact the center."
)
BRN_TAKEN_BY_ANOTHER = _(
    "Another company in the portal is registered with this business registration number. "
    "Check the number; if it is right, contact the center, which finds out whose it is."
)


class CompanyBrnForm(forms.ModelForm):
    """A company's form whose registration number shows as 124-81-00998 and is stored as its
    10 digits: the portal's company forms, and the admin's change page."""

    # Wider than the stored 10 digits: people type "124-81-00998".
    brn = forms.CharField(
        label=_("business registration number"),
        max_length=20,
        help_text=_("10 digits, e.g. 124-81-00998"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["brn"] = self.instance.brn_display

    def clean_brn(self):
        # Stored without dashes. Checked here, in the portal's words: a number refused here is
        # left out of the model's checks, whose "at most 10 characters" would say it twice.
        number = validators.brn_compact(self.cleaned_data["brn"])
        validators.validate_brn(number)
        return number


class CompanyForm(CompanyBrnForm):
    class Meta:
        model = Company
        formfield_callback = _formfield
        fields = [
            "name_ko",
            "name_zh",
            "name_en",
            "brn",
            "founded_on",
            "sector",
            "description_ko",
            "description_zh",
            "description_en",
            "website",
            "city",
            "employees",
            "speaks_ko",
            "speaks_zh",
            "speaks_en",
            "consent_to_partners",
        ]
        widgets = {
            "founded_on": DateInput(),
            "description_ko": forms.Textarea(attrs={"rows": 4}),
            "description_zh": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A human maximum, checked before the database's (a 19-digit number in its message).
        employees = self.fields["employees"]
        employees.widget.attrs["max"] = validators.EMPLOYEES_MAX
        # The only check: the field's own minimum (and the database's maximum) would say the
        # same range again, in other words.
        employees.validators = [validators.validate_employee_count]

    def add_error(self, field, error):
        super().add_error(field, error)
        # Found by the form's unique check, or by the service's (a company registered with
        # the number a moment ago): what to do next instead of the model's bare "exists".
        taken = self._errors.get("brn")
        if taken and any(found.code == "unique" for found in taken.as_data()):
            words = BRN_TAKEN_BY_ANOTHER if self.instance.pk else BRN_TAKEN
            taken = ValidationError(words, code="unique")
            self._errors["brn"] = self.error_class([taken], renderer=self.renderer)


class CompanyProfileForm(CompanyForm):
    """The profile a member keeps up to date outside an application. The registration
    number, founding date and sector are what screening checks: they change in a draft
    application's first step, or by the center."""

    brn = None

    class Meta(CompanyForm.Meta):
        fields = [
            name for name in CompanyForm.Meta.fields if name not in {"brn", "founded_on", "sector"}
        ]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of your colleague"), max_length=254)
    # Set by "Send it again" next to a pending invitation: the one deliberate resend.
    resend = forms.BooleanField(required=False, widget=forms.HiddenInput)


class PatentForm(forms.ModelForm):
    class Meta:
        model = Patent
        fields = [
            "jurisdiction",
            "kind",
            "status",
            "number",
            "title",
            "applied_on",
            "registered_on",
        ]
        widgets = {"applied_on": DateInput(), "registered_on": DateInput()}
        help_texts = {"registered_on": _("Only for a registered (granted) patent.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The number's example follows the office and status chosen (the page's script
        # swaps it as they change; without it, the page as it was sent).
        jurisdiction = self["jurisdiction"].value() or Patent.Jurisdiction.KR
        status = self["status"].value() or Patent.Status.APPLICATION
        self.fields["number"].help_text = validators.patent_number_help(
            jurisdiction, Patent.number_kind_of(status)
        )
        self.fields["number"].widget.attrs["data-patent-examples"] = json.dumps(
            {
                f"{office}:{status}": validators.patent_number_help(
                    office, Patent.number_kind_of(status)
                )
                for office in Patent.Jurisdiction.values
                for status in Patent.Status.values
            },
            ensure_ascii=False,
        )

    def _check_right(self, data) -> None:
        # 10-2020-0012345 chosen as a utility model: the number says invention patent.
        right = validators.patent_right_of(data["jurisdiction"], data["number"])
        if right and data.get("kind") and right != data["kind"]:
            self.add_error(
                "kind",
                _("Number %(number)s is that of a %(kind)s: choose that kind, or check the number.")
                % {"number": data["number"], "kind": Patent.Kind(right).label.lower()},
            )

    def clean(self):
        data = super().clean()
        jurisdiction, status = data.get("jurisdiction"), data.get("status")
        number = data.get("number")
        if jurisdiction and status and number:
            try:
                data["number"] = validators.normalize_patent_number(
                    jurisdiction, Patent.number_kind_of(status), number
                )
            except ValidationError as error:
                self.add_error("number", error)
            else:
                self._check_right(data)
        if status == Patent.Status.APPLICATION:
            # A date left from an earlier choice of "registered" does not apply.
            data["registered_on"] = None
        applied_on, registered_on = data.get("applied_on"), data.get("registered_on")
        if status == Patent.Status.REGISTERED and not registered_on and "registered_on" in data:
            self.add_error("registered_on", _("A registered patent needs its registration date."))
        if applied_on and registered_on and registered_on < applied_on:
            self.add_error(
                "registered_on",
                _("The registration date cannot be before the application date."),
            )
        return data


class MoneyFormMixin:
    """Amount and currency are checked together: KRW has no decimals, USD and CNY two."""

    amount_required = True

    def clean(self):
        data = super().clean()
        amount, currency = data.get("amount"), data.get("currency")
        if amount is None:
            return data
        if not currency:
            if "currency" not in self.errors:
                self.add_error("currency", _("Choose the currency of the amount."))
            return data
        try:
            validators.validate_money(amount, currency, allow_zero=not self.amount_required)
        except ValidationError as error:
            self.add_error("amount", error)
        return data


class FundingRoundForm(MoneyFormMixin, forms.ModelForm):
    prefix = "funding"

    class Meta:
        model = FundingRound
        fields = ["round_type", "amount", "currency", "investor", "date"]
        widgets = {
            "date": DateInput(),
            "amount": forms.NumberInput(attrs={"min": "0", "step": "any"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = validators.CURRENCY_CHOICES


class MarketValidationForm(MoneyFormMixin, forms.ModelForm):
    prefix = "market"
    amount_required = False

    class Meta:
        model = MarketValidation
        fields = ["kind", "description", "amount", "currency", "date"]
        widgets = {
            "date": DateInput(),
            "amount": forms.NumberInput(attrs={"min": "0", "step": "any"}),
        }
        help_texts = {"amount": _("Optional: revenue or contract value, with its currency.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", "---------"), *validators.CURRENCY_CHOICES]

    def clean(self):
        data = super().clean()
        if data.get("amount") is None and data.get("currency"):
            data["currency"] = ""
        return data


class CertificationForm(forms.ModelForm):
    class Meta:
        model = Certification
        fields = ["kind", "number", "issued_on", "expires_on"]
        widgets = {"issued_on": DateInput(), "expires_on": DateInput()}
        help_texts = {"expires_on": _("Leave empty if it does not expire.")}

    def clean(self):
        data = super().clean()
        issued_on, expires_on = data.get("issued_on"), data.get("expires_on")
        if issued_on and expires_on and expires_on <= issued_on:
            self.add_error("expires_on", _("The expiry date must be after the issue date."))
        return data


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Document.Kind.choices)
    file = forms.FileField(
        label=_("file"),
        help_text=_("PDF, PNG, JPEG, DOCX or XLSX."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"},
        ),
    )
