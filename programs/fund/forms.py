"""The support fund's portal form: applying to a call."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from companies import validators
from programs.fund.models import PURPOSE_MAX_LENGTH


class FundApplicationForm(forms.Form):
    amount_requested = forms.DecimalField(
        label=_("amount requested"),
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": "0", "step": "any"}),
    )
    purpose = forms.CharField(
        label=_("what the money is for"),
        max_length=PURPOSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
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
