"""The world the budgets are measured in: tests/authz/world.py's with prepare()'s few rows
more, the API's URLs in it, and `grow(world, n, seed=...)`, which adds n more of what each
page shows.

Two kinds of rows grow. The rows of the world's own objects, which the portal's roles, the
change pages and the API see: n more members, evidence and documents of startup A, entries
in A's application history, milestones, transitions, reports, messages and grants of A's
journey, A's listings and the partner's inquiries, registrations, slots, requests and
meetings of the matching session, attendances, delegation members, judged entries, score
corrections, log entries of every object the admin names... And the lists of the staff
side: bench.datagen's seeded rows of every model it makes, a few companies' worth.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from bench.datagen import generate
from companies import services as company_services
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
    JudgeAssignment,
    JudgingCriterion,
    ScheduleRun,
    Score,
    SessionAttendance,
)
from incubator import roles
from incubator.audit import audit_record
from incubator.models import OutboxMessage
from incubator.reports.models import ReportRun
from programs import stages
from programs.admissions import services as admissions_services
from programs.admissions.models import ApplicationEvent
from programs.concierge import services as concierge_services
from programs.fund import services as fund_services
from programs.journey import services as journey_services
from programs.models import (
    Enrollment,
    FundApplication,
    Milestone,
    MilestoneTemplate,
    StageTransition,
)
from tests.api.keys import key_for
from tests.authz import matrix
from tests.authz.world import MAX_BYTES, _pdf
from tests.companies.factories import (
    ApplicationFactory,
    CertificationFactory,
    CompanyFactory,
    FundingRoundFactory,
    IntakeFactory,
    MarketValidationFactory,
    MembershipFactory,
    PatentFactory,
    UserFactory,
)
from tests.events.factories import (
    EventFactory,
    OnlineSessionFactory,
    PartnerPersonFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
)
from tests.programs.factories import CohortFactory, FundCallFactory


def api_urls(w) -> dict[str, str]:
    """The URL each GET of tests/api/matrix.txt is measured at: partner A's objects."""
    person = f"event={w.event.pk}&person={w.partner_person.pk}"
    today = timezone.localdate()
    return {
        "/api/v1/companies/": "/api/v1/companies/",
        "/api/v1/companies/{id}/": f"/api/v1/companies/{w.company_a.pk}/",
        "/api/v1/webhooks/": "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/": f"/api/v1/webhooks/{w.webhook_endpoint.pk}/",
        "/api/v1/inquiries/": "/api/v1/inquiries/",
        "/api/v1/inquiries/{id}/": f"/api/v1/inquiries/{w.inquiry.pk}/",
        "/api/v1/interests/": "/api/v1/interests/",
        "/api/v1/interests/{id}/": f"/api/v1/interests/{w.interest.pk}/",
        "/api/v1/technologies/": "/api/v1/technologies/",
        "/api/v1/technologies/{id}/": f"/api/v1/technologies/{w.listing.pk}/",
        "/api/v1/events/": "/api/v1/events/",
        "/api/v1/events/{id}/": f"/api/v1/events/{w.event.pk}/",
        "/api/v1/events/{id}/ics": f"/api/v1/events/{w.event.pk}/ics",
        "/api/v1/meeting-agenda/": f"/api/v1/meeting-agenda/?{person}",
        "/api/v1/meeting-participants/": f"/api/v1/meeting-participants/?{person}",
        "/api/v1/meeting-requests/": "/api/v1/meeting-requests/",
        "/api/v1/meeting-requests/{id}/": f"/api/v1/meeting-requests/{w.meeting_request.pk}/",
        "/api/v1/registrations/": "/api/v1/registrations/",
        "/api/v1/registrations/{id}/": f"/api/v1/registrations/{w.registration_partner.pk}/",
        "/api/v1/reports/kpi": (
            f"/api/v1/reports/kpi?from={today - dt.timedelta(days=730)}&to={today}"
        ),
        "/api/v1/people/": "/api/v1/people/",
        "/api/v1/people/{id}/": f"/api/v1/people/{w.partner_person.pk}/",
    }


