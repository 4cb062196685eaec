import datetime as dt
import json
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

from django.utils import translation  # noqa: E402

from programs.admissions.screening import (  # noqa: E402
    CERTIFICATION_KINDS,
    CRITERIA,
    SECTORS,
    CertificationFact,
    CompanyFacts,
    FundingFact,
    MarketFact,
    PatentFact,
    Policy,
    months_between,
    render_reason,
    screen,
)

ON = dt.date(2025, 5, 20)

ARTICLE_POLICY = Policy(
    version=1,
    min_years_since_founding=3,
    patents_required=1,
    patents_registered_only=False,
    financing_or_market_required=True,
    certification_kinds_accepted=frozenset({"venture", "innobiz", "mainbiz"}),
    certification_must_be_valid=True,
    sectors_accepted=frozenset(),
)

NOTHING_REQUIRED = Policy(
    version=2,
    min_years_since_founding=0,
    patents_required=0,
    financing_or_market_required=False,
    certification_kinds_accepted=frozenset(),
    sectors_accepted=frozenset(),
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def registered(number="10-1234567", id=1, jurisdiction="KR"):
    return PatentFact(id, jurisdiction, "registered", number, "Sensor")


def application(number="10-2023-0123456", id=2, jurisdiction="KR"):
    return PatentFact(id, jurisdiction, "application", number, "Sensor")


def funding(id=10, amount=Decimal("500000000"), date=dt.date(2023, 5, 1)):
    return FundingFact(id, "seed", amount, "KRW", date)


def market(id=20, amount=Decimal("20000"), date=dt.date(2024, 2, 1)):
    return MarketFact(id, "contract", amount, "USD", date)


def certification(kind="venture", number="20230101", id=30, issued_on=None, expires_on=None):
    return CertificationFact(
        id, kind, number, issued_on or dt.date(2024, 3, 2), expires_on or dt.date(2027, 3, 1)
    )


def company(founded_on=dt.date(2020, 8, 10), sector="ai"):
    return CompanyFacts(founded_on=founded_on, sector=sector)


def run(policy=ARTICLE_POLICY, facts=None, patents=(), fundings=(), markets=(), certs=(), on=ON):
    return screen(
        policy, facts or company(), list(patents), list(fundings), list(markets), list(certs), on
    )


def strong(policy=ARTICLE_POLICY, **changes):
    """Screen an application that meets every criterion, with some facts changed."""
    values = {
        "facts": company(),
        "patents": [registered()],
        "fundings": [funding()],
        "markets": [],
        "certs": [certification()],
    }
    values.update(changes)
    return run(policy, **values)


# --- Age ----------------------------------------------------------------------------


def test_founded_exactly_three_years_ago_today_passes():
    result = strong(facts=company(founded_on=dt.date(2022, 5, 20))).criterion("age")
    assert result.passed and result.required
    assert result.reason == "Founded 3 years ago (at least 3 years asked)."


def test_founded_one_day_short_of_three_years_fails():
    result = strong(facts=company(founded_on=dt.date(2022, 5, 21))).criterion("age")
    assert not result.passed
    assert result.reason == "Founded 2 years 11 months ago; this program asks for 3 years."


def test_founded_two_years_eleven_months_ago_fails_with_months():
    result = strong(facts=company(founded_on=dt.date(2022, 6, 10))).criterion("age")
    assert not result.passed
    assert "2 years 11 months" in result.reason
    assert result.reason_code == "age_short"
    assert result.reason_params == {
        "founded_on": "2022-06-10",
        "years": 2,
        "months": 11,
        "required": 3,
    }


def test_founded_long_ago_passes_with_years_and_months():
    result = strong(facts=company(founded_on=dt.date(2020, 4, 1))).criterion("age")
    assert result.passed
    assert result.reason == "Founded 5 years 1 month ago (at least 3 years asked)."


def test_founded_recently_reads_well():
    result = strong(facts=company(founded_on=dt.date(2025, 5, 1))).criterion("age")
    assert result.reason == "Founded less than a month ago; this program asks for 3 years."
    result = strong(facts=company(founded_on=dt.date(2024, 5, 1))).criterion("age")
    assert result.reason == "Founded 1 year ago; this program asks for 3 years."


def test_age_singular_requirement():
    policy = Policy(version=3, min_years_since_founding=1)
    result = strong(policy, facts=company(founded_on=dt.date(2023, 1, 1))).criterion("age")
    assert result.reason == "Founded 2 years 4 months ago (at least 1 year asked)."


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2020, 2, 29), dt.date(2023, 2, 28), 36),  # leap day: anniversary on 28 Feb
        (dt.date(2020, 2, 29), dt.date(2023, 2, 27), 35),
        (dt.date(2020, 2, 29), dt.date(2024, 2, 29), 48),
        (dt.date(2020, 2, 28), dt.date(2023, 2, 28), 36),
        (dt.date(2021, 1, 31), dt.date(2021, 2, 28), 1),  # month end
        (dt.date(2021, 1, 31), dt.date(2021, 2, 27), 0),
        (dt.date(2021, 3, 31), dt.date(2021, 4, 30), 1),
        (dt.date(2021, 3, 31), dt.date(2021, 4, 29), 0),
        (dt.date(2021, 12, 15), dt.date(2022, 1, 14), 0),  # across a year
        (dt.date(2021, 12, 15), dt.date(2022, 1, 15), 1),
        (dt.date(2022, 5, 20), dt.date(2022, 5, 20), 0),
        (dt.date(2026, 1, 1), dt.date(2025, 1, 1), 0),  # founded after the date
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months


