"""Screen a startup's application against a versioned screening policy.

The center prefers startups that hold patents, were founded three or more
years ago, have a financing history or market validation and hold a Korean
venture or high-tech certification; a policy may also restrict sectors. Each
criterion passes or fails with a reason the startup can read. Staff decide
and may override a result elsewhere; this module only computes it.

Pure: plain dataclasses in, plain dataclasses out; no models, no database.
Reasons are rendered with gettext in the active language at call time. Each
criterion also carries ``reason_code`` and ``reason_params`` (plain values
only, JSON-serialisable), so a stored result can be shown later in another
language with ``render_reason(code, params)``.

Score (0 to 100, for sorting; higher is better)::

    score = 90 * passed_required / required      (90 when nothing is required)
          + min(2 * registered_patents + patent_applications, 5)
          + min(financing_rounds + market_validations, 3)   (dated on or before the screening date)
          + min(certifications_valid_on_the_screening_date, 2)

The bonus is at most 10 while one required criterion is worth at least 18
(90 / 5), so an application meeting more required criteria always ranks
higher; among equals, registered patents weigh twice as much as applications.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as django_gettext
from django.utils.translation import ngettext as django_ngettext

__all__ = [
    "CERTIFICATION_KINDS",
    "CERTIFICATION_LABELS",
    "CRITERIA",
    "DEFAULT_CERTIFICATION_KINDS",
    "PATENT_STATUSES",
    "RECOMMENDATIONS",
    "SECTORS",
    "SECTOR_LABELS",
    "CertificationFact",
    "CompanyFacts",
    "CriterionResult",
    "FundingFact",
    "MarketFact",
    "PatentFact",
    "Policy",
    "ScreeningResult",
    "base_score",
    "months_between",
    "recommendation_of",
    "render_reason",
    "screen",
    "with_overrides",
]

EvidenceId = int | str

CRITERIA = ("age", "patents", "financing", "certification", "sector")
CRITERION_LABELS = {
    "age": gettext_noop("Years since founding"),
    "patents": gettext_noop("Patents"),
    "financing": gettext_noop("Financing or market validation"),
    "certification": gettext_noop("Korean certification"),
    "sector": gettext_noop("Sector"),
}
RECOMMENDATIONS = ("meets_all", "meets_some", "meets_none")
PATENT_STATUSES = ("application", "registered")

# Labels are marked here and translated when a reason is rendered.
CERTIFICATION_LABELS = {
    "venture": gettext_noop("Venture Business Confirmation"),
    "innobiz": gettext_noop("INNOBIZ certificate"),
    "mainbiz": gettext_noop("MAIN-BIZ certificate"),
    "rnd_center": gettext_noop("Corporate R&D center recognition"),
    "tips": gettext_noop("TIPS selection"),
    "high_tech": gettext_noop("High-tech designation"),
    "other": gettext_noop("Other certification"),
}
CERTIFICATION_KINDS = tuple(CERTIFICATION_LABELS)
# The article's criterion: a Korean venture or high-tech certification.
DEFAULT_CERTIFICATION_KINDS = frozenset(CERTIFICATION_KINDS) - {"other"}

SECTOR_LABELS = {
    "ai": gettext_noop("Artificial intelligence"),
    "scitech_finance": gettext_noop("Science and technology finance"),
    "intelligent_manufacturing": gettext_noop("Intelligent manufacturing"),
    "education": gettext_noop("Education"),
    "bio_health": gettext_noop("Bio and health"),
    "energy_environment": gettext_noop("Energy and environment"),
    "other": gettext_noop("Other"),
}
SECTORS = tuple(SECTOR_LABELS)

# How many patent numbers a reason lists before "and N more".
_LISTED_PATENTS = 5


# --- Translation ---------------------------------------------------------------

# Django's gettext costs a few microseconds per call (thread-local look-ups of
# the active language), which dominated screening thousands of applications.
# Catalogues do not change while the process runs, so screen() and
# render_reason() look the language up once and memoise translations per
# language here. Lookups outside them go straight to Django.
_TRANSLATIONS: dict[str | None, dict[object, str]] = {}
_MAX_TRANSLATIONS = 5_000  # plural forms are keyed by count; keep the memo bounded
_translations: ContextVar[dict[object, str] | None] = ContextVar(
    "screening_translations", default=None
)


def _activate_translations() -> object:
    """Memoise translations for the active language until reset."""
    language = get_language()
    memo = _TRANSLATIONS.get(language)
    if memo is None or len(memo) > _MAX_TRANSLATIONS:
        memo = _TRANSLATIONS[language] = {}
    return _translations.set(memo)


def _(message: str) -> str:
    """Translate like gettext, memoised while screening."""
    memo = _translations.get()
    if memo is None:
        return django_gettext(message)
    result = memo.get(message)
    if result is None:
        result = memo[message] = django_gettext(message)
    return result


def ngettext(singular: str, plural: str, number: int) -> str:
    """Translate like Django's ngettext, memoised while screening."""
    memo = _translations.get()
    if memo is None:
        return django_ngettext(singular, plural, number)
    key = (singular, plural, number)
    result = memo.get(key)
    if result is None:
        result = memo[key] = django_ngettext(singular, plural, number)
    return result


