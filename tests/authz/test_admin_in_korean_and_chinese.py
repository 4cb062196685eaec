"""Every admin page a staff member opens reads in Korean and in Chinese: no English word left.

The pages are the authorization matrix's: each admin GET the center manager (who may open
every one the other staff roles may) gets a 200 on, with the matrix world's objects.
Each page is read as a person reads it: the text and the labels of its controls, without
scripts, styles and what people typed (the world's data, e-mail addresses, links). What
is left must hold no ASCII word of three letters or more, except the proper nouns and
codes of ALLOWED. The pages alternate between Korean and Chinese, and those of the
third-party apps, whose catalogues differ most between the two, are read in both (some
7 s of CPU for some 235 pages).
"""

import json
import re
import zoneinfo
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models

from tests.authz import matrix

pytestmark = pytest.mark.django_db

# Proper nouns and codes a Korean or Chinese page rightly shows in Latin letters.
ALLOWED = {
    # Each language's own name in the switcher.
    "English",
    # Currencies, file formats, protocols, standards, patent offices, certifications.
    *("KRW", "CNY", "USD", "CSV", "XLSX", "PDF", "ICS", "API", "KPI", "URL", "HTTP", "HTTPS"),
    *("https", "JSON", "HMAC", "SHA", "GET", "POST", "SMTP", "CRM", "LDAP", "AMQP", "Webhook"),
    *("KIPO", "CNIPA", "EPO", "PCT", "TIPS", "INNOBIZ", "MAIN-BIZ", "ISO", "BRN", "USCC"),
    # Zone abbreviations next to every time.
    *("KST", "CST", "UTC", "GMT"),
    # Software and keys the screens name ("Single Sign-On", the "Control" key on a "Mac").
    *("Celery", "Crontab", "RabbitMQ", "Redis", "Single", "Sign-On", "Control", "Command", "Mac"),
    # Places of the center.
    *("Heilongjiang", "Harbin", "Binxian", "Seoul", "Korea", "China"),
    # JSON's literals, in a payload the outbox shows as JSON.
    *("null", "true", "false"),
}
# Pages of the apps whose strings come from other projects' catalogues: read in both.
THIRD_PARTY = ("admin:auth_", "admin:django_celery_beat_", "admin:axes_", "admin:app_list[")

WORD = re.compile(r"[A-Za-z][A-Za-z0-9_./+'’-]*")
# Addresses and links, which are what people typed or what a machine reads, and the
# masked salt and hash of a user's password ("4efcac*****"): random letters and digits,
# which read as a word when a digit comes first ("efcac").
NOT_WORDS = re.compile(r"\S+@\S+|\b(?:https?|webcal)://\S+|\S*\*{4,}")


ZONES = zoneinfo.available_timezones()


class VisibleText(HTMLParser):
    """Collect each run of text a reader sees: text, buttons, placeholders, tooltips."""

    HIDDEN = {"script", "style", "textarea", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs, self._hidden, self._zone = [], 0, False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        # A list of zones to choose from shows each zone's id: a code.
        self._zone = tag == "option" and attributes.get("value") in ZONES
        for name in ("placeholder", "title"):
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


def data_by_word() -> dict[str, set[str]]:
    """Return {word: the lines of stored text holding it} over what people and tests typed."""
    index = defaultdict(set)
    for model in apps.get_models():
        if model._meta.app_label in NOT_DATA or model._meta.label_lower in NOT_DATA:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
            and f"{model._meta.label_lower}.{f.name}" not in NOT_DATA_COLUMNS
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                for text in _strings(value if not isinstance(value, str) else _json(value)):
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


def admin_pages(world):
    table = matrix.read_table()
    served = matrix.project_rows()
    for number, (row, pattern) in enumerate(served.items()):
        if not row.url.startswith("admin") or row.method != "GET":
            continue
        if table.get(row, {}).get("center_manager") != 200:
            continue
        if row.url.startswith(THIRD_PARTY):
            languages = ("ko", "zh-hans")
        elif row.url.endswith("_history"):
            continue  # its heading is the change page's title, and the world has no history
        else:
            languages = (("ko", "zh-hans")[number % 2],)
        yield row.url, matrix.url_of(row, pattern, world), languages


def test_every_admin_page_reads_in_korean_or_chinese(world):
    data = data_by_word()
    problems, read = {}, 0
    with matrix.quick_requests():
        manager = world.users["center_manager"]
        clients = {language: matrix.RoleClient(manager, language) for language in ("ko", "zh-hans")}
        for name, url, languages in admin_pages(world):
            for language in languages:
                response = clients[language].page(url)
                if response is None:
                    continue
                read += 1
                parser = VisibleText()
                parser.feed(response)
                if words := english_words(parser.runs, data):
                    problems[f"{language} {name}"] = words
    assert read > 200
    if problems:
        pytest.fail(
            f"English on {len(problems)} of {read} pages:\n"
            + "\n".join(
                f"{page}: "
                + "; ".join(f"{word} ({text!r})" for word, text in sorted(words.items()))
                for page, words in problems.items()
            ),
            False,
        )
