import datetime as dt
import os
from decimal import Decimal

import django
import pytest
from django.conf import settings

# The project runs these through pytest-django; when run alone (e.g. with
# -p no:django) configure just enough Django to render translated messages.
if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(USE_I18N=True, LANGUAGE_CODE="en")
    django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.utils import translation  # noqa: E402

from companies.validators import (  # noqa: E402
    BRN_EXAMPLE,
    CURRENCIES,
    PATENT_EXAMPLES,
    USCC_EXAMPLE,
    brn_check_digit,
    brn_compact,
    brn_format,
    brn_is_valid,
    certification_expired,
    cn_patent_check_digit,
    ep_application_check_digit,
    format_money,
    normalize_patent_number,
    patent_number_help,
    uscc_compact,
    uscc_is_valid,
    validate_brn,
    validate_currency,
    validate_employee_count,
    validate_founding_date,
    validate_money,
    validate_not_before_founding,
    validate_not_future,
    validate_patent_filing_year,
    validate_patent_number,
    validate_uscc,
)

VALID_BRNS = ["124-81-00998", "116-82-00276", "134-86-72683"]
VALID_USCCS = ["91110108551385082Q", "914403001922038216"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def error_message(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(excinfo.value.messages)


# --- Korean business registration number --------------------------------------


@pytest.mark.parametrize("value", VALID_BRNS)
def test_brn_known_valid_numbers_pass(value):
    assert brn_is_valid(value)
    assert brn_is_valid(value.replace("-", ""))
    validate_brn(value)


def test_brn_check_digit_of_known_numbers():
    for value in VALID_BRNS:
        number = brn_compact(value)
        assert brn_check_digit(number) == number[9]


@pytest.mark.parametrize("value", VALID_BRNS)
def test_brn_every_single_digit_change_fails(value):
    number = brn_compact(value)
    changed = 0
    for position in range(10):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            typo = number[:position] + digit + number[position + 1 :]
            assert not brn_is_valid(typo), typo
            with pytest.raises(ValidationError):
                validate_brn(typo)
            changed += 1
    assert changed == 90


@pytest.mark.parametrize(
    "value",
    ["", "124-81-0099", "124-81-009981", "12A-81-00998", "abcdefghij", None, "124_81_00998"],
)
def test_brn_wrong_length_or_letters_fail(value):
    assert not brn_is_valid(value)
    with pytest.raises(ValidationError) as excinfo:
        validate_brn(value)
    assert excinfo.value.code == "brn_format"
    assert "10 digits" in error_message(excinfo)


def test_brn_checksum_message_names_the_number():
    with pytest.raises(ValidationError) as excinfo:
        validate_brn("1248100999")
    assert excinfo.value.code == "brn_checksum"
    assert error_message(excinfo) == (
        "The check digit of business registration number 124-81-00999 "
        "does not match; please check it for typos."
    )


def test_brn_impossible_parts_fail():
    # Tax office code below 101, with a matching check digit.
    number = "100810099"
    number += brn_check_digit(number)
    assert not brn_is_valid(number)
    with pytest.raises(ValidationError) as excinfo:
        validate_brn(number)
    assert excinfo.value.code == "brn_invalid"


def test_brn_compact_and_format():
    assert brn_compact(" 124 - 81 - 00998 ") == "1248100998"
    # Full-width digits and dash from an East Asian input method.
    assert brn_compact("１２４－８１－００９９８") == "1248100998"
    assert brn_is_valid("１２４－８１－００９９８")
    assert brn_format("1248100998") == "124-81-00998"
    assert brn_format("124 81 00998") == "124-81-00998"
    assert brn_format("12345") == "12345"


# --- Chinese Unified Social Credit Code -----------------------------------------


@pytest.mark.parametrize("value", VALID_USCCS)
def test_uscc_known_valid_codes_pass(value):
    assert uscc_is_valid(value)
    assert uscc_is_valid(value.lower())
    validate_uscc(value)


def test_uscc_wrong_check_character_fails():
    assert not uscc_is_valid("91110108551385082A")
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc("91110108551385082A")
    assert excinfo.value.code == "uscc_checksum"
    assert "91110108551385082A" in error_message(excinfo)


@pytest.mark.parametrize(
    "value", ["", "9111010855138508", "9111010855138508I2", "A1110108551385082Q"]
)
def test_uscc_wrong_format_fails(value):
    assert not uscc_is_valid(value)
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(value)
    assert excinfo.value.code == "uscc_format"
    assert "18 digits and capital letters" in error_message(excinfo)


def test_uscc_compact():
    assert uscc_compact(" 9111 0108-5513 85082q ") == "91110108551385082Q"


# --- Patent numbers -----------------------------------------------------------------

NEXT_YEAR = dt.date.today().year + 2


@pytest.mark.parametrize(
    ("jurisdiction", "kind", "number", "expected"),
    [
        ("KR", "application", "10-2020-0123456", "10-2020-0123456"),
        ("KR", "application", "1020200123456", "10-2020-0123456"),
        ("KR", "application", "kr 20-2019-0001234", "20-2019-0001234"),
        ("KR", "application", "30-2021-0012345", "30-2021-0012345"),
        ("KR", "registration", "10-1234567", "10-1234567"),
        ("KR", "registration", "20 0456789", "20-0456789"),
        ("KR", "registration", "30-1098765", "30-1098765"),
        ("CN", "registration", "ZL201710601862.3", "ZL201710601862.3"),
        ("CN", "registration", "ZL 2017 1 0601862.3", "ZL201710601862.3"),
        ("CN", "registration", "201710601862.3", "ZL201710601862.3"),
        ("CN", "registration", "ZL95115608.X", "ZL95115608.X"),
        ("CN", "registration", "zl95115608.x", "ZL95115608.X"),
        ("CN", "application", "CN201710601862.3", "201710601862.3"),
        ("CN", "application", "201710601862.3", "201710601862.3"),
        ("CN", "application", "2017106018623", "201710601862.3"),
        ("CN", "application", "97101765.4", "97101765.4"),
        ("PCT", "application", "PCT/KR2020/012345", "PCT/KR2020/012345"),
        ("PCT", "application", "pct/cn2019/000001", "PCT/CN2019/000001"),
        ("PCT", "application", "PCT KR2020 012345", "PCT/KR2020/012345"),
        ("US", "application", "16/123,456", "16/123,456"),
        ("US", "application", "16123456", "16/123,456"),
        ("US", "registration", "10,123,456", "10,123,456"),
        ("US", "registration", "10123456", "10,123,456"),
        ("US", "registration", "US 10,123,456 B2", "10,123,456"),
        ("US", "registration", "7654321", "7,654,321"),
        ("US", "registration", "D912,345", "D912,345"),
        ("US", "registration", "USD912345S", "D912,345"),
        ("JP", "application", "2020-123456", "2020-123456"),
        ("JP", "application", "特願2020-123456", "2020-123456"),
        ("JP", "application", "特願２０２０－１２３４５６", "2020-123456"),
        ("JP", "registration", "1234567", "1234567"),
        ("JP", "registration", "特許第1234567号", "1234567"),
        ("JP", "registration", "JP6543210B2", "6543210"),
        ("EP", "registration", "EP1234567", "EP1234567"),
        ("EP", "registration", "EP 1 234 567 B1", "EP1234567"),
        ("EP", "application", "EP20123456.4", "EP20123456.4"),
        ("EP", "application", "13748138.8", "EP13748138.8"),
        ("EP", "application", "EP 99403122.7", "EP99403122.7"),
        ("OTHER", "application", "  DE 10 2020 123 456.7 ", "DE 10 2020 123 456.7"),
        ("OTHER", "registration", "GB2512345", "GB2512345"),
    ],
)
def test_patent_numbers_valid_and_normalized(jurisdiction, kind, number, expected):
    validate_patent_number(jurisdiction, kind, number)
    assert normalize_patent_number(jurisdiction, kind, number) == expected


@pytest.mark.parametrize(
    ("jurisdiction", "kind", "number", "expected_format"),
    [
        ("KR", "application", "10-20-0123456", "10-2020-0123456"),
        ("KR", "application", "40-2020-0123456", "10-2020-0123456"),
        ("KR", "application", "10-1234567", "10-2020-0123456"),
        ("KR", "registration", "10-2020-0123456", "10-1234567"),
        ("KR", "registration", "10-123456", "10-1234567"),
        ("CN", "registration", "ZL20171060186.3", "ZL201710601862.3"),
        ("CN", "registration", "ZL201740601862.3", "ZL201710601862.3"),
        ("CN", "application", "2017106018.3", "201710601862.3"),
        ("PCT", "application", "PCT/K12020/012345", "PCT/KR2020/012345"),
        ("PCT", "application", "PCT/KR2020/12345", "PCT/KR2020/012345"),
        ("PCT", "application", "WO2020/012345", "PCT/KR2020/012345"),
        ("US", "application", "16/123,45", "16/123,456"),
        ("US", "registration", "123456789", "10,123,456"),
        ("US", "registration", "10,12,3456", "10,123,456"),
        ("US", "registration", "D12345678", "D912,345"),
        ("JP", "application", "20-123456", "特願2020-123456"),
        ("JP", "registration", "123456", "特許第1234567号"),
        ("EP", "registration", "EP123456", "EP1234567"),
        ("EP", "application", "EP2012345.6", "EP20123456.4"),
    ],
)
def test_patent_numbers_wrong_format_name_the_expected_format(
    jurisdiction, kind, number, expected_format
):
    with pytest.raises(ValidationError) as excinfo:
        validate_patent_number(jurisdiction, kind, number)
    assert excinfo.value.code == "patent_format"
    assert expected_format in error_message(excinfo)


@pytest.mark.parametrize(
    ("kind", "number", "message"),
    [
        ("application", "abc", "ABC is not in the form 10-2020-0123456."),
        ("application", "2020-0123456", "2020-0123456 is not in the form 10-2020-0123456."),
        (
            "application",
            "10-2020-012345",
            "10-2020-012345 has 6 digits after the year; a KIPO application number has 7, "
            "e.g. 10-2020-0123456.",
        ),
        (
            "registration",
            "10-12345678",
            "10-12345678 has 8 digits after 10-; a KIPO registration number has 7, "
            "e.g. 10-1234567.",
        ),
        (
            "application",
            "40-2020-0123456",
            "40-2020-0123456 starts with 40: a KIPO number starts with 10 (patent), "
            "20 (utility model) or 30 (design), e.g. 10-2020-0123456.",
        ),
    ],
)
def test_a_korean_number_s_error_says_what_is_wrong_not_the_help_again(kind, number, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_patent_number("KR", kind, number)
    assert error_message(excinfo) == message
    assert error_message(excinfo) != patent_number_help("KR", kind)


@pytest.mark.parametrize("kind", ["application", "registration"])
@pytest.mark.parametrize("jurisdiction", ["CN", "US", "JP", "EP"])
def test_no_office_s_format_error_repeats_its_help(jurisdiction, kind):
    with pytest.raises(ValidationError) as excinfo:
        validate_patent_number(jurisdiction, kind, "abc")
    assert error_message(excinfo) != patent_number_help(jurisdiction, kind)
    assert "ABC" in error_message(excinfo)


@pytest.mark.parametrize(
    ("jurisdiction", "number", "applied_on"),
    [
        ("KR", "10-2020-0123456", dt.date(2020, 9, 15)),
        ("KR", "10-1234567", dt.date(2020, 9, 15)),  # a registration's number has no year
        ("CN", "201710601862.3", dt.date(2018, 1, 2)),  # only KIPO's year is checked
    ],
)
def test_a_filing_year_that_matches_or_is_not_written_passes(jurisdiction, number, applied_on):
    validate_patent_filing_year(jurisdiction, number, applied_on)


def test_a_kipo_application_number_of_another_year_than_its_date_fails():
    with pytest.raises(ValidationError) as excinfo:
        validate_patent_filing_year("KR", "10-2019-0123456", dt.date(2020, 9, 15))
    assert excinfo.value.code == "patent_filing_year"
    assert "2019" in error_message(excinfo) and "2020" in error_message(excinfo)


@pytest.mark.parametrize(
    ("jurisdiction", "kind", "number"),
    [
        ("KR", "application", "10-1947-0123456"),
        ("KR", "application", f"10-{NEXT_YEAR}-0123456"),
        ("CN", "application", f"{NEXT_YEAR}10601862.3"),
        ("CN", "application", "200210601862.3"),  # 12 digits only since 2003
        ("CN", "application", "05101765.1"),  # 8 digits only until 2003
        ("PCT", "application", "PCT/KR1977/012345"),
        ("PCT", "application", f"PCT/KR{NEXT_YEAR}/012345"),
        ("JP", "application", "1999-123456"),
        ("EP", "application", f"EP{NEXT_YEAR % 100}123456.0"),
    ],
)
def test_patent_numbers_implausible_year_fail(jurisdiction, kind, number):
    with pytest.raises(ValidationError) as excinfo:
        validate_patent_number(jurisdiction, kind, number)
    assert excinfo.value.code == "patent_year"


def test_cn_check_digit():
    # Published examples: 201710601862.3, 95115608.X, 97101765.4.
    assert cn_patent_check_digit("201710601862") == "3"
    assert cn_patent_check_digit("95115608") == "X"
    assert cn_patent_check_digit("97101765") == "4"


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        ("registration", "ZL201710601862.4"),
        ("registration", "ZL201710601863.3"),
        ("application", "CN201710601862.X"),
        ("application", "95115608.1"),
    ],
)
def test_cn_wrong_check_digit_fails(kind, number):
    with pytest.raises(ValidationError) as excinfo:
        validate_patent_number("CN", kind, number)
    assert excinfo.value.code == "patent_checksum"
    assert "check digit" in error_message(excinfo)


def test_ep_check_digit():
    # The EPO's published example and a real application.
    assert ep_application_check_digit("99403122") == "7"
    assert ep_application_check_digit("13748138") == "8"


def test_ep_wrong_check_digit_fails():
    with pytest.raises(ValidationError) as excinfo:
        validate_patent_number("EP", "application", "EP13748138.7")
    assert excinfo.value.code == "patent_checksum"


def test_pct_registration_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_patent_number("PCT", "registration", "PCT/KR2020/012345")
    assert "national patent" in error_message(excinfo)


@pytest.mark.parametrize("number", ["", "   ", None, "x" * 65])
def test_other_office_needs_a_short_non_empty_number(number):
    with pytest.raises(ValidationError):
        validate_patent_number("OTHER", "registration", number)
    validate_patent_number("OTHER", "registration", "x" * 64)


@pytest.mark.parametrize("jurisdiction", ["KR", "CN", "PCT", "US", "JP", "EP"])
def test_empty_number_fails_everywhere(jurisdiction):
    with pytest.raises(ValidationError) as excinfo:
        validate_patent_number(jurisdiction, "application", " ")
    assert excinfo.value.code == "patent_required"


def test_unknown_jurisdiction_and_kind_fail():
    with pytest.raises(ValidationError) as excinfo:
        validate_patent_number("XX", "application", "123")
    assert excinfo.value.code == "patent_jurisdiction"
    with pytest.raises(ValidationError) as excinfo:
        validate_patent_number("KR", "granted", "10-1234567")
    assert excinfo.value.code == "patent_kind"


# --- Dates and money ---------------------------------------------------------------


def test_not_future_accepts_past_and_today():
    validate_not_future(dt.date(2020, 8, 10))
    validate_not_future(dt.date.today())
    validate_not_future(None)
    validate_not_future(dt.datetime(2020, 8, 10, 12, 0))


def test_not_future_refuses_a_later_date():
    with pytest.raises(ValidationError) as excinfo:
        validate_not_future(dt.date.today() + dt.timedelta(days=2))
    assert excinfo.value.code == "future_date"
    assert "is in the future" in error_message(excinfo)


@pytest.mark.parametrize("founded", [dt.date(1, 1, 1), dt.date(1800, 1, 1), dt.date(1899, 12, 31)])
def test_a_founding_date_before_1900_is_refused_with_the_earliest_date(founded):
    with pytest.raises(ValidationError) as excinfo:
        validate_founding_date(founded)
    assert excinfo.value.code == "founding_too_early"
    assert f"{founded.isoformat()} is too early" in error_message(excinfo)
    assert "from 1900-01-01 on" in error_message(excinfo)


def test_a_founding_date_from_1900_is_taken():
    validate_founding_date(dt.date(1900, 1, 1))
    validate_founding_date(dt.date(2022, 3, 15))
    validate_founding_date(None)


def test_an_event_before_the_founding_is_refused_and_one_from_that_day_taken():
    founded = dt.date(2022, 3, 15)
    validate_not_before_founding(founded, founded)
    validate_not_before_founding(None, founded)
    with pytest.raises(ValidationError) as excinfo:
        validate_not_before_founding(dt.date(2019, 3, 1), founded)
    assert excinfo.value.code == "before_founding"
    assert "(2022-03-15)" in error_message(excinfo)


def test_a_certification_is_valid_through_its_expiry_date():
    on = dt.date(2026, 12, 4)
    assert certification_expired(dt.date(2025, 1, 1), on)
    assert not certification_expired(on, on)
    assert not certification_expired(None, on)


def test_an_employee_count_has_a_human_maximum_written_readably():
    validate_employee_count(0)
    validate_employee_count(100_000)
    validate_employee_count(None)
    with pytest.raises(ValidationError) as excinfo:
        validate_employee_count(99999999999999999999)
    assert error_message(excinfo) == "Enter a number from 0 to 100,000."


def test_currencies():
    assert CURRENCIES == ("KRW", "CNY", "USD")
    for currency in CURRENCIES:
        validate_currency(currency)
    with pytest.raises(ValidationError) as excinfo:
        validate_currency("EUR")
    assert "KRW, CNY and USD" in error_message(excinfo)


@pytest.mark.parametrize(
    ("amount", "currency"),
    [
        (Decimal("500000000"), "KRW"),
        (Decimal("500000000.00"), "KRW"),
        (1, "KRW"),
        (Decimal("1250.50"), "USD"),
        ("99.9", "CNY"),
    ],
)
def test_money_valid(amount, currency):
    validate_money(amount, currency)


@pytest.mark.parametrize(
    ("amount", "currency", "code"),
    [
        (Decimal("1000.5"), "KRW", "amount_places"),
        (Decimal("10.001"), "USD", "amount_places"),
        (Decimal("-1"), "CNY", "amount_not_positive"),
        (0, "USD", "amount_not_positive"),
        ("abc", "USD", "amount_invalid"),
        (Decimal("NaN"), "USD", "amount_invalid"),
        (100, "EUR", "currency"),
    ],
)
def test_money_invalid(amount, currency, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_money(amount, currency)
    assert excinfo.value.code == code


def test_money_zero_when_allowed():
    validate_money(0, "KRW", allow_zero=True)
    with pytest.raises(ValidationError) as excinfo:
        validate_money(-5, "KRW", allow_zero=True)
    assert excinfo.value.code == "amount_negative"  # "0 or above", not "above zero"


def test_format_money():
    assert format_money(Decimal("500000000"), "KRW") == "KRW 500,000,000"
    assert format_money(Decimal("500000000.00"), "KRW") == "KRW 500,000,000"
    assert format_money(Decimal("1250.5"), "USD") == "USD 1,250.50"
    assert format_money(30000, "CNY") == "CNY 30,000"


# --- The examples users are shown ----------------------------------------------------


def test_every_example_shown_to_a_user_passes_its_own_validator():
    validate_brn(BRN_EXAMPLE)
    validate_uscc(USCC_EXAMPLE)
    for (jurisdiction, kind), example in PATENT_EXAMPLES.items():
        validate_patent_number(jurisdiction, kind, example)
        assert example in patent_number_help(jurisdiction, kind)


def test_the_format_messages_show_the_examples():
    with pytest.raises(ValidationError) as excinfo:
        validate_brn("12-345")
    assert BRN_EXAMPLE in error_message(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc("9111")
    assert USCC_EXAMPLE in error_message(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        validate_patent_number("KR", "registration", "10-2020-0123456")
    assert PATENT_EXAMPLES["KR", "registration"] in error_message(excinfo)
