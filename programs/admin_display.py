"""Small display helpers of the programs admin pages."""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from companies import validators


def money_or_dash(amount, currency) -> str:
    return validators.format_money(amount, currency) if amount is not None else "—"


def overdue(text: str, is_overdue: bool):
    if is_overdue:
        return format_html('<span class="overdue" title="{}">{}</span>', _("overdue"), text)
    return text
