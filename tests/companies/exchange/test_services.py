"""The use cases of the technology exchange: who may, what changes, what is audited, who is told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from companies import services as company_services
from companies.exchange import partner_services, policies, services
from companies.exchange.models import PartnerInterest, TechnologyInquiry, TechnologyListing
from companies.webhooks.services import webhook_endpoint_create
from incubator import roles
from incubator.models import AuditRecord, OutboxMessage
from incubator.services import render_message
from tests.companies.exchange.conftest import send, staff_in
from tests.companies.factories import PatentFactory, StaffFactory, TechnologyListingFactory
from tests.events.factories import PartnerPersonFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "title_ko": "협동로봇 관절 토크 제어",
    "summary_en": "A sensorless estimate of joint torque.",
    "terms_zh": "中国境内独占许可。",
}


def create(actor, company, **fields):
    return services.listing_create(
        actor=actor, company=company, **{**TEXTS, "offers_license": True, **fields}
    )


def submitted(founder, company, **fields):
    return services.listing_submit(actor=founder, listing=create(founder, company, **fields))


def audit(verb):
    return list(AuditRecord.objects.filter(verb=verb))


def messages(kind):
    return {m.recipient: m for m in OutboxMessage.objects.filter(kind=kind)}


# --- Listings -------------------------------------------------------------------------------


def test_a_member_lists_a_patent_and_its_jurisdiction_comes_from_the_patent(
    company, founder, colleague, patent
):
    listing = create(colleague, company, patent=patent, jurisdiction="KR")
    assert listing.status == TechnologyListing.Status.DRAFT
    assert listing.jurisdiction == "CN"  # the patent's, not the one typed
    assert listing.sector == company.sector
    assert listing.created_by == colleague
    [record] = audit("technology_listing.create")
    assert record.actor == colleague and record.company_id == company.pk
    assert record.changes == {"patent": patent.pk, "deal_kinds": ["license"]}


def test_a_japanese_patent_is_listed_under_other(company, founder):
    patent = PatentFactory(company=company, jurisdiction="JP", number="2020-123456")
    assert create(founder, company, patent=patent).jurisdiction == "OTHER"


def test_know_how_keeps_the_jurisdiction_and_sector_given(company, founder):
    listing = create(founder, company, jurisdiction="US", sector="ai")
    assert (listing.jurisdiction, listing.sector, listing.is_know_how) == ("US", "ai", True)


def test_another_companys_patent_is_refused(company, founder, neighbour):
    foreign = PatentFactory(company=neighbour.membership.company)
    with pytest.raises(ValidationError) as error:
        create(founder, company, patent=foreign)
    assert "patent" in error.value.message_dict
    assert not TechnologyListing.objects.exists()


def test_a_listing_needs_a_deal_and_each_text_in_a_language(company, founder):
    with pytest.raises(ValidationError) as error:
        services.listing_create(actor=founder, company=company, **TEXTS)
    assert "Choose at least one kind of deal" in str(error.value)
    with pytest.raises(ValidationError) as error:
        create(founder, company, terms_zh="  ")
    assert "terms" in str(error.value)
    assert not TechnologyListing.objects.exists()


@pytest.mark.parametrize("who", ["neighbour", "partner", "manager"])
def test_only_the_companys_people_write_its_listings(request, company, founder, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        create(actor, company)
    listing = create(founder, company)
    for service in (services.listing_submit, services.listing_withdraw):
        with pytest.raises(PermissionDenied):
            service(actor=actor, listing=listing)
    with pytest.raises(PermissionDenied):
        services.listing_update(actor=actor, listing=listing, title_en="Taken over")
    assert not audit("technology_listing.submit") and not audit("technology_listing.update")


def test_a_draft_is_changed_with_its_audit_record_and_a_new_version(company, founder):
    listing = create(founder, company)
    changed = services.listing_update(
        actor=founder, listing=listing, title_en="Joint torque control", offers_transfer=True
    )
    assert changed.version == 2
    assert changed.deal_kinds == ["license", "transfer"]
    [record] = audit("technology_listing.update")
    assert record.changes == {
        "title_en": ["", "Joint torque control"],
        "offers_transfer": [False, True],
    }


def test_a_listing_under_review_or_approved_is_not_changed(company, founder, manager):
    listing = submitted(founder, company)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.listing_update(actor=founder, listing=listing, title_en="Quietly changed")
    services.listing_approve(actor=manager, listing=listing)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.listing_update(actor=founder, listing=listing, title_en="Quietly changed")
    assert TechnologyListing.objects.get().title_en == ""


def test_submitting_tells_the_reviewers_in_their_languages(
    company, founder, manager, officer, coordinator, viewer
):
    listing = submitted(founder, company)
    assert listing.status == "submitted" and listing.submitted_at and listing.version == 2
    sent = messages("technology_listing_submitted")
    assert set(sent) == {manager.email, officer.email}  # not the coordinator nor the viewer
    assert sent[officer.email].language == "zh-hans"
    assert sent[officer.email].payload["company"] == "韩光机器人"
    assert sent[manager.email].payload["title"] == "협동로봇 관절 토크 제어"
    assert sent[manager.email].dedupe_key == (
        f"technology_listing_submitted:{listing.pk}:2:{manager.pk}"
    )
    assert sent[manager.email].payload["path"] == (
        f"/admin/companies/technologylisting/{listing.pk}/review/"
    )
    [record] = audit("technology_listing.submit")
    assert record.changes == {"status": ["draft", "submitted"]}


@pytest.mark.parametrize("role", ["manager", "officer"])
def test_a_manager_or_an_officer_approves_and_the_members_are_told(
    request, company, founder, colleague, role
):
    reviewer = request.getfixturevalue(role)
    listing = submitted(founder, company)
    approved = services.listing_approve(actor=reviewer, listing=listing, reason="Clear terms.")
    assert approved.status == "approved"
    assert (approved.reviewed_by, approved.review_reason) == (reviewer, "Clear terms.")
    assert approved.reviewed_at is not None
    [record] = audit("technology_listing.approve")
    assert record.actor == reviewer
    assert record.changes == {"status": ["submitted", "approved"], "reason": "Clear terms."}
    sent = messages("technology_listing_reviewed")
    assert set(sent) == {founder.email, colleague.email}
    assert sent[founder.email].payload["decision"] == "approved"
    assert sent[founder.email].language == "ko"


@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_the_coordinator_and_the_viewer_do_not_review(request, company, founder, role):
    listing = submitted(founder, company)
    for service in (services.listing_approve, services.listing_reject):
        with pytest.raises(PermissionDenied):
            service(actor=request.getfixturevalue(role), listing=listing, reason="No.")
    assert TechnologyListing.objects.get().status == "submitted"
    assert not audit("technology_listing.approve") and not audit("technology_listing.reject")


def test_a_staff_account_without_a_role_does_not_review(company, founder):
    listing = submitted(founder, company)
    with pytest.raises(PermissionDenied):
        services.listing_approve(actor=StaffFactory(), listing=listing)


def test_rejecting_needs_a_reason_then_the_company_changes_and_resubmits(company, founder, officer):
    listing = submitted(founder, company)
    with pytest.raises(ValidationError) as error:
        services.listing_reject(actor=officer, listing=listing, reason=" ")
    assert "reason" in error.value.message_dict
    rejected = services.listing_reject(actor=officer, listing=listing, reason="Add the terms.")
    assert rejected.status == "rejected"
    assert messages("technology_listing_reviewed")[founder.email].payload["reason"] == (
        "Add the terms."
    )
    changed = services.listing_update(actor=founder, listing=rejected, terms_en="Royalty 3%.")
    assert services.listing_submit(actor=founder, listing=changed).status == "submitted"


def test_only_a_submitted_listing_is_reviewed(company, founder, manager):
    draft = create(founder, company)
    with pytest.raises(ValidationError, match="Cannot move from draft to approved"):
        services.listing_approve(actor=manager, listing=draft)
    approved = services.listing_approve(
        actor=manager, listing=services.listing_submit(actor=founder, listing=draft)
    )
    with pytest.raises(ValidationError):
        services.listing_reject(actor=manager, listing=approved, reason="Changed my mind.")


def test_a_withdrawn_listing_stays_withdrawn(company, founder, manager):
    listing = services.listing_approve(actor=manager, listing=submitted(founder, company))
    withdrawn = services.listing_withdraw(actor=founder, listing=listing)
    assert withdrawn.status == "withdrawn"
    [record] = audit("technology_listing.withdraw")
    assert record.changes == {"status": ["approved", "withdrawn"]}
    with pytest.raises(ValidationError):
        services.listing_submit(actor=founder, listing=withdrawn)
    with pytest.raises(ValidationError):
        services.listing_withdraw(actor=founder, listing=withdrawn)


def test_the_transitions_are_the_declared_ones():
    listing = TechnologyListing(status="approved")
    assert listing.can_move_to("withdrawn")
    assert not listing.can_move_to("submitted") and not listing.can_move_to("draft")
    assert TechnologyListing.statuses_leading_to("approved") == ["submitted"]
    assert TechnologyInquiry.statuses_leading_to("answered") == ["sent"]


# --- Inquiries ------------------------------------------------------------------------------


def test_a_partner_asks_and_the_company_and_the_center_are_told(
    approved, founder, colleague, partner, manager, officer
):
    inquiry = send(partner, approved)
    person = partner.partner_person
    assert (inquiry.organisation, inquiry.person, inquiry.status) == (
        person.organisation,
        person,
        "sent",
    )
    [record] = audit("technology_inquiry.send")
    assert record.actor == partner and record.company_id == approved.company_id
    sent = messages("technology_inquiry_received")
    assert set(sent) == {founder.email, colleague.email, manager.email, officer.email}
    to_founder = sent[founder.email]
    assert to_founder.language == "ko"
    assert to_founder.payload["title"] == "협동로봇 관절 제어"
    assert to_founder.payload["message"] == "我们想了解许可条件。"
    assert to_founder.payload["path"] == f"/portal/technology/inquiries/{inquiry.pk}/"
    assert to_founder.dedupe_key == f"technology_inquiry_received:{inquiry.pk}:1:{founder.pk}"
    assert sent[officer.email].payload["path"] == (
        f"/admin/companies/technologyinquiry/{inquiry.pk}/change/"
    )


def test_one_open_inquiry_per_organisation_and_listing(approved, partner, founder):
    first = send(partner, approved)
    colleague_at_partner = PartnerPersonFactory(organisation=partner.partner_person.organisation)
    with pytest.raises(ValidationError, match="unanswered inquiry"):
        send(colleague_at_partner.user, approved)
    assert send(PartnerPersonFactory().user, approved)  # another organisation may
    partner_services.inquiry_answer(actor=founder, inquiry=first, answer="Yes.", accept=True)
    assert send(colleague_at_partner.user, approved).status == "sent"  # asked again


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "withdrawn"])
def test_only_an_approved_listing_is_asked_about(company, founder, partner, status):
    listing = TechnologyListingFactory(company=company, status=status)
    with pytest.raises(PermissionDenied):
        send(partner, listing)
    assert not TechnologyInquiry.objects.exists()


def test_a_company_that_did_not_consent_is_not_asked_about(approved, partner):
    approved.company.consent_to_partners = False
    approved.company.save()
    with pytest.raises(PermissionDenied):
        send(partner, approved)


@pytest.mark.parametrize("who", ["founder", "neighbour", "manager"])
def test_only_partner_people_ask(request, approved, who):
    with pytest.raises(PermissionDenied):
        send(request.getfixturevalue(who), approved)


def test_a_partner_acts_for_its_own_organisation_only(approved, partner):
    other = PartnerPersonFactory().organisation
    with pytest.raises(PermissionDenied):
        partner_services.inquiry_send(
            actor=partner, listing=approved, message="Hi", organisation=other
        )
    own = partner.partner_person.organisation
    assert partner_services.inquiry_send(
        actor=partner, listing=approved, message="Hi", organisation=own
    )


def test_an_inactive_organisations_people_do_not_act(approved, partner):
    organisation = partner.partner_person.organisation
    organisation.is_active = False
    organisation.save()
    with pytest.raises(PermissionDenied):
        send(partner, approved)


def test_an_empty_question_is_refused(approved, partner):
    with pytest.raises(ValidationError) as error:
        send(partner, approved, message="   ")
    assert "message" in error.value.message_dict


def test_the_company_accepts_and_the_partner_is_told_in_chinese(approved, partner, colleague):
    inquiry = send(partner, approved)
    organisation = partner.partner_person.organisation
    assert not policies.contacts_open_to(organisation, approved.company)
    answered = partner_services.inquiry_answer(
        actor=colleague, inquiry=inquiry, answer="欢迎来访。", accept=True
    )
    assert (answered.status, answered.accepted, answered.answered_by) == (
        "answered",
        True,
        colleague,
    )
    assert answered.version == 2
    assert policies.contacts_open_to(organisation, approved.company)
    [record] = audit("technology_inquiry.answer")
    assert record.changes == {"status": ["sent", "answered"], "accepted": True}
    [message] = OutboxMessage.objects.filter(kind="technology_inquiry_answered")
    assert (message.recipient, message.language) == (partner.email, "zh-hans")
    assert message.payload["title"] == "协作机器人关节控制"
    assert message.payload["company"] == "韩光机器人"
    assert message.payload["path"] == "/portal/exchange/inquiries/"
    assert message.dedupe_key == f"technology_inquiry_answered:{inquiry.pk}:2:{partner.pk}"


def test_declining_keeps_the_contacts_closed(approved, partner, founder):
    inquiry = send(partner, approved)
    partner_services.inquiry_answer(actor=founder, inquiry=inquiry, answer="Not now.", accept=False)
    assert TechnologyInquiry.objects.get().accepted is False
    assert not policies.contacts_open_to(partner.partner_person.organisation, approved.company)


@pytest.mark.parametrize("who", ["neighbour", "partner", "manager"])
def test_only_the_companys_people_answer(request, approved, partner, who):
    inquiry = send(partner, approved)
    with pytest.raises(PermissionDenied):
        partner_services.inquiry_answer(
            actor=request.getfixturevalue(who), inquiry=inquiry, answer="Yes", accept=True
        )
    assert TechnologyInquiry.objects.get().status == "sent"


def test_an_inquiry_is_answered_once_and_with_words(approved, partner, founder):
    inquiry = send(partner, approved)
    with pytest.raises(ValidationError) as error:
        partner_services.inquiry_answer(actor=founder, inquiry=inquiry, answer="", accept=True)
    assert "answer" in error.value.message_dict
    partner_services.inquiry_answer(actor=founder, inquiry=inquiry, answer="Yes.", accept=True)
    with pytest.raises(ValidationError, match="answered already"):
        partner_services.inquiry_answer(actor=founder, inquiry=inquiry, answer="No.", accept=False)
    assert TechnologyInquiry.objects.get().answer == "Yes."


# --- Interests ------------------------------------------------------------------------------


def test_marking_tells_the_center_and_the_consenting_companys_owner(
    company, founder, colleague, partner, manager, officer
):
    interest = partner_services.interest_mark(actor=partner, company=company, note="Series A?")
    assert interest.is_active and interest.note == "Series A?"
    assert interest.organisation == partner.partner_person.organisation
    [record] = audit("partner_interest.mark")
    assert record.actor == partner and record.company_id == company.pk
    sent = messages("partner_interest_marked")
    assert set(sent) == {manager.email, officer.email, founder.email}  # owners, not members
    assert sent[founder.email].payload["organisation"] == partner.partner_person.organisation.name
    assert sent[founder.email].dedupe_key == (
        f"partner_interest_marked:{interest.pk}:1:{founder.pk}"
    )


def test_marking_a_company_that_did_not_consent_is_refused(company, partner):
    company.consent_to_partners = False
    company.save()
    with pytest.raises(PermissionDenied):
        partner_services.interest_mark(actor=partner, company=company)
    assert not PartnerInterest.objects.exists()


@pytest.mark.parametrize("who", ["founder", "manager"])
def test_only_partner_people_mark(request, company, who):
    with pytest.raises(PermissionDenied):
        partner_services.interest_mark(actor=request.getfixturevalue(who), company=company)


def test_marking_twice_changes_the_note_and_tells_nobody_again(company, founder, partner):
    first = partner_services.interest_mark(actor=partner, company=company, note="Series A?")
    again = partner_services.interest_mark(actor=partner, company=company, note="Seed round")
    assert again.pk == first.pk and again.note == "Seed round"
    assert PartnerInterest.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="partner_interest_marked").count() == 1
    assert audit("partner_interest.change")[0].changes == {"note": ["Series A?", "Seed round"]}


def test_withdrawing_keeps_the_row_and_marking_again_reopens_it(company, founder, partner, manager):
    interest = partner_services.interest_mark(actor=partner, company=company)
    withdrawn = partner_services.interest_withdraw(actor=partner, company=company)
    assert withdrawn.pk == interest.pk and withdrawn.withdrawn_at is not None
    assert set(messages("partner_interest_withdrawn")) == {manager.email, founder.email}
    with pytest.raises(ValidationError, match="has not marked"):
        partner_services.interest_withdraw(actor=partner, company=company)
    reopened = partner_services.interest_mark(actor=partner, company=company, note="Back")
    assert reopened.pk == interest.pk and reopened.is_active and reopened.version == 3
    assert PartnerInterest.objects.count() == 1
    # A new occurrence: a second message to each, with the new version in its key.
    assert OutboxMessage.objects.filter(kind="partner_interest_marked").count() == 4
    assert [r.verb for r in AuditRecord.objects.filter(verb__startswith="partner_interest")] == [
        "partner_interest.mark",
        "partner_interest.withdraw",
        "partner_interest.mark",
    ]


def test_withdrawing_after_the_company_revoked_consent_tells_only_the_center(
    company, founder, partner, manager
):
    partner_services.interest_mark(actor=partner, company=company)
    company.consent_to_partners = False
    company.save()
    partner_services.interest_withdraw(actor=partner, company=company)
    assert set(messages("partner_interest_withdrawn")) == {manager.email}


def test_a_person_of_another_organisation_does_not_withdraw_it(company, partner):
    partner_services.interest_mark(actor=partner, company=company)
    stranger = PartnerPersonFactory().user
    with pytest.raises(ValidationError, match="has not marked"):
        partner_services.interest_withdraw(actor=stranger, company=company)
    with pytest.raises(PermissionDenied):
        partner_services.interest_withdraw(
            actor=partner, company=company, organisation=stranger.partner_person.organisation
        )
    assert PartnerInterest.objects.get().is_active


def test_an_inquiry_stays_the_organisations_when_its_person_leaves(approved, partner, founder):
    inquiry = send(partner, approved)
    organisation = partner.partner_person.organisation
    partner.partner_person.delete()
    answered = partner_services.inquiry_answer(
        actor=founder, inquiry=inquiry, answer="Yes.", accept=True
    )
    assert (answered.organisation, answered.person) == (organisation, None)
    assert not OutboxMessage.objects.filter(kind="technology_inquiry_answered").exists()


# --- A withdrawn listing copied into a new draft -----------------------------------------------


def test_a_withdrawn_listing_is_copied_into_a_new_draft_with_its_texts(
    company, founder, colleague, patent
):
    listing = submitted(founder, company, patent=patent, offers_transfer=True)
    with pytest.raises(ValidationError):  # under review: it is the one to change, later
        services.listing_copy(actor=founder, listing=listing)
    withdrawn = services.listing_withdraw(actor=founder, listing=listing)

    copy = services.listing_copy(actor=colleague, listing=withdrawn)
    assert copy.pk != withdrawn.pk
    assert (copy.status, copy.created_by, copy.version) == ("draft", colleague, 1)
    assert (copy.title_ko, copy.summary_en, copy.terms_zh) == (
        TEXTS["title_ko"],
        TEXTS["summary_en"],
        TEXTS["terms_zh"],
    )
    assert (copy.patent, copy.jurisdiction, copy.deal_kinds) == (
        patent,
        "CN",
        ["license", "transfer"],
    )
    assert TechnologyListing.objects.get(pk=withdrawn.pk).status == "withdrawn"
    [record] = audit("technology_listing.copy")
    assert (record.actor, record.company_id) == (colleague, company.pk)
    assert record.changes == {"copied_from": withdrawn.pk, "patent": patent.pk}
    # The copy is an ordinary draft: changed and sent for review.
    assert services.listing_submit(actor=founder, listing=copy).status == "submitted"


@pytest.mark.parametrize("who", ["neighbour", "partner", "manager"])
def test_only_the_companys_people_copy_its_listing(request, company, founder, who):
    withdrawn = services.listing_withdraw(actor=founder, listing=create(founder, company))
    with pytest.raises(PermissionDenied):
        services.listing_copy(actor=request.getfixturevalue(who), listing=withdrawn)
    assert TechnologyListing.objects.count() == 1 and not audit("technology_listing.copy")


# --- Approval without consent; listings published when consent comes ------------------------


def test_the_approval_e_mail_says_the_listing_stays_hidden_without_consent(
    company, founder, colleague, officer
):
    company.consent_to_partners = False
    company.save()
    services.listing_approve(actor=officer, listing=submitted(founder, company))
    message = messages("technology_listing_reviewed")[colleague.email]  # reads English
    assert message.payload["shown"] is False
    body = render_message(message).body
    assert "Partners do not see it yet" in body and "can now find it" not in body
    assert "/portal/company/edit/" in body


def test_the_approval_e_mail_of_a_consenting_company_says_partners_see_it(
    company, founder, colleague, officer
):
    listing = services.listing_approve(actor=officer, listing=submitted(founder, company))
    message = messages("technology_listing_reviewed")[colleague.email]
    body = render_message(message).body
    assert "Partners of the center can now find it" in body
    assert "/portal/company/edit/" not in body
    assert f"/portal/technology/{listing.pk}/" in body  # the listing's own page


@pytest.fixture
def endpoint(partner):
    organisation = partner.partner_person.organisation
    made, _secret = webhook_endpoint_create(
        actor=organisation,
        organisation=organisation,
        url="https://127.0.0.1:8443/hook",
        event_types=["listing.published"],
    )
    return made


def published(endpoint):
    return OutboxMessage.objects.filter(
        channel="webhook", kind="listing.published", recipient=f"webhook:{endpoint.pk}"
    )


def consent(company, founder, value: bool):
    company_services.company_update(company=company, actor=founder, consent_to_partners=value)


def test_listings_approved_while_hidden_are_published_when_the_company_consents(
    company, founder, manager, endpoint
):
    company.consent_to_partners = False
    company.save()
    listing = services.listing_approve(actor=manager, listing=submitted(founder, company))
    create(founder, company, title_ko="아직 초안")  # a draft: nothing to publish
    assert not published(endpoint).exists()

    company_services.company_update(company=company, actor=founder, name_en="Hanbit Robotics Co.")
    assert not published(endpoint).exists()  # another change of the profile publishes nothing
    consent(company, founder, True)
    [row] = published(endpoint)
    assert row.payload["data"]["listing"] == listing.pk
    assert (
        row.dedupe_key == f"webhook:listing.published:{listing.pk}:{listing.version}:{endpoint.pk}"
    )

    # Off (nothing is sent: the guide has no event for it) and on again: announced once.
    consent(company, founder, False)
    consent(company, founder, True)
    assert published(endpoint).count() == 1


def test_a_listing_announced_at_its_approval_is_not_announced_again_when_consent_returns(
    company, founder, manager, endpoint
):
    services.listing_approve(actor=manager, listing=submitted(founder, company))
    assert published(endpoint).count() == 1
    consent(company, founder, False)
    consent(company, founder, True)
    assert published(endpoint).count() == 1


# --- The center's copy of an inquiry -----------------------------------------------------------


def test_the_centers_copy_of_an_inquiry_is_for_its_information_the_companys_to_answer(
    approved, partner, colleague
):
    officer = staff_in(roles.PROGRAM_OFFICER, language="en")
    inquiry = send(partner, approved)
    sent = messages("technology_inquiry_received")
    assert sent[officer.email].payload["for_staff"] is True
    assert sent[colleague.email].payload["for_staff"] is False
    to_staff = render_message(sent[officer.email]).body
    assert "For your information: the company answers" in to_staff
    assert "answer here" not in to_staff
    assert f"/admin/companies/technologyinquiry/{inquiry.pk}/change/" in to_staff
    to_member = render_message(sent[colleague.email]).body
    assert "Read it and answer here:" in to_member and "For your information" not in to_member
