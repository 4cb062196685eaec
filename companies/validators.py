"""Validate the identifiers and amounts a startup enters in the portal.

Pure functions: nothing here touches models, settings or the database, so
forms, serializers, model ``clean()`` methods and imports from spreadsheets
can all share them.

- Korean business registration numbers (사업자등록번호), with check digit.
- Chinese Unified Social Credit Codes (统一社会信用代码), with check character.
- Patent application and registration numbers of the offices startups use.
- Dates that must not lie in the future, and money in KRW, CNY or USD.

Every message is English source text marked for translation, with named
placeholders, so translators can reorder the sentence for Korean and Chinese.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc
from stdnum.kr import brn

__all__ = [
    "CURRENCIES",
    "CURRENCY_CHOICES",
    "CURRENCY_DECIMAL_PLACES",
    "PATENT_JURISDICTIONS",
    "PATENT_JURISDICTION_CHOICES",
    "PATENT_KINDS",
    "PATENT_KIND_CHOICES",
    "BRN_EXAMPLE",
    "PATENT_EXAMPLES",
    "USCC_EXAMPLE",
    "EARLIEST_FOUNDING",
    "EMPLOYEES_MAX",
    "brn_check_digit",
    "brn_compact",
    "brn_format",
    "brn_is_valid",
    "certification_expired",
    "cn_patent_check_digit",
    "ep_application_check_digit",
    "format_money",
    "normalize_patent_number",
    "patent_number_help",
    "uscc_compact",
    "uscc_is_valid",
    "validate_brn",
    "validate_currency",
    "validate_employee_count",
    "validate_founding_date",
    "validate_money",
    "validate_not_before_founding",
    "validate_not_future",
    "validate_patent_filing_year",
    "validate_patent_number",
    "validate_uscc",
]

# Korea (UTC+9, no daylight saving time) is the zone furthest ahead among the
# portal's users; a date that is already today in Seoul is not in the future,
# even while it is still yesterday on a server in Harbin.
_SEOUL = dt.timezone(dt.timedelta(hours=9))


def _today() -> dt.date:
    """Return the latest "today" among the server's zone and Korea's."""
    return max(dt.date.today(), dt.datetime.now(_SEOUL).date())


def _text(value: object) -> str:
    """Return the value as text with full-width digits and letters folded.

    Korean, Chinese and Japanese input methods often produce full-width forms
    such as "１２４－８１"; NFKC turns them into plain ASCII.
    """
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


# --- Korean business registration number ----------------------------------

_BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def brn_compact(value: object) -> str:
    """Return the number without spaces and dashes ("1248100998")."""
    return brn.compact(_text(value))


def brn_check_digit(number: str) -> str:
    """Calculate the check digit (10th digit) from the first nine digits."""
    digits = [int(c) for c in number[:9]]
    total = sum(w * d for w, d in zip(_BRN_WEIGHTS, digits, strict=True))
    # The ninth digit is weighted 5 and its tens carry is added once more.
    total += digits[8] * 5 // 10
    return str((10 - total % 10) % 10)


def brn_is_valid(value: object) -> bool:
    """Return whether the value is a valid number, check digit included."""
    number = brn_compact(value)
    if not number.isascii() or not brn.is_valid(number):
        return False
    return number[9] == brn_check_digit(number)


def brn_format(value: object) -> str:
    """Return the number in its usual 3-2-5 form (124-81-00998); other input compacted."""
    number = brn_compact(value)
    if len(number) != 10 or not (number.isascii() and number.isdigit()):
        return number
    return brn.format(number)


def validate_brn(value: object) -> None:
    """Raise ValidationError unless the value is a valid Korean BRN."""
    number = brn_compact(value)
    if len(number) != 10 or not (number.isascii() and number.isdigit()):
        raise ValidationError(
            _("Enter a business registration number of 10 digits, like %(example)s."),
            code="brn_format",
            params={"example": BRN_EXAMPLE},
        )
    if not brn.is_valid(number):
        # stdnum rejects impossible parts: tax office below 101, "00" type, "0000" serial.
        raise ValidationError(
            _("%(value)s is not a possible business registration number."),
            code="brn_invalid",
            params={"value": brn.format(number)},
        )
    if number[9] != brn_check_digit(number):
        raise ValidationError(
            _(
                "The check digit of business registration number %(value)s "
                "does not match; please check it for typos."
            ),
            code="brn_checksum",
            params={"value": brn.format(number)},
        )


# --- Chinese Unified Social Credit Code ------------------------------------


def uscc_compact(value: object) -> str:
    """Return the code in capitals without spaces and dashes."""
    return uscc.compact(_text(value))


def uscc_is_valid(value: object) -> bool:
    """Return whether the value is a valid USCC, check character included."""
    return uscc.is_valid(uscc_compact(value))


def validate_uscc(value: object) -> None:
    """Raise ValidationError unless the value is a valid USCC."""
    code = uscc_compact(value)
    try:
        uscc.validate(code)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _(
                "The check character of unified social credit code %(value)s "
                "does not match; please check it for typos."
            ),
            code="uscc_checksum",
            params={"value": code},
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _(
                "A unified social credit code has 18 digits and capital letters "
                "(no I, O, S, V or Z), like %(example)s."
            ),
            code="uscc_format",
            params={"example": USCC_EXAMPLE},
        ) from None


# --- Patent numbers ----------------------------------------------------------

PATENT_JURISDICTIONS = ("KR", "CN", "PCT", "US", "JP", "EP", "OTHER")
PATENT_JURISDICTION_CHOICES = [
    ("KR", _("Korea (KIPO)")),
    ("CN", _("China (CNIPA)")),
    ("PCT", _("International application (PCT)")),
    ("US", _("United States (USPTO)")),
    ("JP", _("Japan (JPO)")),
    ("EP", _("Europe (EPO)")),
    ("OTHER", _("Other office")),
]
PATENT_KINDS = ("application", "registration")
PATENT_KIND_CHOICES = [
    ("application", _("Application")),
    ("registration", _("Registration (granted)")),
]

_OTHER_MAX_LENGTH = 64

# An example of each office's number, by kind: the format messages and the forms' help
# show these, and a test checks that each passes its own validator.
PATENT_EXAMPLES = {
    ("KR", "application"): "10-2020-0123456",
    ("KR", "registration"): "10-1234567",
    ("CN", "application"): "201710601862.3",
    ("CN", "registration"): "ZL201710601862.3",
    ("PCT", "application"): "PCT/KR2020/012345",
    ("US", "application"): "16/123,456",
    ("US", "registration"): "10,123,456",
    ("JP", "application"): "特願2020-123456",
    ("JP", "registration"): "特許第1234567号",
    ("EP", "application"): "EP20123456.4",
    ("EP", "registration"): "EP1234567",
}
BRN_EXAMPLE = "124-81-00998"
USCC_EXAMPLE = "91110108551385082Q"

# One message per office and kind, naming the expected format with its example.
_FORMAT_MESSAGES = {
    ("KR", "application"): _(
        "Korean patent applications look like %(example)s (10 patent, 20 utility model, 30 design)."
    ),
    ("KR", "registration"): _(
        "Korean patent registrations look like %(example)s "
        "(10 patent, 20 utility model, 30 design)."
    ),
    ("CN", "application"): _(
        "Chinese patent applications look like %(example)s (or 97101765.4 before October 2003)."
    ),
    ("CN", "registration"): _(
        "Chinese patent numbers look like %(example)s (or ZL97101765.4 before October 2003)."
    ),
    ("PCT", "application"): _("PCT applications look like %(example)s."),
    ("PCT", "registration"): _(
        "A PCT application is never granted as such; record the national "
        "patent that was granted instead."
    ),
    ("US", "application"): _("US patent applications look like %(example)s."),
    ("US", "registration"): _("US patent numbers look like %(example)s (designs: D912,345)."),
    ("JP", "application"): _("Japanese patent applications look like %(example)s."),
    ("JP", "registration"): _("Japanese patent numbers look like %(example)s."),
    ("EP", "application"): _("European patent applications look like %(example)s."),
    ("EP", "registration"): _("European patent numbers look like %(example)s."),
}


def patent_number_help(jurisdiction: str, kind: str):
    """Return what the number field says for an office and kind: its format, by example."""
    message = _FORMAT_MESSAGES.get((jurisdiction, kind))
    if message is None:
        return str(_("As written by the office."))
    return str(message) % {"example": PATENT_EXAMPLES.get((jurisdiction, kind), "")}


_KR_APPLICATION = re.compile(r"(?:KR)?(10|20|30)-?(\d{4})-?(\d{7})")
_KR_REGISTRATION = re.compile(r"(?:KR)?(10|20|30)-?(\d{7})")
# ZL marks a granted patent, CN the office; the digits are the application number.
_CN_NUMBER = re.compile(r"(?:ZL|CN)?(\d{12}|\d{8})\.?([0-9X])")
_PCT_APPLICATION = re.compile(r"PCT/?([A-Z]{2})(\d{4})/?(\d{6})")
_US_APPLICATION = re.compile(r"(?:US)?(\d{2})/?(\d{3}),?(\d{3})")
# Optional kind codes (B1, B2, S) as copied from patent databases are dropped.
_US_REGISTRATION = re.compile(r"(?:US)?(D)?(\d{1,3}(?:,\d{3})+|\d{1,8})(?:B[12]|S1?)?")
_JP_APPLICATION = re.compile(r"(?:特願|JP)?(\d{4})-?(\d{6})号?")
_JP_REGISTRATION = re.compile(r"(?:特許第|JP)?(\d{7})号?(?:B[12])?")
_EP_APPLICATION = re.compile(r"(?:EP)?(\d{8})\.?(\d)")
_EP_REGISTRATION = re.compile(r"(?:EP)?(\d{7})(?:B[12])?")

# Chinese application type digits: invention, utility model, design, and the
# PCT national phase of an invention or a utility model.
_CN_TYPES = frozenset("12389")


def cn_patent_check_digit(digits: str) -> str:
    """Calculate the CNIPA check digit of a 12- or 8-digit application number.

    The digits are weighted 2, 3, ..., 9, 2, 3, 4, 5 from the left; the sum
    modulo 11 is the check digit, 10 written as "X".
    """
    total = sum((2 + i % 8) * int(c) for i, c in enumerate(digits))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def ep_application_check_digit(digits: str) -> str:
    """Calculate the EPO check digit of an 8-digit application number (Luhn)."""
    total = 0
    for i, c in enumerate(digits):
        product = int(c) * (2 if i % 2 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def _format_error(
    jurisdiction: str, kind: str, number: str, example: str | None = None
) -> ValidationError:
    # The form shows the format's message as the field's help: the error says what is
    # wrong with this number instead of repeating it.
    example = example or PATENT_EXAMPLES.get((jurisdiction, kind))
    if example is None:
        message = _FORMAT_MESSAGES[jurisdiction, kind]
    else:
        message = _("%(number)s is not in the form %(example)s.")
    return ValidationError(
        message, code="patent_format", params={"number": number, "example": example or ""}
    )


def _check_year(year: int, first: int, number: str, last: int | None = None) -> None:
    """Raise ValidationError unless first <= year <= last (the current year)."""
    current = _today().year if last is None else last
    if not first <= year <= current:
        raise ValidationError(
            _(
                "The year %(year)s in patent number %(number)s is not plausible "
                "(%(first)s to %(current)s)."
            ),
            code="patent_year",
            params={"year": year, "number": number, "first": first, "current": current},
        )


def _checksum_error(number: str) -> ValidationError:
    return ValidationError(
        _("The check digit of patent number %(number)s does not match; please check it for typos."),
        code="patent_checksum",
        params={"number": number},
    )


# A number written with its dashes, whatever its digits: what is wrong can be named.
_KR_APPLICATION_PARTS = re.compile(r"(?:KR)?(\d{2})-(\d{4})-(\d+)")
_KR_REGISTRATION_PARTS = re.compile(r"(?:KR)?(\d{2})-(\d+)")


def _kr_format_error(kind: str, text: str) -> ValidationError:
    example = PATENT_EXAMPLES["KR", kind]
    parts = (_KR_APPLICATION_PARTS if kind == "application" else _KR_REGISTRATION_PARTS).fullmatch(
        text
    )
    if parts is None:
        return _format_error("KR", kind, text)
    prefix, serial = parts.group(1), parts.groups()[-1]
    params = {"number": text, "prefix": prefix, "count": len(serial), "example": example}
    if prefix not in _KR_RIGHTS:
        return ValidationError(
            _(
                "%(number)s starts with %(prefix)s: a KIPO number starts with 10 (patent), "
                "20 (utility model) or 30 (design), e.g. %(example)s."
            ),
            code="patent_format",
            params=params,
        )
    if kind == "application":
        message = _(
            "%(number)s has %(count)s digits after the year; a KIPO application number has 7, "
            "e.g. %(example)s."
        )
    else:
        message = _(
            "%(number)s has %(count)s digits after %(prefix)s-; a KIPO registration number "
            "has 7, e.g. %(example)s."
        )
    return ValidationError(message, code="patent_format", params=params)


def _normalize_kr(kind: str, text: str) -> str:
    if kind == "application":
        match = _KR_APPLICATION.fullmatch(text)
        if match:
            prefix, year, serial = match.groups()
            _check_year(int(year), 1948, text)
            return f"{prefix}-{year}-{serial}"
    else:
        match = _KR_REGISTRATION.fullmatch(text)
        if match:
            prefix, serial = match.groups()
            return f"{prefix}-{serial}"
    raise _kr_format_error(kind, text)


def _normalize_cn(kind: str, text: str) -> str:
    match = _CN_NUMBER.fullmatch(text)
    if not match:
        raise _format_error("CN", kind, text)
    digits, check = match.groups()
    if len(digits) == 12:
        # Since 1 October 2003: year, type, seven-digit serial.
        year, kind_digit = int(digits[:4]), digits[4]
        first, last = 2003, None
    else:
        # 1985 (first Chinese patent law) to 2003: two-digit year, type, serial.
        short = int(digits[:2])
        year, kind_digit = (1900 + short if short >= 85 else 2000 + short), digits[2]
        first, last = 1985, 2003
    if kind_digit not in _CN_TYPES:
        raise _format_error("CN", kind, text)
    _check_year(year, first, text, last)
    if check != cn_patent_check_digit(digits):
        raise _checksum_error(text)
    prefix = "ZL" if kind == "registration" else ""
    return f"{prefix}{digits}.{check}"


def _normalize_pct(kind: str, text: str) -> str:
    match = _PCT_APPLICATION.fullmatch(text) if kind == "application" else None
    if not match:
        raise _format_error("PCT", kind, text)
    office, year, serial = match.groups()
    # The PCT came into operation in 1978.
    _check_year(int(year), 1978, text)
    return f"PCT/{office}{year}/{serial}"


def _normalize_us(kind: str, text: str) -> str:
    if kind == "application":
        match = _US_APPLICATION.fullmatch(text)
        if match:
            series, high, low = match.groups()
            return f"{series}/{high},{low}"
    else:
        match = _US_REGISTRATION.fullmatch(text)
        if match:
            design, digits = match.groups()
            value = int(digits.replace(",", ""))
            # Utility patents have reached 8 digits, designs 7.
            limit = 10_000_000 if design else 100_000_000
            if 0 < value < limit:
                return f"{design or ''}{value:,}"
    # A design's number is compared with a design's.
    design = kind == "registration" and text.startswith("D")
    raise _format_error("US", kind, text, example="D912,345" if design else None)


def _normalize_jp(kind: str, text: str) -> str:
    if kind == "application":
        match = _JP_APPLICATION.fullmatch(text)
        if match:
            year, serial = match.groups()
            # Western years since 2000; earlier numbers used era years (平成).
            _check_year(int(year), 2000, text)
            return f"{year}-{serial}"
    else:
        match = _JP_REGISTRATION.fullmatch(text)
        if match:
            return match.group(1)
    raise _format_error("JP", kind, text)


def _normalize_ep(kind: str, text: str) -> str:
    if kind == "application":
        match = _EP_APPLICATION.fullmatch(text)
        if match:
            digits, check = match.groups()
            short = int(digits[:2])
            year = 1900 + short if short >= 78 else 2000 + short
            _check_year(year, 1978, text)
            # The EPO documents the Luhn check digit for filings from 2002 on.
            if year >= 2002 and check != ep_application_check_digit(digits):
                raise _checksum_error(text)
            return f"EP{digits}.{check}"
    else:
        match = _EP_REGISTRATION.fullmatch(text)
        if match:
            return f"EP{match.group(1)}"
    raise _format_error("EP", kind, text)


def _normalize_other(kind: str, text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ValidationError(_("Enter the patent number."), code="patent_required")
    if len(text) > _OTHER_MAX_LENGTH:
        raise ValidationError(
            _("A patent number has at most %(limit)s characters."),
            code="patent_length",
            params={"limit": _OTHER_MAX_LENGTH},
        )
    return text


_NORMALIZERS = {
    "KR": _normalize_kr,
    "CN": _normalize_cn,
    "PCT": _normalize_pct,
    "US": _normalize_us,
    "JP": _normalize_jp,
    "EP": _normalize_ep,
}


# The right a number's own digits name: KIPO's prefix, CNIPA's type digit.
_KR_RIGHTS = {"10": "invention", "20": "utility_model", "30": "design"}
_CN_RIGHTS = {"1": "invention", "8": "invention", "2": "utility_model", "9": "utility_model"}
_CN_RIGHTS["3"] = "design"


def patent_right_of(jurisdiction: str, number: str) -> str | None:
    """Return the right ("invention", "utility_model" or "design") that a number in the
    portal's form (`normalize_patent_number`) names, or None where its digits do not say."""
    if jurisdiction == "KR" and number[:2] in _KR_RIGHTS:
        return _KR_RIGHTS[number[:2]]
    if jurisdiction == "CN":
        digits = number.removeprefix("ZL").partition(".")[0]
        type_digit = digits[4] if len(digits) == 12 else digits[2:3]
        return _CN_RIGHTS.get(type_digit)
    return None


