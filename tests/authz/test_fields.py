"""Field level: a portal form takes only its own fields.

Each test posts a valid form with the staff-only fields of the rows it touches added on top
(status, decision, owner, company, stage, is_staff, amount_granted...), checks the post was
accepted, then checks in the database that none of those fields took the crafted value.
"""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from companies.exchange.models import TechnologyInquiry, TechnologyListing
from companies.models import (
    Certification,
    Company,
    Document,
    FundingRound,
    Invitation,
    MarketValidation,
    Membership,
    Patent,
)
from events.models import MeetingRequest, Registration
from incubator.models import AuditRecord, User
from programs import stages
from programs.models import FundApplication, LocalEntity, QuarterlyReport, ServiceRequest
from tests.authz.world import PDF
from tests.companies.factories import TechnologyListingFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
OTHER_VALID_USCC = "914403001922038216"


def crafted(w) -> dict:
    """Staff-only fields of the portal's rows, with values an attacker would want."""
    manager = w.staff["center_manager"]
    return {
        "status": "accepted",
        "decision": "accepted",
        "owner": manager.pk,
        "company": w.company_b.pk,
        "stage": stages.GRADUATED,
        "is_staff": "on",
        "is_superuser": "on",
        "is_active": "on",
        "email_verified": "on",
        "groups": [w.group.pk],
        "role": Membership.Role.OWNER,
        "amount_granted": "999999",
        "disbursed": "999999",
        "decided_by": manager.pk,
        "decision_reason": "Crafted",
        "score": "100",
        "recommendation": "meets_all",
        "submitted_at": "2020-01-01 00:00",
        "accepted_at": "2020-01-01 00:00",
        "created_by": manager.pk,
        "submitted_by": manager.pk,
        "opened_by": manager.pk,
        "uploaded_by": manager.pk,
        "invited_by": manager.pk,
        "done_by": manager.pk,
        "due_on": "2000-01-01",
        "waiting_on": ServiceRequest.WaitingOn.COMPANY,
        "from_center": "on",
        "author": manager.pk,
        "enrollment": w.enrollment.pk,
        "user": manager.pk,
        "kind": "partner",
        "checked_in_at": "2020-01-01 00:00",
        "checked_in_by": manager.pk,
        "badge_code": "CRAFTED",
        "waitlist_position": "1",
        "from_registration": w.registration.pk,
        "to_registration": w.registration_b.pk,
        "responded_at": "2020-01-01 00:00",
        "judge": w.second_judge.pk,
        "entry": w.entry_b.pk,
        "assignment": w.submitted_assignment.pk,
    }


def post(user, url, data, expected=302):
    """POST as `user` (anonymous when None); the form must be accepted for the test to mean
    anything, so the status is checked too."""
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.post(url, data)
    errors = re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert response.status_code == expected, errors
    return response


def form(w, **data) -> dict:
    """Return the form's own fields with the crafted ones added; the form's win."""
    return {**crafted(w), **data}


def step_url(application, step):
    return reverse("programs:application-step", args=[application.pk, step])


def assert_still_a_draft(application):
    application.refresh_from_db()
    assert application.status == "draft"
    assert (application.decided_by, application.score, application.submitted_at) == (
        None,
        None,
        None,
    )
    assert application.decision_reason == application.recommendation == ""


def assert_portal_user(user):
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
    assert not user.groups.exists() and not user.user_permissions.exists()


# --- Accounts ----------------------------------------------------------------------------


def test_sign_up_makes_an_unverified_portal_account_whatever_is_posted(world):
    email = "new.founder@example.kr"
    post(
        None,
        reverse("portal:sign-up"),
        form(
            world,
            email=email,
            full_name="New Founder",
            language="en",
            time_zone="Asia/Seoul",
            password1="Orang-simhan-2026!",
            password2="Orang-simhan-2026!",
        ),
        expected=200,
    )
    user = User.objects.get(email=email)
    assert_portal_user(user)
    assert not user.email_verified
    assert not hasattr(user, "membership")


