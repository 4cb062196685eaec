"""Rows the portal cannot work without, created by migration and kept after a flush."""

import datetime

FIRST_POLICY = {
    "version": 1,
    "effective_from": datetime.datetime(2020, 8, 10, tzinfo=datetime.UTC),
    "min_years_since_founding": 3,
    "patents_required": 1,
    "patents_registered_only": False,
    "financing_or_market_required": True,
    "certification_kinds": ["venture", "innobiz", "mainbiz", "rnd_center", "tips", "high_tech"],
    "certification_must_be_valid": True,
    "sectors_accepted": [],
    "notes": "Criteria of the center's founding (2020): patents, 3+ years, financing or "
    "market validation, a Korean high-tech or venture certification.",
}


def ensure_first_policy(policy_model) -> None:
    """Create screening policy v1 (the article's four criteria) when there is none."""
    if not policy_model.objects.exists():
        policy_model.objects.create(**FIRST_POLICY)