def test_born_on_leap_day_is_three_on_28_february():
    facts = company(founded_on=dt.date(2020, 2, 29))
    assert strong(facts=facts, on=dt.date(2023, 2, 28)).criterion("age").passed
    assert not strong(facts=facts, on=dt.date(2023, 2, 27)).criterion("age").passed


# --- Patents ------------------------------------------------------------------------------


def test_registered_patent_passes():
    result = strong(patents=[registered()]).criterion("patents")
    assert result.passed
    assert result.reason == "1 registered patent: KR 10-1234567 (at least 1 asked)."
    assert result.evidence_ids == (1,)


def test_too_few_patents_fail_and_list_them():
    policy = Policy(version=3, patents_required=2)
    result = strong(policy, patents=[registered()]).criterion("patents")
    assert not result.passed
    assert result.reason == "1 registered patent: KR 10-1234567 (2 asked)."


def test_applications_count_when_policy_allows():
    result = strong(patents=[application()]).criterion("patents")
    assert result.passed
    assert result.reason == "1 patent application: KR 10-2023-0123456 (at least 1 asked)."
    result = strong(
        patents=[
            registered(),
            application(id=2),
            application("201710601862.3", id=3, jurisdiction="CN"),
        ]
    ).criterion("patents")
    assert result.reason == (
        "1 registered patent and 2 patent applications: KR 10-1234567, "
        "KR 10-2023-0123456, CN 201710601862.3 (at least 1 asked)."
    )
    assert result.evidence_ids == (1, 2, 3)


def test_registered_only_policy_ignores_applications():
    policy = Policy(version=3, patents_registered_only=True)
    result = strong(policy, patents=[application(id=2), application(id=3)]).criterion("patents")
    assert not result.passed
    assert result.evidence_ids == ()
    assert result.reason == (
        "No registered patent recorded (1 asked). "
        "2 patent applications do not count under this policy."
    )
    result = strong(policy, patents=[registered(), application()]).criterion("patents")
    assert result.passed
    assert result.evidence_ids == (1,)


def test_no_patent_fails():
    result = strong(patents=[]).criterion("patents")
    assert not result.passed
    assert result.reason == "No patent recorded (1 asked)."


def test_long_patent_list_is_shortened():
    patents = [registered(f"10-123456{i}", id=i) for i in range(7)]
    result = strong(patents=patents).criterion("patents")
    assert result.reason.endswith("KR 10-1234564 and 2 more (at least 1 asked).")
    assert len(result.evidence_ids) == 7


def test_unknown_patent_status_is_refused():
    with pytest.raises(ValueError):
        PatentFact(1, "KR", "granted", "10-1234567")


# --- Financing or market validation --------------------------------------------------


def test_financing_passes():
    result = strong(fundings=[funding()]).criterion("financing")
    assert result.passed
    assert result.reason == "1 financing round, latest KRW 500,000,000 on 2023-05-01."
    assert result.evidence_ids == (10,)


def test_market_validation_alone_passes():
    result = strong(fundings=[], markets=[market(), market(21, None, dt.date(2024, 6, 1))])
    result = result.criterion("financing")
    assert result.passed
    assert result.reason == "2 market validations, latest on 2024-06-01."
    assert result.evidence_ids == (20, 21)


def test_financing_and_market_together():
    result = strong(fundings=[funding()], markets=[market()]).criterion("financing")
    assert result.reason == (
        "1 financing round, latest KRW 500,000,000 on 2023-05-01; "
        "1 market validation, latest USD 20,000 on 2024-02-01."
    )


def test_no_financing_fails():
    result = strong(fundings=[], markets=[]).criterion("financing")
    assert not result.passed
    assert result.reason == "No financing round or market validation recorded."


