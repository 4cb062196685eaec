"""Fuzz the portal's forms: random, huge, NUL-containing and non-BMP input.

Whatever is posted, the page answers below 500, and a POST that did not succeed
leaves the tables it writes to as they were: no half-saved row. Each example
posts either one bad field among good ones (so the bad value travels as far as
the services and the database) or every field at random; as urlencoded or as
multipart. Each example runs in a savepoint rolled back afterwards, so every
example starts from the same data, made once per test.

NUL bytes only fail on PostgreSQL: run this file with DATABASE_URL set to one too.
"""

import io
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.models import (
    Certification,
    Company,
    Document,
    FundingRound,
    Invitation,
    MarketValidation,
    Membership,
    Patent,
)
from events.models import MeetingRequest, Registration, Score
from incubator.models import OutboxMessage, User
from programs import stages
from programs.admissions.models import Application
from programs.models import FundApplication, QuarterlyReport, ServiceMessage, ServiceRequest
from tests.companies.factories import (
    PASSWORD,
    ApplicationFactory,
    CompanyFactory,
    UserFactory,
    _brn,
)
from tests.events.factories import EventFactory, PartnerRegistrationFactory, RegistrationFactory
from tests.programs.factories import FundCallFactory
from tests.security.conftest import signed_in

pytestmark = pytest.mark.django_db

settings.register_profile(
    "portal-forms",
    max_examples=25,
    deadline=None,
    # The data is made once per test by its fixtures; each example rolls back its writes.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # No example database in the working tree: a failure prints its reproducing example.
    database=None,
)
PROFILE = settings.get_profile("portal-forms")

