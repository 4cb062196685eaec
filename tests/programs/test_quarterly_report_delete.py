"""A company's filed quarterly report: the officers read it, only the center manager deletes
a wrong one, and the delete leaves its audit record (programs.policies)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from incubator.models import AuditRecord
from programs import stages
from programs.journey import services as journey_services
from programs.models import QuarterlyReport
from tests.programs.test_services import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(old_enrollment, company, member):
    return report(company, member, stages.quarter_of(timezone.localdate()).previous())


def test_the_officer_cannot_delete_a_filed_report_from_the_admin(staff_client, officer, filed):
    client = staff_client(officer)
    changelist = reverse("admin:programs_quarterlyreport_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()
    posted = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [filed.pk], "post": "yes"}
    )
    assert posted.status_code == 403
    delete = reverse("admin:programs_quarterlyreport_delete", args=[filed.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert QuarterlyReport.objects.filter(pk=filed.pk).exists()
    with pytest.raises(PermissionDenied):
        journey_services.quarterly_report_delete(report=filed, actor=officer)
    assert not AuditRecord.objects.filter(verb="quarterly_report.delete").exists()


def test_the_manager_deletes_a_wrong_report_with_its_audit_record(
    staff_client, manager, filed, company
):
    delete = reverse("admin:programs_quarterlyreport_delete", args=[filed.pk])
    assert staff_client(manager).post(delete, {"post": "yes"}).status_code == 302
    assert not QuarterlyReport.objects.filter(pk=filed.pk).exists()
    record = AuditRecord.objects.get(verb="quarterly_report.delete")
    assert record.actor == manager and record.company_id == company.pk
