"""The companies admin changes nothing except through a service (the walk of
tests/events/test_admin_writes.py over every admin the app registers), and the writes it
used to make itself, members and deleted companies and leads, leave their audit records."""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from companies import member_services, services
from companies.models import Company, Lead, Membership, PartnerPerson
from incubator import roles
from incubator.models import AuditRecord
from tests.companies.factories import CompanyFactory, MembershipFactory, UserFactory, staff_in
from tests.events.factories import PartnerOrganisationFactory, PartnerPersonFactory
from tests.forms_shown import form_as_shown
from tests.programs.factories import CohortFactory

pytestmark = pytest.mark.django_db


def test_every_companies_admin_writes_only_through_services():
    admins = [a for m, a in admin.site._registry.items() if m._meta.app_label == "companies"]
    assert {Company, Lead} <= {a.model for a in admins}
    from tests.events.test_admin_writes import writes_without_services

    found = {
        role: [
            write for model_admin in admins for write in writes_without_services(model_admin, user)
        ]
        for role, user in ((role, staff_in(role)) for role in roles.ROLES)
    }
    assert found == {role: [] for role in roles.ROLES}


def test_staff_add_and_take_out_a_member_with_audit_records_and_only_a_portal_person():
    officer, company = staff_in(roles.PROGRAM_OFFICER), CompanyFactory()
    person = UserFactory()
    membership = member_services.membership_save(
        membership=Membership(company=company, user=person), actor=officer
    )
    for outsider in (staff_in(roles.VIEWER), PartnerPersonFactory().user):
        with pytest.raises(ValidationError, match="cannot be members"):
            member_services.membership_save(
                membership=Membership(company=CompanyFactory(), user=outsider), actor=officer
            )
    for actor in (staff_in(roles.VIEWER), staff_in(roles.EVENT_COORDINATOR)):
        with pytest.raises(PermissionDenied):
            member_services.membership_delete(membership=membership, actor=actor)
    member_services.membership_delete(membership=membership, actor=officer)

    assert not Membership.objects.filter(user=person).exists()
    verbs = AuditRecord.objects.filter(company_id=company.pk).values_list("verb", flat=True)
    assert list(verbs.order_by("pk")) == ["member.create", "member.delete"]


def _judge():
    from events.judging.models import CompetitionEntry, CompetitionRound, JudgeAssignment
    from events.models import Event
    from tests.events.factories import EventFactory

    event = EventFactory(kind=Event.Kind.COMPETITION, meeting_tables=0, interpreters_per_slot=0)
    round_ = CompetitionRound.objects.create(event=event, name_en="Final")
    entry = CompetitionEntry.objects.create(
        round=round_, company=MembershipFactory().company, title="Alpha robot"
    )
    return JudgeAssignment.objects.create(entry=entry, judge=UserFactory()).judge


def test_a_partners_person_is_no_staff_company_member_or_judge(client):
    """The mirror of membership_save: one account as a startup's and an investor's would
    read the other startups' listings as "our organisation"."""
    officer = staff_in(roles.PROGRAM_OFFICER)
    organisation = PartnerOrganisationFactory()
    staff, owner, judge = staff_in(roles.CENTER_MANAGER), MembershipFactory().user, _judge()
    for outsider in (staff, owner, judge):
        with pytest.raises(ValidationError, match="cannot be partners' people"):
            services.partner_save(
                instance=PartnerPerson(organisation=organisation, user=outsider), actor=officer
            )
    assert not PartnerPerson.objects.exists()
    person = services.partner_save(
        instance=PartnerPerson(organisation=organisation, user=UserFactory()), actor=officer
    )
    person.title = "Partner"  # the person themselves is not "another role"
    services.partner_save(instance=person, actor=officer, changed_fields=["title"])

    # In the admin: the refusal on the form (no error 500), and on the organisation's page
    # said of the row; the autocomplete does not offer them.
    client.force_login(officer)
    response = client.post(
        "/admin/companies/partnerperson/add/",
        {"organisation": organisation.pk, "user": owner.pk, "title": "Investor"},
    )
    assert response.status_code == 200
    assert "cannot be partners&#x27; people" in response.content.decode()
    response = client.post(
        f"/admin/companies/partnerorganisation/{organisation.pk}/change/",
        {
            "kind": organisation.kind,
            "name_zh": organisation.name_zh,
            "name_en": organisation.name_en,
            "country": organisation.country,
            "city": organisation.city,
            "is_active": "on",
            "people-TOTAL_FORMS": "2",
            "people-INITIAL_FORMS": "1",
            "people-0-id": person.pk,
            "people-0-organisation": organisation.pk,
            "people-0-user": person.user_id,
            "people-0-title": "Partner",
            "people-1-organisation": organisation.pk,
            "people-1-user": judge.pk,
            "people-1-title": "Judge and investor",
        },
    )
    assert response.status_code == 200
    assert "cannot be partners&#x27; people" in response.content.decode()
    assert list(PartnerPerson.objects.values_list("user", flat=True)) == [person.user_id]

    free = UserFactory()
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "companies", "model_name": "partnerperson", "field_name": "user"},
    )
    offered = {int(row["id"]) for row in response.json()["results"]}
    assert free.pk in offered
    assert not offered & {staff.pk, officer.pk, owner.pk, judge.pk, person.user_id}
    # Elsewhere the same search offers every account (a company's member: the membership
    # inline is not a model of its own in the admin).
    everyone = client.get(
        "/admin/autocomplete/",
        {"app_label": "companies", "model_name": "membership", "field_name": "user"},
    )
    assert owner.pk in {int(row["id"]) for row in everyone.json()["results"]}