def normalize_patent_number(jurisdiction: str, kind: str, number: object) -> str:
    """Return the number in the office's usual form, or raise ValidationError.

    kind is "application" or "registration". Spaces, full-width characters
    and letter case are forgiven; the result is what the portal stores and
    shows, e.g. "10-2020-0123456", "ZL201710601862.3", "PCT/KR2020/012345",
    "16/123,456", "D912,345", "2020-123456", "EP1234567". Numbers of other
    offices are only trimmed.
    """
    if jurisdiction not in PATENT_JURISDICTIONS:
        raise ValidationError(
            _("Unknown patent office %(jurisdiction)s."),
            code="patent_jurisdiction",
            params={"jurisdiction": jurisdiction},
        )
    if kind not in PATENT_KINDS:
        raise ValidationError(
            _("Unknown kind of patent number %(kind)s."),
            code="patent_kind",
            params={"kind": kind},
        )
    text = _text(number)
    if jurisdiction == "OTHER":
        return _normalize_other(kind, text)
    if not text:
        raise ValidationError(_("Enter the patent number."), code="patent_required")
    compact = "".join(text.split()).upper()
    return _NORMALIZERS[jurisdiction](kind, compact)


_KR_APPLICATION_STORED = re.compile(r"(?:10|20|30)-(\d{4})-\d{7}")


