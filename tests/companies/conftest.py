"""Fixtures of the portal tests (tests/companies/portal.py)."""

from tests.companies.portal import application, owner, policy_v1, signed_in  # noqa: F401
