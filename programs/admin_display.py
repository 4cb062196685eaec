"""Small display helpers of the programs admin pages."""

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from companies import selectors as company_selectors
from companies import validators


def money_or_dash(amount, currency) -> str:
    return validators.format_money(amount, currency) if amount is not None else "—"


def overdue(text: str, is_overdue: bool):
    if is_overdue:
        return format_html('<span class="overdue" title="{}">{}</span>', _("overdue"), text)
    return text


def readers_help(help_text, company_ids, *, asks: bool = False) -> str:
    """Add to a decision reason's help text (or, `asks`, a request for more information's)
    the languages the companies' people read.

    The text reaches them as it is written, in their e-mail and on their pages: the
    officer chooses its language (or writes it in several).
    """
    company_ids = list(company_ids)
    found = company_selectors.member_languages(company_ids).values()
    codes = [code for code, _name in settings.LANGUAGES if any(code in c for c in found)]
    if not codes and asks:
        note = gettext(
            "The company has no portal account: nobody could answer this request, so the "
            "application cannot be returned. Ask by e-mail or telephone, then decide."
        )
    elif not codes:
        note = ngettext(
            "The company has no portal account: no one receives this reason by e-mail.",
            "These companies have no portal account: no one receives this reason by e-mail.",
            len(company_ids),
        )
    elif asks:
        note = gettext(
            "Recipients' languages: %(languages)s. Write the request in a language they all "
            "read, or in each of them."
        ) % {"languages": language_names(codes)}
    else:
        note = gettext(
            "Recipients' languages: %(languages)s. Write the reason in a language they all "
            "read, or in each of them."
        ) % {"languages": language_names(codes)}
    return f"{help_text} {note}"


def language_names(codes) -> str:
    """Name languages in the active language: "Korean, Simplified Chinese"."""
    names = dict(settings.LANGUAGES)
    return ", ".join(str(names.get(code, code)) for code in codes)
