import datetime as dt
import html
import re
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


def test_the_trail_names_each_company_in_the_readers_language_and_says_whose_it_is(client):
    from django.contrib.auth.models import Group

    company = CompanyFactory(name_ko="바른스마트팩토리", name_zh="巴伦智能工厂", name_en="Barun")
    other = CompanyFactory(name_ko="다른회사", name_zh="别的公司", name_en="Other")
    # Written by a Korean reader with the id only, as many services write it.
    audit_record(actor=None, verb="milestone.complete", company=company.pk)
    audit_record(actor=None, verb="company.update", obj=other, company=other)
    manager = StaffFactory(language="zh-hans")
    manager.groups.add(Group.objects.get(name="center_manager"))
    client.force_login(manager)
    client.cookies["lang"] = "zh-hans"

    trail = client.get("/admin/incubator/auditrecord/").content.decode()
    theirs = client.get(f"/admin/incubator/auditrecord/?company_id={company.pk}")

    assert "巴伦智能工厂" in trail and "别的公司" in trail
    assert f'href="?company_id={company.pk}"' in trail
    page = theirs.content.decode()
    rows = re.findall(r'class="field-verb_label">([\w.]+)<', page)
    assert theirs.status_code == 200 and rows == ["milestone.complete"]
    # The filter is on, and says so beside the list.
    assert 'id="changelist-filter"' in page and "巴伦智能工厂" in page


def test_the_trail_names_each_object_in_the_readers_language_not_the_actors(client):
    from django.contrib.auth.models import Group
    from django.utils import translation

    company = CompanyFactory(
        name_ko="하얼빈 로봇", name_zh="哈尔滨机器人", name_en="Harbin Robotics"
    )
    # Written while a Chinese-speaking officer's request was being served; no company named,
    # so the company column cannot name it instead.
    with translation.override("zh-hans"):
        record = audit_record(actor=None, verb="company.update", obj=company)
    assert record.object_repr == "哈尔滨机器人"
    assert record.object_names == {
        "ko": "하얼빈 로봇",
        "zh-hans": "哈尔滨机器人",
        "en": "Harbin Robotics",
    }
    manager = StaffFactory(language="ko")
    manager.groups.add(Group.objects.get(name="center_manager"))
    client.force_login(manager)
    client.cookies["lang"] = "ko"

    trail = client.get("/admin/incubator/auditrecord/").content.decode()
    found = client.get("/admin/incubator/auditrecord/", {"q": "Harbin Robotics"})
    one = client.get(f"/admin/incubator/auditrecord/{record.pk}/change/").content.decode()

    assert "하얼빈 로봇" in trail and "哈尔滨机器人" not in trail
    # Found by its name in any language.
    assert found.context["cl"].result_count == 1
    assert "하얼빈 로봇" in one


def test_a_records_history_opens_its_part_of_the_trail_for_those_who_may_read_it(client):
    from django.contrib.auth.models import Group

    from companies.services import company_update

    company = CompanyFactory(name_en="Barun")
    manager, officer = StaffFactory(), StaffFactory()
    manager.groups.add(Group.objects.get(name="center_manager"))
    officer.groups.add(Group.objects.get(name="program_officer"))
    company_update(company=company, actor=manager, city="Harbin")
    audit_record(actor=None, verb="company.update", obj=CompanyFactory(), company=None)
    page = f"/admin/companies/company/{company.pk}/change/"
    client.cookies["lang"] = "en"

    client.force_login(manager)
    shown = client.get(page).content.decode()
    link = re.search(r'<a href="([^"]+)" class="historylink">', shown).group(1)
    trail = client.get(link.replace("&amp;", "&"))
    assert trail.status_code == 200
    assert trail.context["cl"].result_count == 1  # this company's record, not the other's
    assert "Who changed what in this company" in shown

    client.force_login(officer)
    shown = client.get(page).content.decode()
    # The officer may not read the trail: neither link leads to a refusal.
    assert "historylink" not in shown and "Who changed what in this company" not in shown


def _in_role(user, role):
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=role))
    return user


def test_a_records_history_address_opens_the_trail_or_says_who_reads_it(client):
    from companies.services import company_update

    company = CompanyFactory(name_en="Barun")
    manager = _in_role(StaffFactory(), "center_manager")
    officer = _in_role(StaffFactory(), "program_officer")
    company_update(company=company, actor=manager, city="Harbin")
    history = f"/admin/companies/company/{company.pk}/history/"
    client.cookies["lang"] = "en"

    client.force_login(manager)
    response = client.get(history)
    assert response.status_code == 302
    trail = client.get(response["Location"])
    assert trail.status_code == 200
    assert [r.verb for r in trail.context["cl"].result_list] == ["company.update"]

    client.force_login(officer)
    page = client.get(history)
    assert page.status_code == 200
    text = page.content.decode()
    assert "kept in the audit trail, which the center manager reads" in text
    assert "doesn’t have a change history" not in text
    assert client.get("/admin/companies/company/0/history/").status_code == 302  # no such row


def test_a_records_two_actor_fields_are_named_apart(client):
    manager = _in_role(StaffFactory(full_name="Kim Hak-bong"), "center_manager")
    record = audit_record(actor=manager, verb="company.update", obj=CompanyFactory())
    client.force_login(manager)
    client.cookies["lang"] = "en"

    page = client.get(f"/admin/incubator/auditrecord/{record.pk}/change/").content.decode()

    labels = [html.unescape(label) for label in re.findall(r"<label>([^<]+):</label>", page)]
    assert "Actor's account" in labels
    assert "Actor as recorded (e-mail address or key)" in labels
    assert len(labels) == len(set(labels))


def test_a_companys_history_is_every_record_that_concerns_it(client):
    from companies.services import company_update

    company = CompanyFactory(name_en="Barun")
    manager = _in_role(StaffFactory(), "center_manager")
    company_update(company=company, actor=manager, city="Harbin")
    # Written on the company's application and enrollment, not on its own row.
    audit_record(actor=manager, verb="application.accept", obj=manager, company=company)
    audit_record(actor=manager, verb="enrollment.advance", obj=manager, company=company.pk)
    audit_record(actor=None, verb="company.update", obj=CompanyFactory(), company=None)
    client.force_login(manager)
    client.cookies["lang"] = "en"
    expected = {"company.update", "application.accept", "enrollment.advance"}

    shown = client.get(f"/admin/companies/company/{company.pk}/change/").content.decode()
    link = re.search(r'<a href="([^"]+)" class="historylink">', shown).group(1)
    trail = client.get(link.replace("&amp;", "&"))
    assert {r.verb for r in trail.context["cl"].result_list} == expected

    history = client.get(f"/admin/companies/company/{company.pk}/history/")
    trail = client.get(history["Location"])
    assert {r.verb for r in trail.context["cl"].result_list} == expected
