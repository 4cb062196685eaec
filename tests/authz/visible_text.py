"""What a reader sees on a page, and the English words left in it.

Shared by the tests that read every admin page and every portal page in Korean and in
Chinese (tests/authz/test_admin_in_korean_and_chinese.py, test_portal_in_korean_and_chinese.py).
A page is read as a person reads it: the text and the labels of its controls, without
scripts, styles and what people typed (the world's data, e-mail addresses, links). What is
left must hold no ASCII word of three letters or more, except the proper nouns and codes
of ALLOWED.
"""

import json
import re
import zoneinfo
from collections import defaultdict
from html.parser import HTMLParser

from django.apps import apps
from django.db import models

# Proper nouns and codes a Korean or Chinese page rightly shows in Latin letters.
ALLOWED = {
    # Each language's own name in the switcher.
    "English",
    # Currencies, file formats, protocols, standards, patent offices, certifications.
    *("KRW", "CNY", "USD", "CSV", "XLSX", "PDF", "ICS", "API", "KPI", "URL", "HTTP", "HTTPS"),
    *("DOCX", "PNG", "JPEG", "ics"),  # "PDF, PNG, JPEG, DOCX or XLSX"; a calendar's ".ics"
    *("https", "JSON", "HMAC", "SHA", "GET", "POST", "SMTP", "CRM", "LDAP", "AMQP", "Webhook"),
    *("KIPO", "CNIPA", "EPO", "PCT", "TIPS", "INNOBIZ", "MAIN-BIZ", "ISO", "BRN", "USCC"),
    # Zone abbreviations next to every time.
    *("KST", "CST", "UTC", "GMT"),
    # Software and keys the screens name ("Single Sign-On", the "Control" key on a "Mac").
    *("Celery", "Crontab", "RabbitMQ", "Redis", "Single", "Sign-On", "Control", "Command", "Mac"),
    *("Ctrl+P",),  # to print a page
    # Places of the center.
    *("Heilongjiang", "Harbin", "Binxian", "Seoul", "Korea", "China"),
    # JSON's literals, in a payload the outbox shows as JSON.
    *("null", "true", "false"),
}

WORD = re.compile(r"[A-Za-z][A-Za-z0-9_./+'’-]*")
# Addresses and links, which are what people typed or what a machine reads, and the
# masked salt and hash of a user's password ("4efcac*****"): random letters and digits,
# which read as a word when a digit comes first ("efcac").
NOT_WORDS = re.compile(r"\S+@\S+|\b(?:https?|webcal)://\S+|\S*\*{4,}")


ZONES = zoneinfo.available_timezones()


class VisibleText(HTMLParser):
    """Collect each run of text a reader sees: text, buttons, placeholders, tooltips.

    And what a screen reader reads (aria-label, and with `alt` an image's alt text) and a
    table cell's label on a phone (data-label, which portal.css shows before the value).
    Django's admin templates give their icons English alt text ("True", "Search"), which
    its catalogue does not translate: the admin's test leaves them out.
    """

    HIDDEN = {"script", "style", "textarea", "template", "noscript"}

    def __init__(self, alt: bool = True):
        super().__init__(convert_charrefs=True)
        self.seen = ("placeholder", "title", "aria-label", "data-label", *(("alt",) if alt else ()))
        self.runs, self._hidden, self._zone = [], 0, False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        # A list of zones to choose from shows each zone's id: a code.
        self._zone = tag == "option" and attributes.get("value") in ZONES
        for name in self.seen:
            if attributes.get(name):
                self.runs.append(attributes[name])
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            self.runs.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        self._zone = False

    def handle_data(self, data):
        if not self._hidden and not self._zone and data.strip():
            self.runs.append(data)


# What is not data: the software's own words and codes, which a page must translate.
NOT_DATA = {"django_celery_beat", "auth.permission", "contenttypes", "auth.group"}
NOT_DATA_COLUMNS = {"incubator.outboxmessage.kind"}


def _strings(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str) and value:
        yield value


def data_by_word(documents: bool = True) -> dict[str, set[str]]:
    """Return {word: the lines of stored text holding it} over what people and tests typed.

    `documents`: with the JSON documents' keys and values too (the outbox's payloads, the
    audit trail's changes, a screening's result), which the admin shows as JSON. They are
    the software's keys and codes ("status", "pending", "draft"), which the portal never
    shows as they are: taken as data, they would let such a word through untranslated.
    """
    index = defaultdict(set)
    kinds = (models.CharField, models.TextField, *([models.JSONField] if documents else []))
    for model in apps.get_models():
        if model._meta.app_label in NOT_DATA or model._meta.label_lower in NOT_DATA:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, kinds)
            and not f.choices
            and f"{model._meta.label_lower}.{f.name}" not in NOT_DATA_COLUMNS
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if isinstance(value, str):
                    value = _json(value) if documents else value
                for text in _strings(value):
                    for line in str(text).splitlines():
                        for word in WORD.findall(line.strip()):
                            index[word.rstrip(".'’-/")].add(line.strip())
    return index


def _json(text: str):
    # A JSON document kept in a text column reads as its keys and values on the page.
    if text[:1] in "[{":
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


# A dotted path of Python (a task's name, as Celery knows it) and a setting's name
# ("CELERY_TASK_QUEUES") are codes, and so is a word with a digit or a slash (an
# identifier, a path, a zone's id, a crontab's "m/h/dM/MY/d").
DOTTED = re.compile(r"[a-z_]+(\.[a-z_0-9]+)+|[A-Z][A-Z0-9]*(_[A-Z0-9]+)+")
CODE = re.compile(r"[0-9/]")


def english_words(runs, data) -> dict[str, str]:
    """Return {word: the text it is in} for each English word of `runs` that is not data."""
    found = {}
    for run in runs:
        text = NOT_WORDS.sub(" ", run)
        for word in WORD.findall(text):
            word = word.rstrip(".'’-/")
            letters = re.sub(r"[^A-Za-z]", "", word)
            if len(letters) < 3 or word in ALLOWED or CODE.search(word) or DOTTED.fullmatch(word):
                continue
            if any(value in run for value in data.get(word, ())):
                continue
            found.setdefault(word, run.strip()[:80])
    return found


def english_on(html: str, data, alt: bool = True) -> dict[str, str]:
    """Return {word: the text it is in} for each English word a reader sees in `html`."""
    parser = VisibleText(alt)
    parser.feed(html)
    return english_words(parser.runs, data)


def report(problems: dict[str, dict[str, str]], read: int) -> str:
    return f"English on {len(problems)} of {read} pages:\n" + "\n".join(
        f"{page}: " + "; ".join(f"{word} ({text!r})" for word, text in sorted(words.items()))
        for page, words in problems.items()
    )