def test_preferences_change_only_name_language_and_time_zone(world):
    user = world.member_a
    post(
        user,
        reverse("portal:preferences"),
        form(
            world,
            full_name="Member A",
            language="ko",
            time_zone="Asia/Shanghai",
            email="hijack@example.kr",
        ),
    )
    user.refresh_from_db()
    assert (user.full_name, user.language, user.time_zone) == (
        "Member A",
        "ko",
        "Asia/Shanghai",
    )
    assert user.email == "member@alpha.example.kr"
    assert_portal_user(user)
    assert user.membership.role == Membership.Role.MEMBER
    record = AuditRecord.objects.get(verb="user.preferences")
    assert record.actor == user and "email" not in record.changes
    assert record.changes["time_zone"][1] == "Asia/Shanghai"


# --- Company and members ---------------------------------------------------------------


COMPANY = {
    "name_ko": "감마테크",
    "name_zh": "",
    "name_en": "Gamma Tech",
    "founded_on": "2019-03-02",
    "sector": "education",
    "description_ko": "",
    "description_zh": "",
    "description_en": "",
    "website": "",
    "city": "Seoul",
    "employees": "12",
}


def test_company_create_makes_the_person_owner_of_the_new_company_only(world):
    founder = UserFactory(email="gamma@example.kr")
    post(
        founder,
        reverse("companies:company-create"),
        form(world, **COMPANY, brn="116-82-00276"),
    )
    company = Company.objects.get(name_en="Gamma Tech")
    assert list(company.memberships.values_list("user", "role")) == [
        (founder.pk, Membership.Role.OWNER)
    ]
    assert not Membership.objects.filter(user=world.staff["center_manager"]).exists()
    assert set(world.company_b.memberships.values_list("user", flat=True)) == {world.owner_b.pk}
    assert_portal_user(founder)


def test_company_edit_in_the_wizard_changes_the_company_not_the_application(world):
    company = world.company_a
    post(
        world.owner_a,
        step_url(world.draft, "company"),
        form(world, **{**COMPANY, "name_en": "Alpha Robotics Ltd"}, brn=company.brn),
    )
    company.refresh_from_db()
    assert company.name_en == "Alpha Robotics Ltd"
    assert_still_a_draft(world.draft)
    assert Membership.objects.get(user=world.member_a).role == Membership.Role.MEMBER
    assert_portal_user(world.owner_a)


def test_an_invitation_is_for_the_owners_company_and_not_accepted_yet(world):
    post(
        world.owner_a,
        reverse("programs:member-invite"),
        form(world, email="cto@alpha.example.kr"),
    )
    invitation = Invitation.objects.get(email="cto@alpha.example.kr")
    assert (invitation.company, invitation.invited_by, invitation.accepted_at) == (
        world.company_a,
        world.owner_a,
        None,
    )


def test_accepting_an_invitation_makes_a_member_of_the_inviting_company(world):
    colleague = UserFactory(email=world.invitation.email)
    post(
        colleague,
        reverse("companies:invitation-accept", args=[world.invitation.link_token]),
        crafted(world),
    )
    membership = Membership.objects.get(user=colleague)
    assert (membership.company, membership.role) == (world.company_a, Membership.Role.MEMBER)
    assert_portal_user(colleague)


# --- The application wizard --------------------------------------------------------------


def _years_ago(years):
    return TODAY.replace(year=TODAY.year - years, day=min(TODAY.day, 28)).isoformat()


EVIDENCE = [
    (
        "patents",
        Patent,
        {
            "form": "patent",
            "jurisdiction": "KR",
            "kind": "invention",
            "status": "application",
            # KIPO's year is the filing year.
            "number": f"10-{TODAY.year - 3}-0123456",
            "title": "Language-learning robot",
            "applied_on": _years_ago(3),
        },
    ),
    (
        "financing",
        FundingRound,
        {
            "form": "funding",
            "funding-round_type": "seed",
            "funding-amount": "300000000",
            "funding-currency": "KRW",
            "funding-investor": "Seoul Angels",
            "funding-date": _years_ago(2),
        },
    ),
    (
        "financing",
        MarketValidation,
        {
            "form": "market",
            "market-kind": "revenue",
            "market-description": "Sales",
            "market-amount": "50000",
            "market-currency": "CNY",
            "market-date": _years_ago(1),
        },
    ),
    (
        "certifications",
        Certification,
        {
            "form": "certification",
            "kind": "innobiz",
            "number": "20230101234",
            "issued_on": _years_ago(1),
            "expires_on": _years_ago(-2),
        },
    ),
]


