"""The demo's journey rows carry the dates of their story, not the moment it was loaded."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from companies.demo import brn
from programs import stages
from programs.models import Enrollment, Milestone, QuarterlyReport, ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", verbosity=0)
        call_command("demo", verbosity=0)
        # Anything dated after this moment was dated by the load, not by the story.
        yield timezone.now() - dt.timedelta(hours=1)
        transaction.set_rollback(True)


def test_resolved_requests_are_resolved_when_the_story_says(loaded):
    resolved = ServiceRequest.objects.filter(resolved_at__isnull=False)
    assert resolved.count() >= 2
    for request in resolved:
        assert request.opened_at < request.resolved_at < loaded, request.subject
        assert request.resolved_at.date() <= request.due_on, request.subject


def test_quarterly_reports_are_submitted_after_their_quarter(loaded):
    reports = QuarterlyReport.objects.all()
    assert reports.exists()
    for report in reports:
        quarter = stages.Quarter(report.year, report.quarter)
        assert quarter.last_day < timezone.localdate(report.submitted_at), quarter
        assert report.submitted_at < loaded, quarter


def test_enrollments_are_in_their_stage_since_their_story_moved_them(loaded):
    for enrollment in Enrollment.objects.prefetch_related("transitions"):
        transitions = sorted(enrollment.transitions.all(), key=lambda t: (t.created_at, t.pk))
        assert enrollment.stage_changed_at < loaded, enrollment
        assert enrollment.stage_changed_at == transitions[-1].created_at, enrollment
        assert transitions[0].created_at.date() <= enrollment.started_on, enrollment


def test_orangsimhans_first_financing_is_reported_in_its_quarter(loaded):
    financing = Milestone.objects.get(
        enrollment__company__brn=brn(0), code="first_financing_matched"
    )
    funded = QuarterlyReport.objects.filter(company__brn=brn(0), funding_raised__gt=0)
    assert [(r.year, r.quarter, r.funding_raised) for r in funded] == [
        (*stages.quarter_of(timezone.localdate(financing.done_at)), Decimal("1500000"))
    ]
    assert "1.5 million" in financing.evidence