# --- Policy and evidence -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Policy:
    """A version of the screening rules; defaults follow the center's criteria.

    A zero count or an empty set switches a criterion off.
    """

    version: int
    min_years_since_founding: int = 3
    patents_required: int = 1
    # Only granted patents count; otherwise applications count too.
    patents_registered_only: bool = False
    financing_or_market_required: bool = True
    certification_kinds_accepted: frozenset[str] = DEFAULT_CERTIFICATION_KINDS
    # The certificate must be valid on the screening date.
    certification_must_be_valid: bool = True
    # Empty: every sector is welcome.
    sectors_accepted: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Accept lists (e.g. from JSON) but store frozensets, and reject
        # unknown codes: a typo in a policy would silently fail everyone.
        kinds = frozenset(self.certification_kinds_accepted)
        sectors = frozenset(self.sectors_accepted)
        object.__setattr__(self, "certification_kinds_accepted", kinds)
        object.__setattr__(self, "sectors_accepted", sectors)
        if unknown := kinds - CERTIFICATION_LABELS.keys():
            raise ValueError(f"unknown certification kinds: {sorted(unknown)}")
        if unknown := sectors - SECTOR_LABELS.keys():
            raise ValueError(f"unknown sectors: {sorted(unknown)}")
        if self.min_years_since_founding < 0 or self.patents_required < 0:
            raise ValueError("required years and patents must not be negative")


@dataclass(frozen=True, slots=True)
class CompanyFacts:
    """What the screening needs to know about the company itself."""

    founded_on: dt.date
    sector: str


@dataclass(frozen=True, slots=True)
class PatentFact:
    """A patent or patent application; status is 'application' or 'registered'."""

    id: EvidenceId
    jurisdiction: str
    status: str
    number: str
    title: str = ""

    def __post_init__(self) -> None:
        if self.status not in PATENT_STATUSES:
            raise ValueError(f"unknown patent status: {self.status!r}")


@dataclass(frozen=True, slots=True)
class AmountFact:
    """Evidence of money on a date, of some kind; the amount may be unknown."""

    id: EvidenceId
    kind: str
    amount: Decimal | int | None
    currency: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class FundingFact(AmountFact):
    """A financing round (investment, loan, grant)."""


@dataclass(frozen=True, slots=True)
class MarketFact(AmountFact):
    """A market validation (sales, contract, pilot)."""


@dataclass(frozen=True, slots=True)
class CertificationFact:
    """A certification; expires_on is None when it does not expire."""

    id: EvidenceId
    kind: str
    number: str
    issued_on: dt.date
    expires_on: dt.date | None = None


