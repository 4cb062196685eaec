"""What the portal forms of the programs rooms share: the file field and the money check."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from companies import validators

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