@pytest.mark.parametrize(
    "step, model, data", EVIDENCE, ids=[model.__name__ for _step, model, _data in EVIDENCE]
)
def test_evidence_belongs_to_the_applicants_company(world, step, model, data):
    before = set(model.objects.values_list("pk", flat=True))
    post(world.owner_a, step_url(world.draft, step), form(world, **data))
    (added,) = model.objects.exclude(pk__in=before)
    assert added.company == world.company_a
    assert_still_a_draft(world.draft)


def test_a_document_keeps_the_uploader_company_and_the_checked_type(world):
    before = set(Document.objects.values_list("pk", flat=True))
    data = form(
        world,
        kind="pitch",
        file=SimpleUploadedFile("deck.pdf", PDF, content_type="application/pdf"),
        content_type="text/html",
        original_name="crafted.html",
        size="1",
    )
    post(world.owner_a, step_url(world.draft, "documents"), data)
    (document,) = Document.objects.exclude(pk__in=before)
    assert (document.company, document.uploaded_by) == (world.company_a, world.owner_a)
    assert (document.content_type, document.original_name) == ("application/pdf", "deck.pdf")
    assert_still_a_draft(world.draft)


def test_saving_the_review_step_keeps_the_application_a_draft(world):
    post(
        world.owner_a,
        step_url(world.draft, "review"),
        form(world, market_fit="Hospitals in Harbin.", action="save"),
    )
    assert_still_a_draft(world.draft)
    assert world.draft.market_fit == "Hospitals in Harbin."


def test_submitting_makes_it_submitted_and_nothing_more(world):
    post(
        world.owner_a,
        step_url(world.draft, "review"),
        form(world, market_fit="Hospitals in Harbin.", action="submit"),
    )
    post(world.owner_a, f"/portal/applications/{world.draft.pk}/submit/", {})  # the confirmation
    world.draft.refresh_from_db()
    assert world.draft.status == "submitted"
    assert (world.draft.decided_by, world.draft.decided_at, world.draft.decision_reason) == (
        None,
        None,
        "",
    )
    assert world.draft.company == world.company_a
    assert not world.draft.events.filter(kind="decided").exists()


# --- The journey ----------------------------------------------------------------------------


def test_a_local_entity_is_the_company_s_and_its_author_is_the_member(world):
    post(
        world.owner_a,
        reverse("programs:local-entity"),
        form(
            world,
            name_zh="哈尔滨阿尔法二号有限公司",
            uscc=OTHER_VALID_USCC,
            registered_on=(TODAY - dt.timedelta(days=10)).isoformat(),
            city="Harbin",
            registered_capital="500000",
            capital_currency="CNY",
        ),
    )
    entity = LocalEntity.objects.get(uscc=OTHER_VALID_USCC)
    assert (entity.company, entity.created_by) == (world.company_a, world.owner_a)
    world.enrollment.refresh_from_db()
    assert world.enrollment.stage == stages.INCUBATION


def test_milestone_evidence_marks_it_done_by_the_member_and_nothing_else(world):
    milestone = world.milestone_open
    kept = (milestone.stage, milestone.due_on, milestone.required, milestone.code)
    post(
        world.owner_a,
        reverse("programs:milestone-done", args=[milestone.pk]),
        form(world, evidence="The office lease is signed.", required=""),
    )
    milestone.refresh_from_db()
    assert milestone.done_by == world.owner_a and milestone.done_at is not None
    assert (milestone.stage, milestone.due_on, milestone.required, milestone.code) == kept
    assert milestone.company == world.company_a
    world.enrollment.refresh_from_db()
    assert world.enrollment.stage == stages.INCUBATION