# --- Results -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """The outcome of one criterion.

    evidence_ids lists the facts that count towards the criterion. reason is
    rendered at screening time; reason_code and reason_params re-render it.
    """

    code: str
    passed: bool
    required: bool
    reason: str
    evidence_ids: tuple[EvidenceId, ...]
    reason_code: str
    reason_params: dict[str, object]

    def render(self) -> str:
        """Render the reason in the active language."""
        return render_reason(self.reason_code, self.reason_params)


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """The outcome of a screening: one result per criterion, in CRITERIA order."""

    policy_version: int
    on: dt.date
    criteria: tuple[CriterionResult, ...]
    recommendation: str
    score: float

    def criterion(self, code: str) -> CriterionResult:
        """Return the result of the criterion with this code."""
        for result in self.criteria:
            if result.code == code:
                return result
        raise KeyError(code)

    def to_dict(self) -> dict[str, object]:
        """Return plain, JSON-serialisable values for storage."""
        return {
            "policy_version": self.policy_version,
            "on": self.on.isoformat(),
            "recommendation": self.recommendation,
            "score": self.score,
            "criteria": [
                {
                    "code": c.code,
                    "passed": c.passed,
                    "required": c.required,
                    "reason": c.reason,
                    "reason_code": c.reason_code,
                    "reason_params": c.reason_params,
                    "evidence_ids": list(c.evidence_ids),
                }
                for c in self.criteria
            ],
        }


# --- Calendar ------------------------------------------------------------------


def months_between(start: dt.date, end: dt.date) -> int:
    """Return the whole calendar months from start to end, 0 if end is earlier.

    A month is complete on the same day of a later month, or on that month's
    last day when it is shorter: from 31 January, one month is complete on
    28 (or 29) February; from 29 February 2020, three years on 28 February 2023.
    """
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        last_day = calendar.monthrange(end.year, end.month)[1]
        if end.day < min(start.day, last_day):
            months -= 1
    return max(months, 0)


# --- Screening -------------------------------------------------------------------


def screen(
    policy: Policy,
    company: CompanyFacts,
    patents: Sequence[PatentFact],
    fundings: Sequence[FundingFact],
    markets: Sequence[MarketFact],
    certifications: Sequence[CertificationFact],
    on: dt.date,
) -> ScreeningResult:
    """Screen one application as of the date on; see the module for the score."""
    # Evidence dated after the screening date is not history yet.
    past_fundings = [f for f in fundings if f.date <= on]
    past_markets = [m for m in markets if m.date <= on]
    future_count = len(fundings) + len(markets) - len(past_fundings) - len(past_markets)
    registered = [p for p in patents if p.status == "registered"]
    applications = [p for p in patents if p.status == "application"]

    token = _activate_translations()
    try:
        criteria = (
            _screen_age(policy, company, on),
            _screen_patents(policy, registered, applications),
            _screen_financing(policy, past_fundings, past_markets, future_count, on),
            _screen_certification(policy, certifications, on),
            _screen_sector(policy, company),
        )
    finally:
        _translations.reset(token)

    required = [c for c in criteria if c.required]
    passed = sum(1 for c in required if c.passed)
    recommendation = recommendation_of(passed, len(required))
    base = base_score(passed, len(required))
    valid_certifications = sum(1 for c in certifications if _is_valid(c, on))
    bonus = (
        min(2 * len(registered) + len(applications), 5)
        + min(len(past_fundings) + len(past_markets), 3)
        + min(valid_certifications, 2)
    )
    return ScreeningResult(
        policy_version=policy.version,
        on=on,
        criteria=criteria,
        recommendation=recommendation,
        score=round(base + bonus, 1),
    )


def recommendation_of(passed: int, required: int) -> str:
    """Return the recommendation for `passed` of `required` criteria met."""
    if passed == required:
        return "meets_all"
    return "meets_some" if passed else "meets_none"


def base_score(passed: int, required: int) -> float:
    """Return the 90 points of the required criteria, shared by those met."""
    return 90 * passed / required if required else 90


def with_overrides(result: Mapping[str, object], overrides: Mapping[str, str]) -> dict:
    """Return a stored result with staff overrides applied: an overridden criterion counts as met.

    The evidence bonus is kept; the base score and the recommendation follow the
    criteria now met.
    """
    result = dict(result)
    if not overrides:
        return result
    criteria = [
        {**c, "passed": True, "override": overrides[c["code"]]}
        if c["code"] in overrides and not c["passed"]
        else c
        for c in result["criteria"]
    ]
    required = sum(1 for c in criteria if c["required"])
    before = sum(1 for c in result["criteria"] if c["required"] and c["passed"])
    passed = sum(1 for c in criteria if c["required"] and c["passed"])
    bonus = result["score"] - base_score(before, required)
    return {
        **result,
        "criteria": criteria,
        "recommendation": recommendation_of(passed, required),
        "score": round(base_score(passed, required) + bonus, 1),
    }


def _result(
    code: str,
    passed: bool,
    reason_code: str,
    params: dict[str, object],
    evidence_ids: tuple[EvidenceId, ...] = (),
) -> CriterionResult:
    return CriterionResult(
        code=code,
        passed=passed,
        required=True,
        reason=_RENDERERS[reason_code](params),
        evidence_ids=evidence_ids,
        reason_code=reason_code,
        reason_params=params,
    )


def _not_required(code: str) -> CriterionResult:
    return CriterionResult(
        code=code,
        passed=True,
        required=False,
        reason=_("Not required by this policy."),
        evidence_ids=(),
        reason_code="not_required",
        reason_params={},
    )


def _screen_age(policy: Policy, company: CompanyFacts, on: dt.date) -> CriterionResult:
    required_years = policy.min_years_since_founding
    if not required_years:
        return _not_required("age")
    years, months = divmod(months_between(company.founded_on, on), 12)
    passed = years >= required_years
    params = {
        "founded_on": company.founded_on.isoformat(),
        "years": years,
        "months": months,
        "required": required_years,
    }
    return _result("age", passed, "age_met" if passed else "age_short", params)


def _screen_patents(
    policy: Policy, registered: list[PatentFact], applications: list[PatentFact]
) -> CriterionResult:
    required = policy.patents_required
    if not required:
        return _not_required("patents")
    only_registered = policy.patents_registered_only
    counted = registered if only_registered else registered + applications
    passed = len(counted) >= required
    params = {
        "registered": len(registered),
        "applications": 0 if only_registered else len(applications),
        "ignored_applications": len(applications) if only_registered else 0,
        "numbers": [f"{p.jurisdiction} {p.number}" for p in counted[:_LISTED_PATENTS]],
        "more": max(len(counted) - _LISTED_PATENTS, 0),
        "required": required,
        "registered_only": only_registered,
    }
    reason_code = "patents_met" if passed else "patents_short"
    return _result("patents", passed, reason_code, params, tuple(p.id for p in counted))


def _latest(facts: Sequence[AmountFact]) -> dict[str, object]:
    if not facts:
        return {"amount": None, "currency": "", "date": None}
    fact = max(facts, key=lambda f: f.date)
    amount = None if fact.amount is None else str(fact.amount)
    return {"amount": amount, "currency": fact.currency, "date": fact.date.isoformat()}


def _screen_financing(
    policy: Policy,
    fundings: list[FundingFact],
    markets: list[MarketFact],
    future_count: int,
    on: dt.date,
) -> CriterionResult:
    if not policy.financing_or_market_required:
        return _not_required("financing")
    passed = bool(fundings or markets)
    funding, market = _latest(fundings), _latest(markets)
    params = {
        "fundings": len(fundings),
        "funding_amount": funding["amount"],
        "funding_currency": funding["currency"],
        "funding_date": funding["date"],
        "markets": len(markets),
        "market_amount": market["amount"],
        "market_currency": market["currency"],
        "market_date": market["date"],
        "not_counted": future_count,
        "on": on.isoformat(),
    }
    evidence = tuple(f.id for f in fundings) + tuple(m.id for m in markets)
    reason_code = "financing_met" if passed else "financing_missing"
    return _result("financing", passed, reason_code, params, evidence)


def _is_valid(certification: CertificationFact, on: dt.date) -> bool:
    # The expiry date is the last day of validity.
    expires_on = certification.expires_on
    return certification.issued_on <= on and (expires_on is None or on <= expires_on)


def _screen_certification(
    policy: Policy, certifications: Sequence[CertificationFact], on: dt.date
) -> CriterionResult:
    accepted = policy.certification_kinds_accepted
    if not accepted:
        return _not_required("certification")
    candidates = [c for c in certifications if c.kind in accepted]

    if candidates and not policy.certification_must_be_valid:
        best = max(candidates, key=lambda c: c.issued_on)
        params = _certification_params(best)
        ids = tuple(c.id for c in candidates)
        return _result("certification", True, "certification_held", params, ids)

    if candidates:
        valid = [c for c in candidates if _is_valid(c, on)]
        if valid:
            # Show the one that stays valid longest; no expiry beats any date.
            best = max(valid, key=lambda c: c.expires_on or dt.date.max)
            params = _certification_params(best)
            ids = tuple(c.id for c in valid)
            return _result("certification", True, "certification_valid", params, ids)
        expired = [c for c in candidates if c.expires_on is not None and c.expires_on < on]
        if expired:
            params = _certification_params(max(expired, key=lambda c: c.expires_on))
            return _result("certification", False, "certification_expired", params)
        # Only certificates issued after the screening date remain.
        params = _certification_params(min(candidates, key=lambda c: c.issued_on))
        return _result("certification", False, "certification_not_yet_valid", params)

    not_accepted = list(dict.fromkeys(c.kind for c in certifications))
    params = {
        "accepted": [k for k in CERTIFICATION_KINDS if k in accepted],
        "not_accepted": not_accepted,
    }
    return _result("certification", False, "certification_missing", params)


def _certification_params(certification: CertificationFact) -> dict[str, object]:
    expires_on = certification.expires_on
    return {
        "kind": certification.kind,
        "number": certification.number,
        "issued_on": certification.issued_on.isoformat(),
        "expires_on": None if expires_on is None else expires_on.isoformat(),
    }


def _screen_sector(policy: Policy, company: CompanyFacts) -> CriterionResult:
    accepted = policy.sectors_accepted
    if not accepted:
        return _not_required("sector")
    passed = company.sector in accepted
    params = {
        "sector": company.sector,
        "accepted": [s for s in SECTORS if s in accepted],
    }
    reason_code = "sector_accepted" if passed else "sector_not_accepted"
    return _result("sector", passed, reason_code, params)


# --- Reasons ---------------------------------------------------------------------


def render_reason(code: str, params: Mapping[str, object]) -> str:
    """Render a stored reason in the active language.

    Raise KeyError for an unknown code (a result stored by a newer version).
    """
    token = _activate_translations()
    try:
        return _RENDERERS[code](params)
    finally:
        _translations.reset(token)


def _years(count: int) -> str:
    return ngettext("%(count)s year", "%(count)s years", count) % {"count": count}


def _months(count: int) -> str:
    return ngettext("%(count)s month", "%(count)s months", count) % {"count": count}


def _duration(years: int, months: int) -> str:
    if years and months:
        # Translators: a duration such as "2 years 4 months".
        return _("%(years)s %(months)s") % {
            "years": _years(years),
            "months": _months(months),
        }
    if years:
        return _years(years)
    if months:
        return _months(months)
    return _("less than a month")


def _render_not_required(params: Mapping[str, object]) -> str:
    return _("Not required by this policy.")


def _render_age(params: Mapping[str, object], met: bool) -> str:
    required = params["required"]
    values = {
        "duration": _duration(params["years"], params["months"]),
        "required": required,
    }
    if met:
        message = ngettext(
            "Founded %(duration)s ago (at least %(required)s year asked).",
            "Founded %(duration)s ago (at least %(required)s years asked).",
            required,
        )
    else:
        message = ngettext(
            "Founded %(duration)s ago; this program asks for %(required)s year.",
            "Founded %(duration)s ago; this program asks for %(required)s years.",
            required,
        )
    return message % values


def _join(items: Sequence[str]) -> str:
    # Translators: separator between items of a list, such as patent numbers.
    return _(", ").join(items)


def _render_patents(params: Mapping[str, object], met: bool) -> str:
    registered = params["registered"]
    applications = params["applications"]
    parts = []
    if registered:
        parts.append(
            ngettext("%(count)s registered patent", "%(count)s registered patents", registered)
            % {"count": registered}
        )
    if applications:
        parts.append(
            ngettext(
                "%(count)s patent application",
                "%(count)s patent applications",
                applications,
            )
            % {"count": applications}
        )

    if not parts:
        if params["registered_only"]:
            text = _("No registered patent recorded (%(required)s asked).")
        else:
            text = _("No patent recorded (%(required)s asked).")
        text %= {"required": params["required"]}
    else:
        if len(parts) == 2:
            summary = _("%(first)s and %(second)s") % {
                "first": parts[0],
                "second": parts[1],
            }
        else:
            summary = parts[0]
        numbers = _join(params["numbers"])
        if params["more"]:
            numbers = ngettext(
                "%(numbers)s and %(count)s more",
                "%(numbers)s and %(count)s more",
                params["more"],
            ) % {"numbers": numbers, "count": params["more"]}
        if met:
            text = _("%(patents)s: %(numbers)s (at least %(required)s asked).")
        else:
            text = _("%(patents)s: %(numbers)s (%(required)s asked).")
        text %= {"patents": summary, "numbers": numbers, "required": params["required"]}

    ignored = params["ignored_applications"]
    if ignored:
        note = ngettext(
            "%(count)s patent application does not count under this policy.",
            "%(count)s patent applications do not count under this policy.",
            ignored,
        ) % {"count": ignored}
        text = f"{text} {note}"
    return text


def _format_money(amount: str, currency: str) -> str:
    try:
        value = Decimal(amount)
    except InvalidOperation:
        return f"{currency} {amount}"
    if value == value.to_integral_value():
        return f"{currency} {value:,.0f}"
    return f"{currency} {value:,.2f}"


def _amount_on(amount: str | None, currency: str, date: str) -> str:
    if amount is None:
        return _("on %(date)s") % {"date": date}
    return _("%(amount)s on %(date)s") % {
        "amount": _format_money(amount, currency),
        "date": date,
    }


def _render_financing(params: Mapping[str, object], met: bool) -> str:
    if met:
        parts = []
        fundings = params["fundings"]
        if fundings:
            latest = _amount_on(
                params["funding_amount"], params["funding_currency"], params["funding_date"]
            )
            parts.append(
                ngettext(
                    "%(count)s financing round, latest %(latest)s",
                    "%(count)s financing rounds, latest %(latest)s",
                    fundings,
                )
                % {"count": fundings, "latest": latest}
            )
        markets = params["markets"]
        if markets:
            latest = _amount_on(
                params["market_amount"], params["market_currency"], params["market_date"]
            )
            parts.append(
                ngettext(
                    "%(count)s market validation, latest %(latest)s",
                    "%(count)s market validations, latest %(latest)s",
                    markets,
                )
                % {"count": markets, "latest": latest}
            )
        # Translators: separator between financing rounds and market validations.
        evidence = _("; ").join(parts)
        # Translators: ends a list of evidence such as "2 financing rounds, latest ...".
        text = _("%(evidence)s.") % {"evidence": evidence}
    else:
        text = _("No financing round or market validation recorded.")

    not_counted = params["not_counted"]
    if not_counted:
        note = ngettext(
            "%(count)s record dated after %(date)s was not counted.",
            "%(count)s records dated after %(date)s were not counted.",
            not_counted,
        ) % {"count": not_counted, "date": params["on"]}
        text = f"{text} {note}"
    return text


def _certification_name(params: Mapping[str, object]) -> str:
    label = CERTIFICATION_LABELS.get(params["kind"])
    label = _(label) if label else params["kind"]
    if params["number"]:
        # Translators: a certificate and its number, e.g. "INNOBIZ certificate no. 1234".
        return _("%(certificate)s no. %(number)s") % {
            "certificate": label,
            "number": params["number"],
        }
    return label


def _render_certification_valid(params: Mapping[str, object]) -> str:
    name = _certification_name(params)
    if params["expires_on"] is None:
        return _("%(certificate)s, valid without expiry date.") % {"certificate": name}
    return _("%(certificate)s valid until %(date)s.") % {
        "certificate": name,
        "date": params["expires_on"],
    }


def _render_certification_held(params: Mapping[str, object]) -> str:
    return _("%(certificate)s issued on %(date)s.") % {
        "certificate": _certification_name(params),
        "date": params["issued_on"],
    }


def _render_certification_expired(params: Mapping[str, object]) -> str:
    return _("%(certificate)s expired on %(date)s.") % {
        "certificate": _certification_name(params),
        "date": params["expires_on"],
    }


def _render_certification_not_yet_valid(params: Mapping[str, object]) -> str:
    return _("%(certificate)s is valid only from %(date)s.") % {
        "certificate": _certification_name(params),
        "date": params["issued_on"],
    }


def _labels(codes: Iterable[str], labels: Mapping[str, str]) -> str:
    return _join([_(labels[code]) if code in labels else code for code in codes])


def _render_certification_missing(params: Mapping[str, object]) -> str:
    text = _("No accepted certification recorded; this policy accepts %(kinds)s.") % {
        "kinds": _labels(params["accepted"], CERTIFICATION_LABELS)
    }
    not_accepted = params["not_accepted"]
    if not_accepted:
        note = ngettext(
            "%(names)s is not accepted.",
            "%(names)s are not accepted.",
            len(not_accepted),
        ) % {"names": _labels(not_accepted, CERTIFICATION_LABELS)}
        text = f"{text} {note}"
    return text


def _render_sector(params: Mapping[str, object], met: bool) -> str:
    accepted = _labels(params["accepted"], SECTOR_LABELS)
    sector = params["sector"]
    if not sector:
        return _("No sector stated; this program accepts %(accepted)s.") % {"accepted": accepted}
    name = _labels([sector], SECTOR_LABELS)
    if met:
        return _("%(sector)s is among the sectors this program accepts.") % {"sector": name}
    return _("%(sector)s is not among the sectors this program accepts: %(accepted)s.") % {
        "sector": name,
        "accepted": accepted,
    }


_RENDERERS: dict[str, Callable[[Mapping[str, object]], str]] = {
    "not_required": _render_not_required,
    "age_met": lambda p: _render_age(p, True),
    "age_short": lambda p: _render_age(p, False),
    "patents_met": lambda p: _render_patents(p, True),
    "patents_short": lambda p: _render_patents(p, False),
    "financing_met": lambda p: _render_financing(p, True),
    "financing_missing": lambda p: _render_financing(p, False),
    "certification_valid": _render_certification_valid,
    "certification_held": _render_certification_held,
    "certification_expired": _render_certification_expired,
    "certification_not_yet_valid": _render_certification_not_yet_valid,
    "certification_missing": _render_certification_missing,
    "sector_accepted": lambda p: _render_sector(p, True),
    "sector_not_accepted": lambda p: _render_sector(p, False),
}