def test_a_deleted_company_leaves_its_record_and_an_enrolled_one_is_kept(client):
    manager = staff_in(roles.CENTER_MANAGER)
    client.force_login(manager)
    gone = MembershipFactory().company
    response = client.post(f"/admin/companies/company/{gone.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Company.objects.filter(pk=gone.pk).exists()
    assert AuditRecord.objects.get(verb="company.delete").company_id == gone.pk

    from programs.journey import services as journey_services

    kept = CompanyFactory()
    journey_services.enrollment_create(
        company=kept, cohort=CohortFactory(), actor=manager, reason="Accepted."
    )
    response = client.post(
        f"/admin/companies/company/{kept.pk}/delete/", {"post": "yes"}, follow=True
    )
    # Django's own page names what protects it; the service would refuse the same way.
    assert "Cannot delete company" in response.content.decode()
    assert Company.objects.filter(pk=kept.pk).exists()
    with pytest.raises(ValidationError, match="still has enrollments"):
        services.company_delete(company=kept, actor=manager)
    with pytest.raises(PermissionDenied):
        services.company_delete(company=kept, actor=staff_in(roles.VIEWER))


@pytest.mark.parametrize(
    ("url_of", "form_id"),
    [
        (lambda: f"/admin/companies/company/{_company_with_all().pk}/change/", "company_form"),
        (lambda: f"/admin/programs/program/{_program_with_all().pk}/change/", "program_form"),
        (lambda: f"/admin/incubator/user/{UserFactory().pk}/change/", "user_form"),
        (
            lambda: f"/admin/django_celery_beat/periodictask/{_sweep().pk}/change/",
            "periodictask_form",
        ),
        (
            lambda: f"/admin/django_celery_beat/crontabschedule/{_daily().pk}/change/",
            "crontabschedule_form",
        ),
    ],
    ids=["company", "program", "user", "periodic task", "crontab with its tasks"],
)
def test_a_change_page_saved_as_shown_goes_through_and_changes_nothing(client, url_of, form_id):
    # Every inline's formset is saved, the read-only ones (documents) included.
    client.force_login(staff_in(roles.CENTER_MANAGER))
    url = url_of()
    page = client.get(url)
    data = form_as_shown(page.content.decode(), form_id)
    assert data, f"no form {form_id} on {url}"
    records = AuditRecord.objects.count()

    response = client.post(url, {**data, "_save": "Save"})

    errors = response.context and response.context.get("errors")
    assert response.status_code == 302, f"{url}: {errors}"
    moved = AuditRecord.objects.order_by("pk")[records:]
    assert [(r.verb, r.changes) for r in moved] == []  # nothing moved, nothing recorded


def _sweep():
    from django_celery_beat.models import PeriodicTask

    return PeriodicTask.objects.filter(interval__isnull=False).first()


def _daily():
    from django_celery_beat.models import CrontabSchedule

    return CrontabSchedule.objects.filter(periodictask__isnull=False).first()


def _company_with_all():
    from companies.models import Document
    from tests.companies.factories import PatentFactory

    company = MembershipFactory().company
    PatentFactory(company=company)
    Document.objects.create(
        company=company,
        kind="pitch",
        original_name="deck.pdf",
        content_type="application/pdf",
        size=1024,
    )
    return company


def _program_with_all():
    cohort = CohortFactory()
    return cohort.program


def test_a_company_changed_on_its_page_records_what_moved(client):
    company = _company_with_all()
    client.force_login(staff_in(roles.PROGRAM_OFFICER))
    url = f"/admin/companies/company/{company.pk}/change/"
    data = form_as_shown(client.get(url).content.decode(), "company_form")
    old_city = company.city

    response = client.post(url, {**data, "city": ["Harbin (Binxian)"], "_save": "Save"})

    assert response.status_code == 302
    record = AuditRecord.objects.get(verb="company.update")
    assert record.changes == {"city": [old_city, "Harbin (Binxian)"]}
