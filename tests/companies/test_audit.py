"""Every state-changing service of companies writes its audit record, in its transaction."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from companies import member_services, services
from companies.models import FundingRound, Invitation, Lead
from incubator import roles
from incubator.models import AuditRecord
from tests.companies.factories import (
    CompanyFactory,
    MembershipFactory,
    PatentFactory,
    UserFactory,
    staff_in,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _company_create():
    owner = UserFactory()
    company = services.company_create(
        owner=owner,
        name_ko="감사기술",
        brn="1248100998",
        founded_on=dt.date(2018, 1, 1),
        sector="ai",
    )
    return company, owner


def _company_update():
    owner = MembershipFactory()
    services.company_update(company=owner.company, actor=owner.user, city="Harbin")
    return owner.company, owner.user


def _company_add():
    staff = staff_in(roles.PROGRAM_OFFICER)
    company = CompanyFactory.build(brn="1248100998")
    services.company_add(company=company, actor=staff)
    return company, staff


def _member_invite():
    owner = MembershipFactory()
    member_services.member_invite(
        company=owner.company, email="cto@example.kr", invited_by=owner.user
    )
    return owner.company, owner.user


def _member_accept():
    owner = MembershipFactory()
    invitation = Invitation.objects.create(
        company=owner.company, email="cto@example.kr", invited_by=owner.user
    )
    colleague = UserFactory(email="cto@example.kr")
    member_services.invitation_accept(invitation=invitation, user=colleague)
    return owner.company, colleague


def _evidence_add():
    owner = MembershipFactory()
    round_ = FundingRound(
        company=owner.company,
        round_type="seed",
        amount=Decimal("100000000"),
        currency="KRW",
        date=dt.date(2024, 3, 1),
    )
    services.evidence_save(instance=round_, actor=owner.user)
    return owner.company, owner.user


def _evidence_delete():
    owner = MembershipFactory()
    services.evidence_delete(instance=PatentFactory(company=owner.company), actor=owner.user)
    return owner.company, owner.user


def _document_upload():
    owner = MembershipFactory()
    services.document_upload(
        company=owner.company,
        uploaded_file=SimpleUploadedFile("plan.png", PNG, content_type="image/png"),
        kind="other",
        user=owner.user,
        max_bytes=1_000_000,
    )
    return owner.company, owner.user


def _lead_invite():
    staff = staff_in(roles.PROGRAM_OFFICER)
    lead = Lead.objects.create(company_name="Mirae", contact_email="ceo@mirae.example")
    services.lead_invite(lead=lead, actor=staff, sign_up_url="https://portal.example/sign-up/")
    return None, staff


def _lead_save():
    staff = staff_in(roles.PROGRAM_OFFICER)
    services.lead_save(
        lead=Lead(company_name="Bada", contact_email="hi@bada.example", source="referral"),
        actor=staff,
        changed_fields=["company_name"],
    )
    return None, staff


@pytest.mark.parametrize(
    "verb, change",
    [
        ("company.create", _company_create),
        ("company.create", _company_add),
        ("company.update", _company_update),
        ("member.invite", _member_invite),
        ("member.accept", _member_accept),
        ("fundinground.add", _evidence_add),
        ("patent.delete", _evidence_delete),
        ("document.upload", _document_upload),
        ("lead.invite", _lead_invite),
        ("lead.create", _lead_save),
    ],
)
def test_the_service_writes_its_audit_record(verb, change):
    company, actor = change()
    record = AuditRecord.objects.get(verb=verb)
    assert record.actor == actor
    if company is not None:
        assert record.company_id == company.pk


def test_money_in_krw_has_no_decimals_in_the_service_too():
    owner = MembershipFactory()
    round_ = FundingRound(
        company=owner.company,
        round_type="seed",
        amount=Decimal("1000.50"),
        currency="KRW",
        date=dt.date(2024, 3, 1),
    )
    with pytest.raises(Exception) as error:
        services.evidence_save(instance=round_, actor=owner.user)
    assert "amount" in error.value.message_dict
    assert not FundingRound.objects.exists()


def test_only_the_owner_invites_even_without_the_page():
    colleague = MembershipFactory(role="member")
    with pytest.raises(Exception) as error:
        member_services.member_invite(
            company=colleague.company, email="x@example.kr", invited_by=colleague.user
        )
    assert type(error.value).__name__ == "PermissionDenied"
    assert not Invitation.objects.exists()
