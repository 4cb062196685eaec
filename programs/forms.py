"""Forms of the journey: they check what a person typed, services save it."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from companies import validators
from incubator.forms import DateInput
from programs import stages
from programs.models import LocalEntity, QuarterlyReport, ServiceRequest

FILE_HELP = _("PDF, PNG, JPEG, DOCX or XLSX.")
FILE_ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"


def _file_field(label=None, required=False):
    return forms.FileField(
        label=label or _("file"),
        required=required,
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
    )


def _money_error(form, amount_field, currency_field, allow_zero=False):
    amount, currency = form.cleaned_data.get(amount_field), form.cleaned_data.get(currency_field)
    if amount is None or not currency:
        return
    try:
        validators.validate_money(amount, currency, allow_zero=allow_zero)
    except ValidationError as error:
        form.add_error(amount_field, error)


class MilestoneDoneForm(forms.Form):
    evidence = forms.CharField(
        label=_("evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, when, with which document."),
    )
    file = _file_field(_("evidence file (optional)"))


class LocalEntityForm(forms.ModelForm):
    # Wider than the stored 18 characters: people paste "9111 0108 5513 8508 2Q".
    uscc = forms.CharField(
        label=_("unified social credit code"),
        max_length=30,
        help_text=_("18 characters, e.g. 91110108551385082Q"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    class Meta:
        model = LocalEntity
        fields = [
            "name_zh",
            "uscc",
            "registered_on",
            "city",
            "registered_capital",
            "capital_currency",
        ]
        widgets = {
            "registered_on": DateInput(),
            "registered_capital": forms.NumberInput(attrs={"min": "0", "step": "any"}),
        }

    def clean_uscc(self):
        # Stored compact and in capitals; the model's validator checks the characters.
        return validators.uscc_compact(self.cleaned_data["uscc"])

    def clean(self):
        data = super().clean()
        _money_error(self, "registered_capital", "capital_currency")
        return data


class ServiceRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind of service"), choices=ServiceRequest.Kind.choices)
    subject = forms.CharField(label=_("subject"), max_length=200)
    body = forms.CharField(
        label=_("what you need"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Write in Korean, Chinese or English; the center answers in your language."),
    )
    file = _file_field()


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("message"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    file = _file_field()

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("file") and not self.errors:
            raise ValidationError(_("Write a message or attach a file."))
        return data


class FundApplicationForm(forms.Form):
    amount_requested = forms.DecimalField(
        label=_("amount requested"),
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": "0", "step": "any"}),
    )
    purpose = forms.CharField(
        label=_("what the money is for"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount_requested"].help_text = _("In %(currency)s.") % {"currency": currency}

    def clean(self):
        data = super().clean()
        amount = data.get("amount_requested")
        if amount is not None:
            try:
                validators.validate_money(amount, self.currency)
            except ValidationError as error:
                self.add_error("amount_requested", error)
        return data


class QuarterlyReportForm(forms.ModelForm):
    # Any "year-quarter" is taken: the service explains why one cannot be reported.
    period = forms.CharField(label=_("quarter"), widget=forms.Select)

    class Meta:
        model = QuarterlyReport
        fields = [
            "revenue",
            "revenue_currency",
            "employees_china",
            "employees_korea",
            "funding_raised",
            "funding_currency",
            "customers_china",
        ]
        widgets = {
            "revenue": forms.NumberInput(attrs={"min": "0", "step": "any"}),
            "funding_raised": forms.NumberInput(attrs={"min": "0", "step": "any"}),
        }
        help_texts = {"funding_raised": _("0 if the company raised nothing in the quarter.")}

    field_order = ["period"]

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].widget.choices = [(f"{q.year}-{q.quarter}", str(q)) for q in quarters]
        if quarters and not self.is_bound:
            self.initial["period"] = f"{quarters[-1].year}-{quarters[-1].quarter}"

    def clean_period(self):
        match = re.fullmatch(r"(\d{4})-([1-4])", self.cleaned_data["period"].strip())
        if not match:
            raise ValidationError(_("Choose a quarter."))
        return stages.Quarter(int(match[1]), int(match[2]))

    def clean(self):
        data = super().clean()
        _money_error(self, "revenue", "revenue_currency", allow_zero=True)
        _money_error(self, "funding_raised", "funding_currency", allow_zero=True)
        return data

    def _post_clean(self):
        # The service checks the quarter and the company, which the model's constraints
        # need; each column's own limits (a count past the integer range) are checked here.
        self.instance = construct_instance(self, self.instance, self._meta.fields)
        try:
            self.instance.clean_fields(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(error)
