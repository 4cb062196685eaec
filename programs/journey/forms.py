"""The journey's portal forms: a milestone done, the local entity, a quarterly report."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from companies import validators
from incubator import times
from incubator.forms import DateInput
from programs import stages
from programs.forms import _file_field, _money_error
from programs.journey import services as journey_services
from programs.models import LocalEntity, QuarterlyReport


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
        self.fields["period"].widget.choices = [
            (f"{q.year}-{q.quarter}", times.quarter(q.year, q.quarter)) for q in quarters
        ]
        # Nothing raised in the quarter needs no currency: the revenue's is kept.
        self.fields["funding_currency"].required = False
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
        # The service's limits, checked here too: past the column's range the model would
        # name a figure such as 2147483647 instead of the limit.
        counts = {
            field: data[field]
            for field in journey_services.REPORT_COUNT_LIMITS
            if data.get(field) is not None
        }
        for field, message in journey_services.report_count_errors(counts).items():
            self.add_error(field, message)
        if not data.get("funding_currency") and data.get("funding_raised") is not None:
            if data["funding_raised"]:
                self.add_error("funding_currency", _("Choose the currency of the funding."))
            else:
                data["funding_currency"] = data.get("revenue_currency") or "CNY"
        return data

    def _post_clean(self):
        # The service checks the quarter and the company, which the model's constraints
        # need; each column's own limits (a count past the integer range) are checked here.
        self.instance = construct_instance(self, self.instance, self._meta.fields)
        try:
            self.instance.clean_fields(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(error)
