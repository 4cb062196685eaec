"""Every identifier a page or a message shows as an example passes its own validator.

The examples live in the source text of the catalogues (help texts, format messages):
each string that looks like a business registration number, a credit code or a Korean
patent number is checked, in English and in both translations.
"""

import re
from pathlib import Path

import polib
import pytest

from companies import validators

LOCALE = Path(__file__).resolve().parents[2] / "locale"
BRN_LIKE = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{5}(?![\d-])")
USCC_LIKE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-Z]{10}(?![0-9A-Z])")
KR_PATENT_LIKE = re.compile(r"(?<![\d-])(?:10|20|30)-(?:\d{4}-\d{7}|\d{7})(?![\d-])")


@pytest.mark.parametrize("locale", ["ko", "zh_Hans"])
def test_every_example_in_the_catalogues_passes_its_validator(locale):
    catalogue = polib.pofile(LOCALE / locale / "LC_MESSAGES" / "django.po")
    wrong = []
    for entry in catalogue:
        for text in (entry.msgid, entry.msgstr):
            wrong += [n for n in BRN_LIKE.findall(text) if not validators.brn_is_valid(n)]
            wrong += [c for c in USCC_LIKE.findall(text) if not validators.uscc_is_valid(c)]
            for number in KR_PATENT_LIKE.findall(text):
                kind = "application" if number.count("-") == 2 else "registration"
                try:
                    validators.validate_patent_number("KR", kind, number)
                except validators.ValidationError:
                    wrong.append(number)
    assert wrong == []