def test_financing_after_the_screening_date_does_not_count():
    result = strong(fundings=[funding(date=dt.date(2025, 6, 1))]).criterion("financing")
    assert not result.passed
    assert result.reason == (
        "No financing round or market validation recorded. "
        "1 record dated after 2025-05-20 was not counted."
    )


# --- Certification ----------------------------------------------------------------------


def test_valid_certification_passes():
    result = strong(certs=[certification()]).criterion("certification")
    assert result.passed
    assert result.reason == "Venture Business Confirmation no. 20230101 valid until 2027-03-01."
    assert result.evidence_ids == (30,)


def test_certification_valid_on_its_expiry_day():
    cert = certification(expires_on=ON)
    assert strong(certs=[cert]).criterion("certification").passed


def test_expired_certification_fails_when_it_must_be_valid():
    cert = certification("innobiz", "", expires_on=dt.date(2024, 1, 1))
    result = strong(certs=[cert]).criterion("certification")
    assert not result.passed
    assert result.reason == "INNOBIZ certificate expired on 2024-01-01."
    assert result.evidence_ids == ()


def test_expired_certification_counts_when_validity_not_required():
    policy = Policy(
        version=3,
        certification_kinds_accepted={"innobiz"},
        certification_must_be_valid=False,
    )
    cert = certification(
        "innobiz", "", issued_on=dt.date(2021, 1, 1), expires_on=dt.date(2024, 1, 1)
    )
    result = strong(policy, certs=[cert]).criterion("certification")
    assert result.passed
    assert result.reason == "INNOBIZ certificate issued on 2021-01-01."


def test_valid_certificate_wins_over_expired_one():
    certs = [
        certification("innobiz", "", id=31, expires_on=dt.date(2024, 1, 1)),
        certification("mainbiz", "M-7", id=32, expires_on=dt.date(2026, 1, 1)),
    ]
    result = strong(certs=certs).criterion("certification")
    assert result.passed
    assert result.reason == "MAIN-BIZ certificate no. M-7 valid until 2026-01-01."
    assert result.evidence_ids == (32,)


def test_certificate_issued_after_the_screening_date_fails():
    cert = certification(issued_on=dt.date(2025, 6, 1))
    result = strong(certs=[cert]).criterion("certification")
    assert not result.passed
    assert (
        result.reason == "Venture Business Confirmation no. 20230101 is valid only from 2025-06-01."
    )


def test_certification_kind_not_accepted_does_not_count():
    certs = [certification("tips"), certification("rnd_center", id=31)]
    result = strong(certs=certs).criterion("certification")
    assert not result.passed
    assert result.reason == (
        "No accepted certification recorded; this policy accepts "
        "Venture Business Confirmation, INNOBIZ certificate, MAIN-BIZ certificate. "
        "TIPS selection, Corporate R&D center recognition are not accepted."
    )


def test_no_certification_fails():
    result = strong(certs=[]).criterion("certification")
    assert not result.passed
    assert result.reason_code == "certification_missing"


def test_certification_without_expiry():
    cert = CertificationFact(30, "rnd_center", "", dt.date(2022, 1, 1), None)
    policy = Policy(version=3)
    result = strong(policy, certs=[cert]).criterion("certification")
    assert result.passed
    assert result.reason == "Corporate R&D center recognition, valid without expiry date."


# --- Sector ------------------------------------------------------------------------------


def test_sector_not_required_by_default():
    result = strong().criterion("sector")
    assert result.passed and not result.required
    assert result.reason == "Not required by this policy."


def test_sector_accepted():
    policy = Policy(version=3, sectors_accepted={"ai", "intelligent_manufacturing"})
    result = strong(policy, facts=company(sector="ai")).criterion("sector")
    assert result.passed and result.required
    assert result.reason == "Artificial intelligence is among the sectors this program accepts."


def test_sector_not_accepted():
    policy = Policy(version=3, sectors_accepted={"ai", "intelligent_manufacturing"})
    result = strong(policy, facts=company(sector="education")).criterion("sector")
    assert not result.passed
    assert result.reason == (
        "Education is not among the sectors this program accepts: "
        "Artificial intelligence, Intelligent manufacturing."
    )


# --- Policy -----------------------------------------------------------------------------


def test_criteria_not_required_pass_with_reason():
    result = run(NOTHING_REQUIRED, facts=company(founded_on=dt.date(2025, 1, 1)))
    assert [c.code for c in result.criteria] == list(CRITERIA)
    for criterion in result.criteria:
        assert criterion.passed
        assert not criterion.required
        assert criterion.reason == "Not required by this policy."
        assert criterion.reason_code == "not_required"
    assert result.recommendation == "meets_all"