def test_a_new_request_is_open_unassigned_and_the_company_s(world):
    post(
        world.owner_a,
        reverse("programs:request-create"),
        form(world, kind="tax", subject="Contract review", body="Please read our lease."),
    )
    request = ServiceRequest.objects.get(subject="Contract review")
    assert (request.company, request.opened_by, request.owner) == (
        world.company_a,
        world.owner_a,
        None,
    )
    # The target date is the center's, set from the day it was opened, never the company's.
    assert request.status == ServiceRequest.Status.OPEN and request.due_on is not None
    assert request.waiting_on == ServiceRequest.WaitingOn.CENTER


def test_a_reply_is_the_member_s_not_the_center_s(world):
    request = world.service_request
    post(
        world.owner_a,
        reverse("programs:request-detail", args=[request.pk]),
        form(world, body="Here is the passport scan."),
    )
    message = request.messages.order_by("-pk").first()
    assert (message.author, message.from_center, message.company) == (
        world.owner_a,
        False,
        world.company_a,
    )
    request.refresh_from_db()
    assert request.owner is None and request.status != ServiceRequest.Status.CLOSED


def test_closing_a_request_closes_it_and_assigns_nobody(world):
    request = world.service_request
    post(world.owner_a, reverse("programs:request-close", args=[request.pk]), crafted(world))
    request.refresh_from_db()
    assert (request.status, request.owner, request.company) == (
        ServiceRequest.Status.CLOSED,
        None,
        world.company_a,
    )


def test_a_fund_application_is_submitted_with_nothing_granted(world):
    call = world.fund_call_open
    post(
        world.owner_a,
        reverse("programs:fund-apply", args=[call.pk]),
        form(world, amount_requested="50000", purpose="Moulds for the production line."),
    )
    application = FundApplication.objects.get(call=call)
    assert (application.company, application.status) == (world.company_a, "submitted")
    assert (application.amount_granted, application.disbursed, application.decided_by) == (
        None,
        0,
        None,
    )
    call.refresh_from_db()
    assert call.remaining == call.budget


# --- Technology exchange ------------------------------------------------------------------


def exchange_crafted(w) -> dict:
    """What the exchange's rows have that no portal form sets."""
    return {
        **crafted(w),
        "status": "approved",
        "reviewed_by": w.staff["center_manager"].pk,
        "reviewed_at": "2020-01-01 00:00",
        "review_reason": "Crafted",
        "version": "99",
        "accepted": "on",
        "answered_by": w.staff["center_manager"].pk,
        "organisation": w.partner_person.organisation.pk,
        "person": w.partner_person.pk,
        "listing": w.listing.pk,
    }


def test_a_new_listing_is_a_draft_of_the_members_company(world):
    post(
        world.owner_a,
        reverse("companies:listing-create"),
        {
            **exchange_crafted(world),
            "title_en": "Alpha gripper v2",
            "summary_en": "A soft gripper.",
            "terms_en": "Transfer.",
            "offers_transfer": "on",
            "sector": "ai",
            "jurisdiction": "KR",
        },
    )
    listing = TechnologyListing.objects.get(title_en="Alpha gripper v2")
    assert (listing.company, listing.status, listing.created_by) == (
        world.company_a,
        "draft",
        world.owner_a,
    )
    assert (listing.reviewed_by, listing.reviewed_at, listing.review_reason, listing.version) == (
        None,
        None,
        "",
        1,
    )


def test_an_inquiry_is_the_partners_own_and_waits_for_an_answer(world):
    listing = TechnologyListingFactory(company=world.company_b, status="approved")
    post(
        world.partner,
        reverse("companies:exchange-listing", args=[listing.pk]),
        {**exchange_crafted(world), "message": "What would a licence cost?"},
    )
    inquiry = TechnologyInquiry.objects.get(listing=listing)
    assert (inquiry.organisation, inquiry.person, inquiry.status) == (
        world.partner_person.organisation,
        world.partner_person,
        "sent",
    )
    assert (inquiry.accepted, inquiry.answered_by, inquiry.answer) == (None, None, "")


