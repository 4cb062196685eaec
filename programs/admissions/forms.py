"""The application wizard's forms; the evidence forms are the companies app's."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.admissions.models import (
    MARKET_FIT_MAX_LENGTH,
    Application,
    too_long,
)


class StepActionForm(forms.Form):
    """The wizard's buttons: "continue" to the next step, "save" or "submit" on the review."""

    action = forms.ChoiceField(
        choices=[("continue", "continue"), ("save", "save"), ("submit", "submit")], required=False
    )


class EvidenceSectionForm(forms.Form):
    """Which of a step's evidence forms was sent: its hidden "form" field."""

    form = forms.ChoiceField(required=False)

    def __init__(self, *args, keys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [(key, key) for key in keys]


class MarketFitForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["market_fit"]
        widgets = {"market_fit": forms.Textarea(attrs={"rows": 6, "data-counter": ""})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["market_fit"].widget.attrs["maxlength"] = MARKET_FIT_MAX_LENGTH

    def clean_market_fit(self):
        # A browser counts a line break as one character and sends it as two (\r\n).
        text = self.cleaned_data["market_fit"].replace("\r\n", "\n")
        if len(text) > MARKET_FIT_MAX_LENGTH:
            raise ValidationError(too_long(text, MARKET_FIT_MAX_LENGTH))
        return text


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you withdraw (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The center reads it; it helps us improve the programs."),
    )