def test_policy_rejects_unknown_codes_and_accepts_lists():
    with pytest.raises(ValueError):
        Policy(version=1, certification_kinds_accepted={"venture", "ventre"})
    with pytest.raises(ValueError):
        Policy(version=1, sectors_accepted={"fintech"})
    with pytest.raises(ValueError):
        Policy(version=1, min_years_since_founding=-1)
    policy = Policy(version=1, sectors_accepted=["ai"])
    assert policy.sectors_accepted == frozenset({"ai"})


def test_codes():
    assert CERTIFICATION_KINDS == (
        "venture",
        "innobiz",
        "mainbiz",
        "rnd_center",
        "tips",
        "high_tech",
        "other",
    )
    assert SECTORS == (
        "ai",
        "scitech_finance",
        "intelligent_manufacturing",
        "education",
        "bio_health",
        "energy_environment",
        "other",
    )
    assert "other" not in Policy(version=1).certification_kinds_accepted


# --- Recommendation and score ----------------------------------------------------------


def test_recommendation_values():
    assert strong().recommendation == "meets_all"
    assert strong(certs=[]).recommendation == "meets_some"
    none = run(facts=company(founded_on=dt.date(2024, 1, 1)))
    assert none.recommendation == "meets_none"


def test_score_orders_all_some_none():
    all_passed = strong()
    some = strong(certs=[], fundings=[])
    some_more = strong(certs=[])
    none = run(facts=company(founded_on=dt.date(2024, 1, 1)))
    assert all_passed.score > some_more.score > some.score > none.score
    assert 0 <= none.score and all_passed.score <= 100


def test_more_passed_criteria_beat_any_bonus():
    # Many patents, rounds and certificates cannot lift a "some" above an "all".
    rich_some = strong(
        facts=company(founded_on=dt.date(2024, 1, 1)),
        patents=[registered(id=i) for i in range(10)],
        fundings=[funding(id=100 + i) for i in range(10)],
        certs=[certification(id=200 + i) for i in range(5)],
    )
    poor_all = strong(patents=[application()], certs=[certification()])
    assert rich_some.recommendation == "meets_some"
    assert poor_all.recommendation == "meets_all"
    assert poor_all.score > rich_some.score


def test_registered_patent_scores_more_than_application():
    assert strong(patents=[registered()]).score > strong(patents=[application()]).score
    # Also when the criterion is not required.
    with_registered = run(NOTHING_REQUIRED, patents=[registered()])
    with_application = run(NOTHING_REQUIRED, patents=[application()])
    assert with_registered.score > with_application.score


def test_more_evidence_scores_higher():
    assert strong(fundings=[funding(), funding(11)]).score > strong(fundings=[funding()]).score


def test_score_values():
    # 4 of 4 required criteria: 90, + 2 (registered patent) + 1 (round) + 1 (certificate).
    assert strong().score == 94.0
    # 3 of 4: 67.5 + 2 + 1.
    assert strong(certs=[]).score == 70.5


# --- Rendering later, in another language ----------------------------------------------


def test_result_renders_again_from_code_and_params():
    result = strong(facts=company(founded_on=dt.date(2022, 6, 10)), fundings=[], certs=[])
    stored = json.loads(json.dumps(result.to_dict()))
    for criterion, data in zip(result.criteria, stored["criteria"], strict=True):
        assert render_reason(data["reason_code"], data["reason_params"]) == criterion.reason
        assert criterion.render() == criterion.reason
    assert stored["recommendation"] == "meets_some"
    assert stored["on"] == "2025-05-20"


def test_reason_is_rendered_in_the_active_language(monkeypatch):
    # No catalogue is needed: a stand-in for Django's gettext tags each text
    # with the language it was asked in.
    from programs.admissions import screening

    def tagged(message):
        return f"[{translation.get_language()}] {message}"

    monkeypatch.setattr(screening, "django_gettext", tagged)
    monkeypatch.setattr(screening, "_TRANSLATIONS", {})
    result = strong(fundings=[]).criterion("financing")
    assert result.reason == "[en] No financing round or market validation recorded."
    with translation.override("ko"):
        assert strong(fundings=[]).criterion("financing").reason == (
            "[ko] No financing round or market validation recorded."
        )
        assert render_reason(result.reason_code, result.reason_params) == (
            "[ko] No financing round or market validation recorded."
        )
    assert render_reason(result.reason_code, result.reason_params) == result.reason
    monkeypatch.undo()
    assert render_reason(result.reason_code, result.reason_params) == (
        "No financing round or market validation recorded."
    )