def validate_patent_filing_year(jurisdiction: str, number: str, applied_on: dt.date) -> None:
    """Raise ValidationError when a KIPO application number's year, the four digits after
    its prefix, is not the year of its application date.

    `number` is in the portal's form (`normalize_patent_number`); other offices' numbers
    and registration numbers are left alone.
    """
    match = _KR_APPLICATION_STORED.fullmatch(number) if jurisdiction == "KR" else None
    if match is None or applied_on is None or int(match.group(1)) == applied_on.year:
        return
    raise ValidationError(
        _(
            "Application number %(number)s was filed in %(number_year)s (the four digits "
            "after %(prefix)s-), but the application date is in %(date_year)s: check the "
            "number or the date."
        ),
        code="patent_filing_year",
        params={
            "number": number,
            "prefix": number[:2],
            "number_year": match.group(1),
            "date_year": str(applied_on.year),
        },
    )


def validate_patent_number(jurisdiction: str, kind: str, number: object) -> None:
    """Raise ValidationError unless the number fits the office and kind."""
    normalize_patent_number(jurisdiction, kind, number)


# --- Dates -------------------------------------------------------------------


def validate_not_future(value: dt.date | None) -> None:
    """Raise ValidationError if the date lies after today.

    "Today" is the later of the server's date and Korea's, so a founder in
    Seoul shortly after midnight can enter today's date. A datetime is
    compared by its date.
    """
    if value is None:
        return
    if isinstance(value, dt.datetime):
        value = value.date()
    today = _today()
    if value > today:
        raise ValidationError(
            _("%(date)s is in the future; enter a date up to %(today)s."),
            code="future_date",
            params={"date": value.isoformat(), "today": today.isoformat()},
        )