HUGE = 10_001
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF), min_size=1, max_size=8),
    st.sampled_from(["😀", "👩‍💻", "𠜎𠜱𠝹", "\u202egnp.exe", "٣", "½", " ", ""]),
)
NUL = st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=8), st.text(max_size=8))
LONG = st.one_of(
    # Just past a column's length: CharField(max_length=…) and the 254 of an e-mail address.
    st.builds(
        lambda n, c: c * n, st.sampled_from([61, 101, 151, 201, 256, 301]), st.sampled_from("x한😀")
    ),
    st.builds(lambda n: "a" * n + "@example.kr", st.integers(244, 309)),
    st.builds(
        lambda piece, extra: (piece * (HUGE // len(piece) + 1))[: HUGE + extra],
        st.text(min_size=1, max_size=6),
        st.integers(0, 2_000),
    ),
)
NUMBER = st.sampled_from(
    ["9" * 40, "1e999999", "1E-999999", "NaN", "-0", "0x10", "1_000", "2147483648", "-1", "1.234"]
)
NASTY = st.one_of(TEXT, NUL, LONG, NUMBER)
PDF = b"%PDF-1.4\n%%EOF\n"


@dataclass
class Case:
    """A form of the portal: who posts it where, good values per field, what it writes."""

    client: Client
    url: str
    good: dict[str, list[str]]
    tables: tuple = ()
    # Rows an unsuccessful POST must leave exactly as they were.
    rows: callable = lambda: None
    file_fields: tuple = ()

    def succeeded(self, response) -> bool:
        if any(t.name == "accounts/sign_up_done.html" for t in response.templates):
            return True
        said = list(get_messages(response.wsgi_request))
        return response.status_code == 302 and not any(m.level >= messages.ERROR for m in said)


def values_of(model, pk):
    return model.objects.filter(pk=pk).values().first()


FILE_NAMES = st.one_of(
    st.sampled_from(["확인서.pdf", "😀" * 300 + ".pdf", "../../etc/passwd", "x" * 400 + ".pdf"]),
    NASTY,
)
FILE_CONTENTS = st.one_of(st.just(PDF), st.binary(max_size=64))


@st.composite
def posted(draw, case: Case) -> dict:
    names = sorted(case.good)
    one_bad_field = draw(st.integers(0, 3)) > 0  # three examples in four
    if one_bad_field:
        target = draw(st.sampled_from(names))
        data = {name: draw(st.sampled_from(case.good[name])) for name in names if name != target}
        data[target] = draw(NASTY)
    else:
        data = {name: draw(st.one_of(st.sampled_from(case.good[name]), NASTY)) for name in names}
    for name in case.file_fields:
        data[name] = (draw(FILE_NAMES), draw(FILE_CONTENTS))
    return data


class NamedBytes(io.BytesIO):
    """A file with any name at all, as a browser may send (SimpleUploadedFile checks names)."""

    def __init__(self, name: str, content: bytes):
        super().__init__(content)
        self.name = name


def post(case: Case, data: dict, urlencoded: bool):
    # Messages of an earlier example stay in the cookie when no page showed them.
    case.client.cookies.pop("messages", None)
    if urlencoded and not case.file_fields:
        return case.client.post(
            case.url, urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    files = {name: NamedBytes(*data.pop(name)) for name in case.file_fields}
    return case.client.post(case.url, {**data, **files})


def counts(tables) -> dict:
    return {model.__name__: model.objects.count() for model in tables}


def fuzz(case: Case, data: dict, urlencoded: bool) -> None:
    with transaction.atomic():
        before, rows = counts(case.tables), case.rows()
        response = post(case, data, urlencoded)
        assert response.status_code < 500
        if not case.succeeded(response):
            assert counts(case.tables) == before
            assert case.rows() == rows
        transaction.set_rollback(True)


# --- The forms ------------------------------------------------------------------------------

DATE = ["2020-03-02"]


def company_fields(brn: str) -> dict:
    return {
        "name_ko": ["테스트기술"],
        "name_zh": ["测试技术", ""],
        "name_en": ["Test Technology"],
        "brn": [brn],
        "founded_on": ["2019-03-02"],
        "sector": ["ai"],
        "description_ko": ["음성 인식"],
        "description_zh": [""],
        "description_en": ["Speech recognition"],
        "website": ["example.kr", ""],
        "city": ["Seoul"],
        "employees": ["12", ""],
        "consent_to_partners": ["on", ""],
    }


@pytest.fixture
def owner(client, member):
    return signed_in(client, member)


@pytest.fixture
def draft(member):
    return ApplicationFactory(company=member.membership.company)


def step(draft, name):
    return reverse("programs:application-step", args=[draft.pk, name])


WIZARD = (Application, Patent, FundingRound, MarketValidation, Certification, Document)


def case_sign_up(request):
    client = Client()
    client.cookies["lang"] = "en"
    good = {
        "email": ["new.founder@example.kr"],
        "full_name": ["김민준 Kim Min-jun"],
        "language": ["ko", "zh-hans", "en"],
        "time_zone": ["Asia/Seoul"],
        "password1": [PASSWORD],
        "password2": [PASSWORD],
    }
    return Case(client, reverse("portal:sign-up"), good, (User, OutboxMessage))


def case_preferences(request):
    client = request.getfixturevalue("owner")
    user = request.getfixturevalue("member")
    good = {
        "full_name": ["Kim"],
        "language": ["ko", "en"],
        "time_zone": ["Asia/Seoul", "Asia/Shanghai"],
    }
    return Case(client, reverse("portal:preferences"), good, rows=lambda: values_of(User, user.pk))


def case_company_create(request):
    client = signed_in(request.getfixturevalue("client"), UserFactory())
    good = company_fields(_brn(9000))
    return Case(client, reverse("companies:company-create"), good, (Company, Membership))


def case_company_edit(request):
    client, draft = request.getfixturevalue("owner"), request.getfixturevalue("draft")
    company = draft.company
    return Case(
        client,
        step(draft, "company"),
        {**company_fields(company.brn), "action": ["", "continue"]},
        WIZARD,
        rows=lambda: (values_of(Company, company.pk), values_of(Application, draft.pk)),
    )


def case_patent(request):
    client, draft = request.getfixturevalue("owner"), request.getfixturevalue("draft")
    good = {
        "form": ["patent"],
        "jurisdiction": ["KR", "CN"],
        "kind": ["invention"],
        "status": ["application", "registered"],
        "number": ["10-2020-0123456"],
        "title": ["Method for speech recognition"],
        "applied_on": DATE,
        "registered_on": ["2021-05-06", ""],
    }
    return Case(
        client,
        step(draft, "patents"),
        good,
        WIZARD,
        rows=lambda: values_of(Application, draft.pk),
    )


def case_funding_round(request):
    client, draft = request.getfixturevalue("owner"), request.getfixturevalue("draft")
    good = {
        "form": ["funding"],
        "funding-round_type": ["seed"],
        "funding-amount": ["500000000", "1.50"],
        "funding-currency": ["KRW", "USD"],
        "funding-investor": ["Korea Accelerator Fund"],
        "funding-date": DATE,
    }
    return Case(client, step(draft, "financing"), good, WIZARD)


def case_market_validation(request):
    client, draft = request.getfixturevalue("owner"), request.getfixturevalue("draft")
    good = {
        "form": ["market"],
        "market-kind": ["revenue"],
        "market-description": ["Pilot contract with a hospital"],
        "market-amount": ["120000", ""],
        "market-currency": ["USD", ""],
        "market-date": DATE,
    }
    return Case(client, step(draft, "financing"), good, WIZARD)


def case_certification(request):
    client, draft = request.getfixturevalue("owner"), request.getfixturevalue("draft")
    good = {
        "form": ["certification"],
        "kind": ["venture"],
        "number": ["2023-0001"],
        "issued_on": DATE,
        "expires_on": ["2030-01-01", ""],
    }
    return Case(client, step(draft, "certifications"), good, WIZARD)


def case_document(request):
    client, draft = request.getfixturevalue("owner"), request.getfixturevalue("draft")
    good = {"form": ["document"], "kind": ["certificate", "pitch"]}
    return Case(client, step(draft, "documents"), good, WIZARD, file_fields=("file",))


def case_review(request):
    client, draft = request.getfixturevalue("owner"), request.getfixturevalue("draft")
    good = {"market_fit": ["Hospitals in Harbin need it."], "action": ["save", "submit"]}
    return Case(
        client,
        step(draft, "review"),
        good,
        WIZARD,
        rows=lambda: values_of(Application, draft.pk),
    )


def case_member_invite(request):
    client = request.getfixturevalue("owner")
    good = {"email": ["colleague@example.kr"]}
    return Case(client, reverse("programs:member-invite"), good, (Invitation, OutboxMessage))


def case_service_request(request):
    client = request.getfixturevalue("owner")
    good = {
        "kind": ["visa", "tax"],
        "subject": ["Visa for our engineer"],
        "body": ["She starts in March."],
    }
    return Case(
        client,
        reverse("programs:request-create"),
        good,
        (ServiceRequest, ServiceMessage, OutboxMessage),
    )


def case_fund_apply(request):
    request.getfixturevalue("enrolled_on")
    client = request.getfixturevalue("owner")
    good = {"amount_requested": ["50000", "0.50"], "purpose": ["A test bench."]}
    url = reverse("programs:fund-apply", args=[FundCallFactory().pk])
    return Case(client, url, good, (FundApplication, OutboxMessage))


def case_quarterly_report(request):
    started_on = request.getfixturevalue("enrolled_on")
    client = request.getfixturevalue("owner")
    due = stages.quarters_due(started_on=started_on, today=timezone.localdate())
    good = {
        "period": [f"{q.year}-{q.quarter}" for q in due],
        "revenue": ["1000", "0"],
        "revenue_currency": ["CNY", "KRW"],
        "employees_china": ["3"],
        "employees_korea": ["2"],
        "funding_raised": ["0"],
        "funding_currency": ["CNY"],
        "customers_china": ["4"],
    }
    return Case(client, reverse("programs:report-create"), good, (QuarterlyReport,))


def case_event_register(request):
    client = request.getfixturevalue("owner")
    good = {"speaks_ko": ["on", ""], "speaks_zh": ["on", ""], "speaks_en": ["on", ""]}
    url = reverse("events:event-register", args=[EventFactory().pk])
    return Case(client, url, good, (Registration, OutboxMessage))


def case_meeting_request(request):
    founder = RegistrationFactory(membership__company=CompanyFactory(consent_to_partners=True))
    partner = PartnerRegistrationFactory(event=founder.event)
    client = signed_in(request.getfixturevalue("client"), founder.user)
    good = {
        "to": [str(partner.pk)],
        "priority": ["must", "would_like"],
        "message": ["Shall we talk about a pilot?", ""],
    }
    url = reverse("events:meeting-request-create", args=[founder.event.pk])
    return Case(client, url, good, (MeetingRequest, OutboxMessage))


def case_judging_score(request):
    assignment, criteria = request.getfixturevalue("sheet")
    client = signed_in(request.getfixturevalue("client"), assignment.judge)
    good = {"action": ["save", "submit"]}
    for criterion, values in zip(criteria, (["7", "9.5"], ["4", "0"]), strict=True):
        good[f"score_{criterion.pk}"] = values
        good[f"comment_{criterion.pk}"] = ["Strong patents", ""]
    return Case(
        client,
        reverse("events:judging-score", args=[assignment.pk]),
        good,
        (Score,),
        rows=lambda: values_of(type(assignment), assignment.pk),
    )


CASES = {
    name.removeprefix("case_"): builder
    for name, builder in globals().items()
    if name.startswith("case_")
}


@pytest.fixture(params=sorted(CASES))
def case(request) -> Case:
    return CASES[request.param](request)


@PROFILE
@given(data=st.data(), urlencoded=st.booleans())
def test_no_input_gives_a_server_error_or_a_half_saved_row(case, data, urlencoded):
    fuzz(case, data.draw(posted(case), label="posted"), urlencoded)