def prepare(w) -> None:
    """Add what the world of one lacks for the budgets: one of each row some page lists
    that the authz matrix's world has none of (a grant's tranche, a resolved request, a
    scored sheet in the released round, a task on every schedule, one history entry of
    every object the admin names)."""
    manager = w.staff[roles.CENTER_MANAGER]
    w.grant = fund_services.fund_decide(
        application=fund_services.fund_apply(
            call=FundCallFactory(),
            company=w.company_a,
            actor=w.owner_a,
            amount_requested=Decimal("50000"),
            purpose="A lab in Harbin.",
        ),
        decision=FundApplication.Status.GRANTED,
        actor=manager,
        reason="Fits the call.",
        amount_granted=Decimal("50000"),
    )
    fund_services.fund_disburse(
        application=w.grant, amount=Decimal("1000"), paid_on=timezone.localdate(), actor=manager
    )
    # A request answered and resolved: the KPI report's time to resolve has one to measure.
    resolved = concierge_services.service_request_open(
        company=w.company_a,
        kind="visa",
        subject="Work permit",
        body="Which form?",
        actor=w.owner_a,
    )
    concierge_services.service_request_set_status(
        service_request=resolved, status="resolved", actor=w.staff[roles.PROGRAM_OFFICER]
    )
    # The released round's criterion and A's entry's sheet: its results rank one entry.
    JudgingCriterion.objects.create(round=w.released_round, name_en="Pitch", order=1)
    _submitted_sheet(w, w.released_round.entries.get())
    # A periodic task on each schedule (the matrix's world has one, on its interval).
    for schedule in ("crontab", "solar", "clocked"):
        PeriodicTask.objects.create(
            name=f"budgets {schedule}",
            task="incubator.tasks.outbox_sweep_task",
            one_off=schedule == "clocked",
            **{schedule: getattr(w.beat, schedule)},
        )
    _log_entries(w, 1)


def grow(w, n: int, *, seed: int) -> None:
    """Add n more of every row the world's pages show (see the module's docstring)."""
    _companies(w, n)
    _programs(w, n)
    _events(w, n)
    _records(w, n)
    # After the factories: the generator skips the BRNs, USCCs and badges in use.
    generate(
        companies=4 * n,
        events=4 * n,
        registrations=20 * n,
        meetings=6 * n,
        service_requests=4 * n,
        seed=seed,
        progress=False,
    )


def _companies(w, n: int) -> None:
    officer = w.staff[roles.PROGRAM_OFFICER]
    manager = w.staff[roles.CENTER_MANAGER]
    organisation = w.partner_person.organisation
    for i in range(n):
        MembershipFactory(company=w.company_a, role=Membership.Role.MEMBER)
        PatentFactory(company=w.company_a)
        FundingRoundFactory(company=w.company_a)
        MarketValidationFactory(company=w.company_a)
        CertificationFactory(company=w.company_a)
        company_services.document_upload(
            company=w.company_a,
            uploaded_file=_pdf(f"deck-{i}.pdf"),
            kind=Document.Kind.PITCH,
            user=w.owner_a,
            max_bytes=MAX_BYTES,
        )
        Invitation.objects.create(
            company=w.company_a,
            email=f"grown{i}.{w.company_a.pk}@alpha.example.kr",
            invited_by=w.owner_a,
        )
        Lead.objects.create(
            company_name=f"Grown lead {i}",
            source=Lead.Source.REFERRAL,
            referred_by=w.company_b,
            owner=officer,
        )
        # Partner A's people, keys, endpoints; companies shown to partners, with listings.
        PartnerPersonFactory(organisation=organisation)
        key_for(organisation, scopes=["companies:read"])
        webhook_services.webhook_endpoint_create(
            actor=manager,
            organisation=organisation,
            url=f"https://hooks.partner.example/grown/{i}",
            event_types=["event.cancelled"],
        )
        shown = CompanyFactory(consent_to_partners=True)
        Enrollment.objects.create(
            company=shown,
            cohort=w.cohort,
            stage=stages.OPEN_TO_PARTNERS[0],
            started_on=w.cohort.starts_on,
        )
        MembershipFactory(company=shown)
        partner_services.interest_mark(actor=w.partner, company=shown, note="Grown")
        listing = exchange_services.listing_approve(
            actor=officer,
            listing=exchange_services.listing_submit(
                actor=w.owner_a, listing=_listing(w, f"Alpha grown {i}")
            ),
        )
        partner_services.inquiry_send(actor=w.partner, listing=listing, message="Terms?")
        asker = PartnerPersonFactory()  # another organisation: one open inquiry each
        partner_services.inquiry_send(actor=asker.user, listing=w.listing, message="Price?")
        _listing(w, f"Alpha draft {i}")


