"""Texts kept in Korean, Chinese and English: one declaration adds the three columns.

    class Event(models.Model):
        title = TranslatedText(_("title"), max_length=200, required=True)
        description = TranslatedText(_("description"), text=True)

gives the columns `title_ko`, `title_zh`, `title_en` (all optional in forms), a
`title` property in the reader's language with one fallback everywhere, and
with `required` a check constraint that at least one language is filled.
"""

from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Column suffix -> the language's name in a label; also the order the columns come in.
LANGUAGES = {"ko": _("Korean"), "zh": _("Chinese"), "en": _("English")}
# The reader's language code (as Django names it) -> column suffix.
SUFFIX_OF = {"ko": "ko", "zh-hans": "zh", "zh": "zh", "en": "en"}
# When the reader's language is empty: English, which most readers of either country read,
# before the other country's language; then Korean (the center's founders), then Chinese.
FALLBACK = ("en", "ko", "zh")


def localized(obj, field: str, language: str | None = None) -> str:
    """Return obj.<field>_<language>, falling back to English, then Korean, then Chinese."""
    code = (language or get_language() or "ko").lower()
    first = SUFFIX_OF.get(code, SUFFIX_OF.get(code.split("-")[0], "ko"))
    for suffix in (first, *FALLBACK):
        value = getattr(obj, f"{field}_{suffix}", "")
        if value:
            return value
    return ""


def one_language_filled(field: str) -> Q:
    return ~Q(**{f"{field}_ko": ""}) | ~Q(**{f"{field}_zh": ""}) | ~Q(**{f"{field}_en": ""})


class TranslatedText:
    """Add `<name>_ko`, `<name>_zh`, `<name>_en` and the `<name>` property to a model."""

    def __init__(
        self,
        label,
        *,
        max_length: int | None = None,
        text: bool = False,
        required: bool = False,
        constraint_name: str | None = None,
    ):
        if not text and max_length is None:
            raise TypeError("A one-line translated text needs max_length.")
        self.label, self.max_length, self.text = label, max_length, text
        self.required, self.constraint_name = required, constraint_name

    def columns(self) -> list[tuple[str, models.Field]]:
        columns = []
        for suffix, language in LANGUAGES.items():
            label = format_lazy("{} ({})", self.label, language)
            if self.text:
                field = models.TextField(label, blank=True)
            else:
                field = models.CharField(label, max_length=self.max_length, blank=True)
            columns.append((suffix, field))
        return columns

    def contribute_to_class(self, cls, name):
        # Django calls this for any class attribute that has it, as for a field.
        for suffix, field in self.columns():
            cls.add_to_class(f"{name}_{suffix}", field)

        def in_readers_language(obj):
            return localized(obj, name)

        # The admin's column header when a list shows the property.
        in_readers_language.short_description = self.label
        setattr(cls, name, property(in_readers_language))
        if self.required and not cls._meta.abstract:
            label = self.label
            cls._meta.constraints.append(
                models.CheckConstraint(
                    condition=one_language_filled(name),
                    name=self.constraint_name or f"{cls._meta.model_name}_has_{name}",
                    violation_error_message=format_lazy(
                        _("Give the {} in at least one language."), label
                    ),
                )
            )
        cls._meta.original_attrs.setdefault("constraints", cls._meta.constraints)


def translated_names(field: str) -> list[str]:
    """Return the three column names of a translated text, e.g. for admin search fields."""
    return [f"{field}_{suffix}" for suffix in LANGUAGES]
