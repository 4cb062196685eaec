from django import template

from companies import validators

register = template.Library()


@register.filter
def money(amount, currency):
    """Show an amount with its currency: {{ round.amount|money:round.currency }}."""
    if amount is None:
        return ""
    return validators.format_money(amount, currency)


@register.filter
def expired(certification) -> bool:
    """Whether a certification has expired: {% if entry|expired %}."""
    return validators.certification_expired(certification.expires_on)