def _listing(w, title: str):
    """A draft technology listing of startup A."""
    return exchange_services.listing_create(
        actor=w.owner_a,
        company=w.company_a,
        title_en=title,
        summary_en="More of A's know-how.",
        terms_en="Licence for China.",
        offers_license=True,
    )


def _programs(w, n: int) -> None:
    officer = w.staff[roles.PROGRAM_OFFICER]
    manager = w.staff[roles.CENTER_MANAGER]
    today = timezone.localdate()
    for i in range(n):
        # A's applications to more intakes, and more entries in the history of the first.
        admissions_services.application_submit(
            application=ApplicationFactory(
                company=w.company_a,
                intake=IntakeFactory(program=w.cohort.program),
                created_by=w.owner_a,
            ),
            user=w.owner_a,
        )
        ApplicationEvent.objects.create(
            application=w.application,
            kind=ApplicationEvent.Kind.SCREENED,
            actor=officer,
            reason=f"Screened again ({i}).",
        )
        admissions_services.policy_publish(
            actor=manager, effective_from=timezone.now() - dt.timedelta(days=1)
        )
        CohortFactory(program=w.cohort.program)
        MilestoneTemplate.objects.create(
            code=f"grown-{i}",
            stage=stages.WORKING_STAGES[-1],
            title_en=f"Grown {i}",
            due_days=300 + i,
            position=50 + i,
        )
        # A's journey: milestones, transitions, reports, requests and their messages, grants.
        Milestone.objects.create(
            enrollment=w.enrollment,
            company=w.company_a,
            code=f"grown-{i}",
            stage=w.enrollment.stage,
            title_en=f"Grown milestone {i}",
            due_on=today + dt.timedelta(days=30 + i),
        )
        # Timeline rows that keep A's stage: the matrix's pages expect A where it is.
        StageTransition.objects.create(
            enrollment=w.enrollment,
            from_stage=w.enrollment.stage,
            to_stage=w.enrollment.stage,
            reason=f"Reviewed ({i}).",
            actor=officer,
        )
        concierge_services.service_request_reply(
            service_request=w.service_request,
            actor=officer if i % 2 else w.owner_a,
            body=f"Message {i}.",
            uploaded_file=_pdf(f"note-{i}.pdf"),
            max_bytes=MAX_BYTES,
        )
        concierge_services.service_request_open(
            company=w.company_a,
            kind="visa",
            subject=f"Grown request {i}",
            body="Help.",
            actor=w.owner_a,
        )
        fund_services.fund_apply(
            call=FundCallFactory(),
            company=w.company_a,
            actor=w.owner_a,
            amount_requested=Decimal("1000"),
            purpose=f"Grown {i}.",
        )
        fund_services.fund_disburse(
            application=w.grant, amount=Decimal("500"), paid_on=today, actor=manager
        )
    _reports(w, n)


