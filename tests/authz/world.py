"""The world the authorization tests request pages in: two startups, a partner, a judge, staff.

Startup A has one object of every kind a URL can name (an application with evidence and a
document, an enrollment with milestones, a service request with a file, a fund application,
registrations, a badge, meetings, a competition entry with scores...). Startup B is a
company of its own, registered for the same matching session, so that what B may not reach
of A is tested against a neighbour, not a stranger.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from companies import services as company_services
from companies.apikeys.models import PartnerAPIKey
from companies.exchange import partner_services
from companies.exchange import services as exchange_services
from companies.models import Document, Invitation, Lead, Membership
from companies.webhooks import services as webhook_services
from events.feeds import services as feed_services
from events.judging import services as judging
from events.matching import services as meetings
from events.models import (
    Availability,
    CompetitionEntry,
    CompetitionRound,
    ConflictDeclaration,
    Delegation,
    DelegationMember,
    DelegationProgrammeItem,
    Event,
    JudgingCriterion,
    Registration,
    ScheduleRun,
    SessionAttendance,
)
from incubator import roles
from incubator.audit import audit_record
from incubator.models import OutboxMessage
from incubator.reports.models import ReportRun
from programs import services as program_services
from programs import stages
from programs.admissions import services as admissions_services
from programs.admissions.models import Application, ScreeningPolicy
from programs.concierge import services as concierge_services
from programs.fund import services as fund_services
from programs.journey import services as journey_services
from programs.models import ServiceTarget
from tests.companies.factories import (
    ApplicationFactory,
    CertificationFactory,
    CompanyFactory,
    FundingRoundFactory,
    IntakeFactory,
    MarketValidationFactory,
    MembershipFactory,
    PatentFactory,
    StaffFactory,
    UserFactory,
)
from tests.events.factories import (
    EventFactory,
    OnlineSessionFactory,
    PartnerPersonFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
    meeting_slots,
)
from tests.programs.factories import CohortFactory, FundCallFactory

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
VALID_USCC = "91110108551385082Q"
MAX_BYTES = 10_000_000

# The columns of the matrix, in order.
ROLES = (
    "anonymous",
    "owner_a",
    "member_a",
    "owner_b",
    "partner",
    "judge",
    roles.CENTER_MANAGER,
    roles.PROGRAM_OFFICER,
    roles.EVENT_COORDINATOR,
    roles.VIEWER,
)
STAFF_ROLES = roles.ROLES


def _pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _defaults() -> None:
    # A transactional test elsewhere in the run may have flushed what the migrations made.
    roles.sync_role_permissions()
    program_services.defaults_ensure()
    if not ScreeningPolicy.objects.exists():
        admissions_services.policy_publish(
            actor=None, effective_from=dt.datetime(2020, 8, 10, tzinfo=dt.UTC)
        )


def _staff(role: str):
    user = StaffFactory(email=f"{role}@center.example.cn", full_name=role.replace("_", " "))
    user.groups.add(Group.objects.get(name=role))
    return user


def _beat_objects() -> SimpleNamespace:
    interval = IntervalSchedule.objects.first() or IntervalSchedule.objects.create(
        every=10, period=IntervalSchedule.MINUTES
    )
    # A crontab of its own: the migrations' crontabs carry the portal's jobs, whose number
    # (and order) differs between databases, and the page lists them.
    crontab = CrontabSchedule.objects.create(minute="17", hour="3")
    solar = SolarSchedule.objects.first() or SolarSchedule.objects.create(
        event="sunrise", latitude=Decimal("45.75"), longitude=Decimal("126.63")
    )
    clocked = ClockedSchedule.objects.first() or ClockedSchedule.objects.create(
        clocked_time=timezone.now() + dt.timedelta(days=1)
    )
    task = PeriodicTask.objects.first() or PeriodicTask.objects.create(
        name="authz sweep", task="incubator.tasks.outbox_sweep_task", interval=interval
    )
    return SimpleNamespace(
        interval=interval, crontab=crontab, solar=solar, clocked=clocked, task=task
    )


def _sign_in_records(w) -> None:
    """Sign-in attempts of startup A's owner, for django-axes's admin pages."""
    if not django_apps.is_installed("axes"):
        return
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    seen = {
        "username": w.owner_a.email,
        "ip_address": "203.0.113.7",
        "user_agent": "Firefox",
        "http_accept": "text/html",
        "path_info": "/portal/sign-in/",
        "attempt_time": timezone.now(),
    }
    w.access_attempt = AccessAttempt.objects.create(
        **seen, get_data="", post_data="", failures_since_start=3
    )
    w.access_log = AccessLog.objects.create(**seen)
    w.access_failure = AccessFailureLog.objects.create(**seen, locked_out=False)


def build() -> SimpleNamespace:
    """Create the world and return its people and objects by name."""
    _defaults()
    w = SimpleNamespace()
    today = timezone.localdate()

    # --- People ---------------------------------------------------------------------------
    w.staff = {role: _staff(role) for role in STAFF_ROLES}
    officer = w.staff[roles.PROGRAM_OFFICER]
    coordinator = w.staff[roles.EVENT_COORDINATOR]

    w.company_a = CompanyFactory(name_en="Alpha Robotics", consent_to_partners=True)
    w.company_b = CompanyFactory(name_en="Beta Clinic", consent_to_partners=True)
    w.owner_a = MembershipFactory(
        company=w.company_a, user__email="owner@alpha.example.kr", role=Membership.Role.OWNER
    ).user
    w.member_a = MembershipFactory(
        company=w.company_a, user__email="member@alpha.example.kr", role=Membership.Role.MEMBER
    ).user
    w.owner_b = MembershipFactory(
        company=w.company_b, user__email="owner@beta.example.kr", role=Membership.Role.OWNER
    ).user
    w.partner_person = PartnerPersonFactory(user__email="investor@partner.example.cn")
    w.partner = w.partner_person.user
    w.api_key = PartnerAPIKey.objects.create_key(
        organisation=w.partner_person.organisation, name="CRM", scopes=["companies:read"]
    )[0]
    w.judge = UserFactory(email="judge@jury.example.kr", full_name="Judge Kim")
    w.second_judge = UserFactory(email="judge2@jury.example.kr", full_name="Judge Park")
    w.conflicted_judge = UserFactory(email="judge3@jury.example.kr", full_name="Judge Lee")
    # Signed up, not confirmed yet: whose verification link the matrix opens.
    w.newcomer = UserFactory(email="newcomer@example.kr", email_verified=False)
    w.users = {
        "owner_a": w.owner_a,
        "member_a": w.member_a,
        "owner_b": w.owner_b,
        "partner": w.partner,
        "judge": w.judge,
        **w.staff,
    }

    # --- Startup A's application, evidence and document ---------------------------------
    w.patent = PatentFactory(company=w.company_a)
    w.funding_round = FundingRoundFactory(company=w.company_a)
    w.market_validation = MarketValidationFactory(company=w.company_a)
    w.certification = CertificationFactory(company=w.company_a)
    w.document = company_services.document_upload(
        company=w.company_a,
        uploaded_file=_pdf("pitch.pdf"),
        kind=Document.Kind.PITCH,
        user=w.owner_a,
        max_bytes=MAX_BYTES,
    )
    w.intake_submitted = IntakeFactory(label_en="2026 spring")
    w.intake_draft = IntakeFactory(label_en="2026 autumn")
    w.intake_open = IntakeFactory(label_en="2027 spring")  # nobody applied yet
    w.application = admissions_services.application_submit(
        application=ApplicationFactory(
            company=w.company_a, intake=w.intake_submitted, created_by=w.owner_a
        ),
        user=w.owner_a,
    )
    w.draft = ApplicationFactory(company=w.company_a, intake=w.intake_draft, created_by=w.owner_a)
    assert w.draft.status == Application.Status.DRAFT
    w.invitation = Invitation.objects.create(
        company=w.company_a, email="new.colleague@alpha.example.kr", invited_by=w.owner_a
    )
    w.lead = Lead.objects.create(
        company_name=w.company_a.name_ko,
        source=Lead.Source.REFERRAL,
        company=w.company_a,
        owner=officer,
    )

    # --- Technology exchange: A's listings, the partner's inquiry and interest ------------
    def listing(title: str, **fields):
        return exchange_services.listing_create(
            actor=w.owner_a,
            company=w.company_a,
            title_en=title,
            summary_en="A robot arm's joint control.",
            terms_en="Licence for China.",
            offers_license=True,
            **fields,
        )

    w.listing = exchange_services.listing_approve(
        actor=officer,
        listing=exchange_services.listing_submit(
            actor=w.owner_a, listing=listing("Alpha joint control", patent=w.patent)
        ),
    )
    w.listing_draft = listing("Alpha gripper")  # what A edits and submits
    w.listing_submitted = exchange_services.listing_submit(
        actor=w.owner_a, listing=listing("Alpha vision")
    )  # what staff review
    w.inquiry = partner_services.inquiry_send(
        actor=w.partner, listing=w.listing, message="What does a licence for China cost?"
    )
    w.interest = partner_services.interest_mark(
        actor=w.partner, company=w.company_a, note="Series A"
    )

    # --- Journey: enrollment, milestones, local entity, request, fund, report -------------
    w.cohort = CohortFactory(
        program=w.intake_submitted.program,
        starts_on=today - dt.timedelta(days=400),
        ends_on=today + dt.timedelta(days=300),
    )
    w.enrollment = journey_services.enrollment_create(
        company=w.company_a,
        cohort=w.cohort,
        actor=officer,
        reason="Accepted in the 2026 call.",
        started_on=w.cohort.starts_on,
    )
    milestones = list(
        w.enrollment.milestones.exclude(code=stages.LOCAL_ENTITY_MILESTONE).order_by("position")
    )
    w.milestone_done = journey_services.milestone_complete(
        milestone=milestones[0],
        actor=w.owner_a,
        evidence="Signed the lease.",
        uploaded_file=_pdf("lease.pdf"),
        max_bytes=MAX_BYTES,
    )
    w.milestone_open = milestones[1]
    w.local_entity = journey_services.local_entity_register(
        company=w.company_a,
        actor=w.owner_a,
        name_zh="哈尔滨阿尔法机器人有限公司",
        uscc=VALID_USCC,
        registered_on=today - dt.timedelta(days=30),
        city="Harbin",
        registered_capital=Decimal("1000000"),
        capital_currency="CNY",
    )
    w.service_request = concierge_services.service_request_open(
        company=w.company_a,
        kind="visa",
        subject="Visa for our engineer",
        body="Which documents do we need?",
        actor=w.owner_a,
        uploaded_file=_pdf("passport.pdf"),
        max_bytes=MAX_BYTES,
    )
    w.service_message = w.service_request.messages.get()
    w.service_target = ServiceTarget.objects.get(kind="visa")
    w.fund_call = FundCallFactory()
    w.fund_call_open = FundCallFactory()  # A has not applied to this one
    w.fund_application = fund_services.fund_apply(
        call=w.fund_call,
        company=w.company_a,
        actor=w.owner_a,
        amount_requested=Decimal("100000"),
        purpose="A production line in Binxian.",
    )
    first_quarter = stages.quarters_due(started_on=w.enrollment.started_on, today=today)[0]
    w.report = journey_services.quarterly_report_submit(
        company=w.company_a,
        actor=w.owner_a,
        year=first_quarter.year,
        quarter=first_quarter.quarter,
        revenue=Decimal("10000"),
        revenue_currency="CNY",
        employees_china=2,
        employees_korea=5,
        funding_raised=Decimal("0"),
        funding_currency="CNY",
        customers_china=1,
    )

    # --- Events: a matching session with registrations, requests, a meeting and a run ------
    w.event = EventFactory(meeting_tables=4, interpreters_per_slot=1)
    w.slots = meeting_slots(w.event, count=4)
    w.registration = StartupRegistrationFactory(event=w.event, membership=w.owner_a.membership)
    w.registration_b = StartupRegistrationFactory(event=w.event, membership=w.owner_b.membership)
    w.registration_partner = PartnerRegistrationFactory(event=w.event, person=w.partner_person)
    for registration in (w.registration, w.registration_b, w.registration_partner):
        Availability.objects.bulk_create(
            [Availability(registration=registration, slot=slot) for slot in w.slots]
        )
    w.availability = w.registration.availabilities.order_by("pk").first()
    # The partner asks A; A answers (meeting-request-respond is A's to use).
    w.meeting_request = meetings.meeting_request_create(
        from_registration=w.registration_partner, to_registration=w.registration
    )
    w.meeting = meetings.meeting_add(
        event=w.event,
        registration_a=w.registration,
        registration_b=w.registration_partner,
        slot=w.slots[0],
        actor=coordinator,
    )
    w.schedule_run = ScheduleRun.objects.create(
        event=w.event,
        status=ScheduleRun.Status.DONE,
        progress=100,
        requested_by=coordinator,
        finished_at=timezone.now(),
    )
    # A finished KPI report run, its workbook in private storage.
    w.report_run = ReportRun.objects.create(
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 1, 31),
        status=ReportRun.Status.DONE,
        progress=100,
        requested_by=coordinator,
        finished_at=timezone.now(),
    )
    w.report_run.file.save("kpi-report.xlsx", ContentFile(b"PK\x03\x04 a workbook"))
    # An event nobody registered for yet: where registering is tried.
    w.event_open = EventFactory(kind=Event.Kind.TRAINING, meeting_tables=0, interpreters_per_slot=0)
    # Under way for an hour: an event staff may mark as completed (not before it starts).
    w.event_under_way = EventFactory(
        kind=Event.Kind.ROADSHOW,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        meeting_tables=0,
        interpreters_per_slot=0,
    )

    # --- Online programme, delegation visit ----------------------------------------------
    w.online_session = OnlineSessionFactory()
    w.online_registration = StartupRegistrationFactory(
        event=w.online_session.event, membership=w.owner_a.membership
    )
    w.attendance = SessionAttendance.objects.create(
        session=w.online_session, registration=w.online_registration, recorded_by=coordinator
    )
    delegation_event = EventFactory(
        kind=Event.Kind.DELEGATION_VISIT, meeting_tables=0, interpreters_per_slot=0
    )
    w.delegation = Delegation.objects.create(
        name_en="Gyeonggi founders' visit",
        event=delegation_event,
        arrives_at=delegation_event.starts_at,
        departs_at=delegation_event.ends_at + dt.timedelta(days=2),
        host_organisation=w.partner_person.organisation,
        coordinator=coordinator,
    )
    # With an address: the programme can be e-mailed (admin:events_delegation_send_programme).
    w.delegation_member = DelegationMember.objects.create(
        delegation=w.delegation,
        name=w.owner_a.full_name,
        company=w.company_a,
        email=w.owner_a.email,
    )
    w.programme_item = DelegationProgrammeItem.objects.create(
        delegation=w.delegation,
        starts_at=delegation_event.starts_at,
        ends_at=delegation_event.starts_at + dt.timedelta(hours=2),
        title_en="Visit of the Binxi industrial park",
    )

    # --- Competition: an open round A is judged in, and a published one ------------------
    competition = EventFactory(
        kind=Event.Kind.COMPETITION, meeting_tables=0, interpreters_per_slot=0
    )
    w.round = CompetitionRound.objects.create(event=competition, name_en="Final", order=2)
    w.criteria = [
        JudgingCriterion.objects.create(round=w.round, name_en="Technology", weight=2, order=1),
        JudgingCriterion.objects.create(round=w.round, name_en="Market", max_score=5, order=2),
    ]
    w.entry = CompetitionEntry.objects.create(round=w.round, company=w.company_a, title="Alpha arm")
    w.entry_b = CompetitionEntry.objects.create(
        round=w.round, company=w.company_b, title="Beta scan"
    )
    w.assignment = judging.judge_assign(entry=w.entry, judge=w.judge, actor=coordinator)
    # Scores another judge submitted: final.
    w.submitted_assignment = judging.judge_assign(
        entry=w.entry, judge=w.second_judge, actor=coordinator
    )
    judging.score_submit(
        assignment=w.submitted_assignment,
        scores={w.criteria[0].pk: ("8", "Strong"), w.criteria[1].pk: ("4", "")},
        judge=w.second_judge,
        submit=True,
    )
    w.score = w.submitted_assignment.scores.order_by("criterion__order").first()
    w.conflict = ConflictDeclaration.objects.create(
        judge=w.conflicted_judge, company=w.company_a, reason="Investor in Alpha"
    )
    w.released_round = CompetitionRound.objects.create(
        event=competition, name_en="Semi-final", order=1, released_at=timezone.now()
    )
    CompetitionEntry.objects.create(round=w.released_round, company=w.company_a, title="Alpha")

    # --- The partner organisation's webhook endpoint, with a delivery waiting ---------------
    w.webhook_endpoint, _secret = webhook_services.webhook_endpoint_create(
        actor=w.staff[roles.CENTER_MANAGER],
        organisation=w.partner_person.organisation,
        url="https://hooks.partner.example/incubator",
        event_types=["meeting.confirmed", "event.cancelled"],
    )
    webhook_services.webhooks_emit(
        event_type="meeting.confirmed",
        organisation_ids=[w.partner_person.organisation_id],
        data={"meeting": {"id": w.meeting.pk}},
        key=f"meeting-{w.meeting.pk}",
    )

    # --- A's owner's calendar feed: its address is public by its token --------------------
    w.calendar_feed, w.calendar_feed_token = feed_services.calendar_feed_regenerate(
        actor=w.owner_a, user=w.owner_a
    )

    # --- The center's own records -----------------------------------------------------------
    w.outbox_message = OutboxMessage.objects.filter(recipient=w.owner_a.email).first()
    w.audit_record = audit_record(
        actor=w.owner_a, verb="company.update", obj=w.company_a, company=w.company_a
    )
    w.beat = _beat_objects()
    w.group = Group.objects.get(name=roles.VIEWER)
    _sign_in_records(w)
    assert w.registration.status == Registration.Status.REGISTERED
    return w