def test_an_answer_is_the_members_and_says_what_was_chosen(world):
    post(
        world.owner_a,
        reverse("companies:inquiry-detail", args=[world.inquiry.pk]),
        {**exchange_crafted(world), "decision": "decline", "answer": "Not this year."},
    )
    inquiry = TechnologyInquiry.objects.get(pk=world.inquiry.pk)
    assert (inquiry.status, inquiry.accepted, inquiry.answered_by) == (
        "answered",
        False,
        world.owner_a,
    )
    assert (inquiry.listing, inquiry.organisation) == (world.listing, world.inquiry.organisation)


def test_a_quarterly_report_is_the_company_s_by_the_member(world):
    quarter = stages.quarters_due(started_on=world.enrollment.started_on, today=TODAY)[1]
    post(
        world.owner_a,
        reverse("programs:report-create"),
        form(
            world,
            period=f"{quarter.year}-{quarter.quarter}",
            revenue="20000",
            revenue_currency="CNY",
            employees_china="3",
            employees_korea="5",
            funding_raised="0",
            funding_currency="CNY",
            customers_china="2",
        ),
    )
    report = QuarterlyReport.objects.get(year=quarter.year, quarter=quarter.quarter)
    assert (report.company, report.submitted_by, report.enrollment) == (
        world.company_a,
        world.owner_a,
        world.enrollment,
    )


# --- Events, meetings, judging ------------------------------------------------------------------


def test_registering_makes_a_plain_startup_registration_of_the_member(world):
    event = world.event_open
    post(
        world.owner_a,
        reverse("events:event-register", args=[event.pk]),
        form(world, speaks_ko="on"),
    )
    registration = Registration.objects.get(event=event)
    assert (registration.user, registration.company, registration.kind) == (
        world.owner_a,
        world.company_a,
        Registration.Kind.STARTUP,
    )
    assert registration.status == Registration.Status.REGISTERED
    assert (registration.checked_in_at, registration.checked_in_by) == (None, None)
    assert registration.badge_code != "CRAFTED" and registration.waitlist_position is None


def test_availability_changes_slots_and_languages_only(world):
    registration = world.registration
    post(
        world.owner_a,
        reverse("events:matching-availability", args=[world.event.pk]),
        form(world, slots=[world.slots[1].pk], languages=["ko", "en"]),
    )
    registration.refresh_from_db()
    assert list(registration.availabilities.values_list("slot", flat=True)) == [world.slots[1].pk]
    assert (registration.status, registration.user, registration.company) == (
        Registration.Status.REGISTERED,
        world.owner_a,
        world.company_a,
    )
    assert registration.kind == Registration.Kind.STARTUP and registration.checked_in_at is None


def test_a_meeting_request_is_from_the_sender_and_waits_for_an_answer(world):
    post(
        world.owner_b,
        reverse("events:meeting-request-create", args=[world.event.pk]),
        form(world, to=world.registration_partner.pk, priority="must", message="Hello"),
    )
    request = MeetingRequest.objects.get(to_registration=world.registration_partner)
    assert request.from_registration == world.registration_b
    assert (request.status, request.responded_at) == (MeetingRequest.Status.PENDING, None)
    assert request.event == world.event


def test_declining_a_request_declines_it_whatever_status_is_posted(world):
    request = world.meeting_request
    post(
        world.owner_a,
        reverse("events:meeting-request-respond", args=[request.pk]),
        form(world, answer="decline"),
    )
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.DECLINED
    assert (request.from_registration, request.to_registration) == (
        world.registration_partner,
        world.registration,
    )


def test_a_judge_saves_a_draft_of_their_own_sheet_only(world):
    assignment = world.assignment
    other_scores = list(world.submitted_assignment.scores.values_list("criterion", "value"))
    scores = {f"score_{c.pk}": "3" for c in world.criteria}
    post(
        world.judge,
        reverse("events:judging-score", args=[assignment.pk]),
        form(world, **scores, action="save"),
    )
    assignment.refresh_from_db()
    assert (assignment.judge, assignment.entry, assignment.submitted_at) == (
        world.judge,
        world.entry,
        None,
    )
    assert assignment.scores.count() == len(world.criteria)
    assert list(world.submitted_assignment.scores.values_list("criterion", "value")) == (
        other_scores
    )