def _reports(w, n: int) -> None:
    """Quarterly reports of A for the quarters after the last one filed."""
    last = w.enrollment.quarterly_reports.order_by("year", "quarter").last()
    quarter = last.period.next()
    for _ in range(n):
        journey_services.quarterly_report_submit(
            company=w.company_a,
            actor=w.owner_a,
            year=quarter.year,
            quarter=quarter.quarter,
            revenue=Decimal("1000"),
            revenue_currency="CNY",
            employees_china=1,
            employees_korea=1,
            funding_raised=Decimal("0"),
            funding_currency="CNY",
            customers_china=1,
        )
        quarter = quarter.next()


def _events(w, n: int) -> None:
    coordinator = w.staff[roles.EVENT_COORDINATOR]
    event = w.event
    last_slot = event.slots.order_by("starts_at").last()
    for i in range(n):
        # More events A's owner and the partner are registered for.
        StartupRegistrationFactory(
            event=EventFactory(meeting_tables=0, interpreters_per_slot=0),
            membership=w.owner_a.membership,
        )
        PartnerRegistrationFactory(
            event=EventFactory(meeting_tables=0, interpreters_per_slot=0),
            person=w.partner_person,
        )
        # The matching session: a slot, a startup and a partner more, asking and meeting A.
        slot = type(last_slot).objects.create(
            event=event,
            starts_at=last_slot.ends_at + dt.timedelta(minutes=20 * i),
            ends_at=last_slot.ends_at + dt.timedelta(minutes=20 * (i + 1)),
        )
        startup = StartupRegistrationFactory(
            event=event, membership__company__consent_to_partners=True
        )
        partner = PartnerRegistrationFactory(event=event)
        for registration in (startup, partner, w.registration, w.registration_partner):
            Availability.objects.create(registration=registration, slot=slot)
        meetings.meeting_request_create(from_registration=partner, to_registration=w.registration)
        meetings.meeting_request_create(
            from_registration=w.registration_partner, to_registration=startup
        )
        meetings.meeting_add(
            event=event,
            registration_a=w.registration,
            registration_b=partner,
            slot=slot,
            actor=coordinator,
        )
        meetings.meeting_add(
            event=event,
            registration_a=startup,
            registration_b=w.registration_partner,
            slot=slot,
            actor=coordinator,
        )
        ScheduleRun.objects.create(
            event=event,
            status=ScheduleRun.Status.DONE,
            progress=100,
            requested_by=coordinator,
            finished_at=timezone.now(),
        )
        # The online programme, the delegation visit.
        attendee = StartupRegistrationFactory(event=w.online_session.event)
        SessionAttendance.objects.create(
            session=w.online_session, registration=attendee, recorded_by=coordinator
        )
        OnlineSessionFactory(event=w.online_session.event)
        Delegation.objects.create(
            name_en=f"Delegation {i}",
            event=EventFactory(kind="delegation_visit"),
            arrives_at=w.delegation.arrives_at,
            departs_at=w.delegation.departs_at,
            host_organisation=w.partner_person.organisation,
            coordinator=coordinator,
        )
        DelegationMember.objects.create(
            delegation=w.delegation, name=f"Member {i}", company=CompanyFactory()
        )
        DelegationProgrammeItem.objects.create(
            delegation=w.delegation,
            starts_at=w.delegation.arrives_at + dt.timedelta(hours=3 + i),
            ends_at=w.delegation.arrives_at + dt.timedelta(hours=4 + i),
            title_en=f"Visit {i}",
        )
        _judging(w, i)


