import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from incubator.audit import audit_record
from incubator.models import AuditRecord
from tests.companies.factories import CompanyFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_a_record_names_actor_verb_object_and_company_and_masks_secrets():
    actor, company = StaffFactory(email="officer@center.example"), CompanyFactory()
    record = audit_record(
        actor=actor,
        verb="company.update",
        obj=company,
        company=company,
        changes={
            "employees": [10, 12],
            "founded_on": [dt.date(2016, 3, 2), None],
            "budget": Decimal("1.50"),
            "reset_url": "https://portal.example/portal/password-reset/x/y/",
        },
    )
    record.refresh_from_db()
    assert (record.actor, record.actor_label, record.verb) == (
        actor,
        "officer@center.example",
        "company.update",
    )
    assert record.object_type == ContentType.objects.get_for_model(company)
    assert (record.object_id, record.company_id) == (str(company.pk), company.pk)
    assert record.company_repr == str(company)
    assert record.changes == {
        "employees": [10, 12],
        "founded_on": ["2016-03-02", None],
        "budget": "1.50",
        "reset_url": "••••",
    }
    assert AuditRecord.objects.count() == 1
