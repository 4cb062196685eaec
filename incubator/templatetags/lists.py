"""A few words in a row, written as the page's language writes them.

{{ listing.deal_kinds_display|joined }}   许可、联合开发 in Chinese; "Licensing, Joint
                                          development" in English and Korean

Chinese separates the items of a list with the enumeration comma "、"; an ASCII comma
between Chinese words reads as a typing slip. Python callers (an admin column, a help
text) use `join_words`.
"""

from django import template
from django.utils.translation import get_language

register = template.Library()

SEPARATORS = {"zh": "、"}
DEFAULT_SEPARATOR = ", "


def list_separator(language: str | None = None) -> str:
    """Return the separator of list items in `language` (the active one when not given)."""
    code = (language or get_language() or "").lower()
    return SEPARATORS.get(code.split("-")[0], DEFAULT_SEPARATOR)


def join_words(items, language: str | None = None) -> str:
    """Join `items` (strings or lazy strings) with the language's list separator."""
    return list_separator(language).join(str(item) for item in items)


@register.filter
def joined(items):
    return join_words(items or ())