def _judging(w, i: int) -> None:
    """A criterion and an entry more in the open round (the judge's to score, scored by the
    second judge), a scored entry more in the released round, a round, a conflict and a
    correction of the second judge's score."""
    coordinator = w.staff[roles.EVENT_COORDINATOR]
    company = CompanyFactory()
    JudgingCriterion.objects.create(round=w.round, name_en=f"Team {i}", order=10 + i)
    entry = CompetitionEntry.objects.create(round=w.round, company=company, title=f"Entry {i}")
    judging.judge_assign(entry=entry, judge=w.judge, actor=coordinator)
    second = judging.judge_assign(entry=entry, judge=w.second_judge, actor=coordinator)
    judging.score_submit(
        assignment=second,
        scores={c.pk: ("5", "") for c in w.round.criteria.all()},
        judge=w.second_judge,
    )
    _submitted_sheet(
        w,
        CompetitionEntry.objects.create(
            round=w.released_round, company=company, title=f"Entry {i}"
        ),
    )
    CompetitionRound.objects.create(event=w.round.event, name_en=f"Round {i}", order=10 + i)
    ConflictDeclaration.objects.create(judge=w.judge, company=company, reason="Adviser")
    judging.score_correct(
        score=w.score, value=str(5 + i), reason="A typo.", actor=w.staff[roles.CENTER_MANAGER]
    )


def _submitted_sheet(w, entry) -> None:
    """The second judge's submitted sheet of an entry of the released round. Written as
    rows: the services neither assign nor score in a round whose results are out."""
    sheet = JudgeAssignment.objects.create(
        entry=entry,
        judge=w.second_judge,
        assigned_by=w.staff[roles.EVENT_COORDINATOR],
        submitted_at=timezone.now(),
    )
    Score.objects.bulk_create(
        Score(assignment=sheet, criterion=criterion, value=Decimal(7))
        for criterion in w.released_round.criteria.all()
    )


def _records(w, n: int) -> None:
    """The center's own records: outbox, audit, report runs, feeds, beat, sign-ins, and an
    admin log entry more for every object the admin pages name."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    manager = w.staff[roles.CENTER_MANAGER]
    for i in range(n):
        OutboxMessage.objects.create(
            recipient=w.owner_a.email, kind="grown", dedupe_key=f"grown:{w.owner_a.pk}:{i}"
        )
        audit_record(actor=w.owner_a, verb="company.update", obj=w.company_a, company=w.company_a)
        ReportRun.objects.create(
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 3, 31),
            status=ReportRun.Status.DONE,
            progress=100,
            requested_by=manager,
            finished_at=timezone.now(),
        )
        person = UserFactory()
        feed_services.calendar_feed_regenerate(actor=person, user=person)
        IntervalSchedule.objects.create(every=20 + i, period=IntervalSchedule.MINUTES)
        CrontabSchedule.objects.create(minute=str(i), hour="8")
        SolarSchedule.objects.create(
            event="sunset", latitude=Decimal(45 + i), longitude=Decimal(126)
        )
        ClockedSchedule.objects.create(clocked_time=timezone.now() + dt.timedelta(days=2 + i))
        for schedule in ("interval", "crontab", "solar", "clocked"):
            PeriodicTask.objects.create(
                name=f"grown {schedule} {i}",
                task="incubator.tasks.outbox_sweep_task",
                one_off=schedule == "clocked",
                **{schedule: getattr(w.beat, schedule)},
            )
        seen = {
            "username": w.owner_b.email,
            "ip_address": f"203.0.113.{20 + i}",
            "user_agent": "Firefox",
            "http_accept": "text/html",
            "path_info": "/portal/sign-in/",
            "attempt_time": timezone.now(),
        }
        AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
        AccessLog.objects.create(**seen)
        AccessFailureLog.objects.create(**seen, locked_out=False)
    _log_entries(w, n)


def _log_entries(w, n: int) -> None:
    """n entries more in the admin's history of every object the admin's pages name."""
    manager = w.staff[roles.CENTER_MANAGER]
    entries = []
    for builder in matrix.ADMIN_OBJECTS.values():
        obj = builder(w)
        entries += [
            LogEntry(
                user=manager,
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                action_flag=CHANGE,
                change_message=f"Changed ({i}).",
            )
            for i in range(n)
        ]
    LogEntry.objects.bulk_create(entries)
