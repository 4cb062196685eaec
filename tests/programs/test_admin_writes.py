"""The programs admin changes nothing except through a service (as the events admin,
tests/events/test_admin_writes.py): a walk over every admin the app registers finds each
write a staff role could make, and asks that the method doing it calls services. Then the
pages: a programme with its intakes, a cohort and a service target are saved with their
audit records, and a role without the permission is refused by the service too."""

import datetime as dt

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from incubator import roles
from incubator.models import AuditRecord
from incubator.rows import staff_row_delete, staff_row_save
from programs.models import Cohort, Program, QuarterlyReport, ServiceTarget
from tests.companies.factories import staff_in
from tests.events.test_admin_writes import writes_without_services
from tests.programs.factories import CohortFactory

pytestmark = pytest.mark.django_db


def programs_admins(site=admin.site):
    return [
        model_admin
        for model, model_admin in site._registry.items()
        if model._meta.app_label == "programs"
    ]


def test_every_programs_admin_writes_only_through_services():
    admins = programs_admins()
    assert {Program, Cohort, ServiceTarget, QuarterlyReport} <= {a.model for a in admins}
    found = {
        role: [
            write for model_admin in admins for write in writes_without_services(model_admin, user)
        ]
        for role, user in ((role, staff_in(role)) for role in roles.ROLES)
    }
    assert found == {role: [] for role in roles.ROLES}


def test_a_programme_and_its_intakes_are_saved_from_their_page_with_audit_records(client):
    manager = staff_in(roles.CENTER_MANAGER)
    client.force_login(manager)
    opens = timezone.localtime().replace(microsecond=0)
    data = {
        "name_ko": "빈현 인큐베이션",
        "name_zh": "宾县孵化",
        "name_en": "Binxian incubation",
        "intakes-TOTAL_FORMS": "1",
        "intakes-INITIAL_FORMS": "0",
        "intakes-0-label_en": "Spring 2027",
        "intakes-0-opens_at_0": opens.date().isoformat(),
        "intakes-0-opens_at_1": opens.time().isoformat(),
        "intakes-0-closes_at_0": (opens + dt.timedelta(days=30)).date().isoformat(),
        "intakes-0-closes_at_1": opens.time().isoformat(),
        "cohorts-TOTAL_FORMS": "0",
        "cohorts-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/programs/program/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    program = Program.objects.get(name_en="Binxian incubation")
    assert program.intakes.count() == 1
    verbs = set(AuditRecord.objects.filter(actor=manager).values_list("verb", flat=True))
    assert {"program.create", "intake.create"} <= verbs


def test_a_cohort_and_a_service_target_change_through_the_row_services(officer):
    cohort = CohortFactory()
    ends_on = cohort.ends_on
    cohort.ends_on = cohort.starts_on + dt.timedelta(days=200)
    for actor in (staff_in(roles.VIEWER), staff_in(roles.EVENT_COORDINATOR)):
        with pytest.raises(PermissionDenied):
            staff_row_save(cohort, actor=actor, verb="cohort")
        with pytest.raises(PermissionDenied):
            staff_row_delete(cohort, actor=actor, verb="cohort")
    assert Cohort.objects.get(pk=cohort.pk).ends_on == ends_on

    staff_row_save(cohort, actor=officer, verb="cohort")
    record = AuditRecord.objects.get(verb="cohort.update")
    assert record.changes == {"ends_on": [ends_on.isoformat(), cohort.ends_on.isoformat()]}