# The earliest founding date taken: an older one is a typing error (0001-01-01 from a
# date field's year), and the age criterion would count centuries.
EARLIEST_FOUNDING = dt.date(1900, 1, 1)


def validate_founding_date(value: dt.date | None) -> None:
    """Raise ValidationError for a founding date before 1900 (`validate_not_future`
    refuses one in the future)."""
    if value is None:
        return
    if isinstance(value, dt.datetime):
        value = value.date()
    if value < EARLIEST_FOUNDING:
        raise ValidationError(
            _("%(date)s is too early for a founding date; enter a date from %(earliest)s on."),
            code="founding_too_early",
            params={"date": value.isoformat(), "earliest": EARLIEST_FOUNDING.isoformat()},
        )


def validate_not_before_founding(
    value: dt.date | None,
    founded_on: dt.date | None,
    *,
    message: str | None = None,
    params: dict | None = None,
) -> None:
    """Raise ValidationError if a company's event is dated before the company was founded.

    One rule for its funding rounds, its market validations and its local entities (a
    patent may predate the company: its founders filed it). `message` says what the date
    is, with the founding date as %(date)s (ISO unless `params` gives it formatted).
    """
    if value is None or founded_on is None:
        return
    if isinstance(value, dt.datetime):
        value = value.date()
    if value < founded_on:
        raise ValidationError(
            message or _("This date is before the company was founded (%(date)s)."),
            code="before_founding",
            params={"date": founded_on.isoformat(), **(params or {})},
        )


def certification_expired(expires_on: dt.date | None, on: dt.date | None = None) -> bool:
    """Say whether a certification that expires on `expires_on` has expired by `on`
    (today in Korea by default); it is valid through its expiry date."""
    return expires_on is not None and expires_on < (on or _today())


# --- Counts ------------------------------------------------------------------

# Far above any startup of the program, far below a mistyped row of nines.
EMPLOYEES_MAX = 100_000


def validate_employee_count(value: int | None) -> None:
    """Raise ValidationError unless the number of employees is from 0 to EMPLOYEES_MAX."""
    if value is None:
        return
    if not 0 <= value <= EMPLOYEES_MAX:
        raise ValidationError(
            _("Enter a number from 0 to %(max)s."),
            code="employees_range",
            params={"max": f"{EMPLOYEES_MAX:,}"},
        )


# --- Money -------------------------------------------------------------------

CURRENCIES = ("KRW", "CNY", "USD")
CURRENCY_CHOICES = [
    ("KRW", _("Korean won (KRW)")),
    ("CNY", _("Chinese yuan (CNY)")),
    ("USD", _("US dollar (USD)")),
]
# The won has no minor unit in practice; yuan and dollar have cents (分, cent).
CURRENCY_DECIMAL_PLACES = {"KRW": 0, "CNY": 2, "USD": 2}


def validate_currency(value: str) -> None:
    """Raise ValidationError unless the value is KRW, CNY or USD."""
    if value not in CURRENCY_DECIMAL_PLACES:
        raise ValidationError(
            _("Choose a currency among KRW, CNY and USD, not %(value)s."),
            code="currency",
            params={"value": value},
        )


def _decimal(amount: object) -> Decimal | None:
    if isinstance(amount, bool):
        return None
    try:
        # str() first, so a float 0.1 becomes Decimal("0.1") and not its binary value.
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return value if value.is_finite() else None


def validate_money(amount: object, currency: str, *, allow_zero: bool = False) -> None:
    """Raise ValidationError unless amount and currency form a usable sum.

    The amount must be a number above zero (or zero with allow_zero) with no
    more decimal places than the currency has: none for KRW, two otherwise.
    """
    validate_currency(currency)
    value = _decimal(amount)
    if value is None:
        raise ValidationError(_("Enter the amount as a number."), code="amount_invalid")
    if value < 0 and allow_zero:
        raise ValidationError(_("Enter 0 or an amount above it."), code="amount_negative")
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationError(_("Enter an amount above zero."), code="amount_not_positive")
    places = CURRENCY_DECIMAL_PLACES[currency]
    try:
        # Compare with the rounded value, so Decimal("1000.00") is fine in KRW.
        too_precise = value != value.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:  # more digits than the decimal context holds
        too_precise = True
    if too_precise:
        message = (
            _("Amounts in %(currency)s are whole numbers: enter it without decimals.")
            if places == 0
            else _("Amounts in %(currency)s have at most %(places)s decimal places.")
        )
        raise ValidationError(
            message, code="amount_places", params={"currency": currency, "places": places}
        )


def format_money(amount: object, currency: str) -> str:
    """Return e.g. "KRW 500,000,000" or "USD 1,250.50" for display.

    Whole amounts show no decimals; others show the currency's decimal places.
    """
    value = _decimal(amount)
    if value is None:
        return f"{currency} {amount}"
    if value == value.to_integral_value():
        return f"{currency} {value:,.0f}"
    places = CURRENCY_DECIMAL_PLACES.get(currency, 2)
    return f"{currency} {value:,.{places}f}"
