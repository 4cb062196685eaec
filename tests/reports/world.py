"""Rows of every figure of the KPI report on both sides of a period's edges, in two zones.

The period is March 2024 in the center's zone (Asia/Shanghai). The moments are chosen so
that a report reading dates in UTC or in Seoul time counts wrongly: 00:50 on 1 March in
Seoul is still February in Harbin, and 00:20 on 1 April in Harbin is still 31 March in UTC.
"""

import datetime as dt
import itertools
import zoneinfo
from decimal import Decimal

from companies.exchange.models import TechnologyInquiry, TechnologyListing
from companies.models import Lead
from events.matching.models import Meeting, MeetingRequest
from events.models import Event
from events.online.models import SessionAttendance
from incubator.reports.period import Period
from programs.models import (
    Application,
    Disbursement,
    Enrollment,
    FundApplication,
    LocalEntity,
    QuarterlyReport,
    ServiceRequest,
    StageTransition,
)
from tests.companies.factories import (
    ApplicationFactory,
    CompanyFactory,
    StaffFactory,
    TechnologyListingFactory,
)
from tests.events.factories import (
    EventFactory,
    GuestRegistrationFactory,
    MeetingSlotFactory,
    OnlineSessionFactory,
    PartnerOrganisationFactory,
)
from tests.programs.factories import CohortFactory, FundCallFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
PERIOD = Period(dt.date(2024, 3, 1), dt.date(2024, 3, 31))

MOMENTS = [
    dt.datetime(2024, 3, 1, 0, 50, tzinfo=SEOUL),  # 29 Feb 23:50 in Harbin: before
    dt.datetime(2024, 3, 1, 0, 10, tzinfo=SHANGHAI),  # the first minutes: inside
    dt.datetime(2024, 3, 15, 12, 0, tzinfo=dt.UTC),  # inside
    dt.datetime(2024, 3, 31, 23, 50, tzinfo=SHANGHAI),  # the last minutes: inside
    dt.datetime(2024, 4, 1, 0, 20, tzinfo=SHANGHAI),  # 31 Mar 16:20 UTC: after
]


def inside(moment: dt.datetime | dt.date | None) -> bool:
    """Is the moment (or date) in March 2024 in Harbin? Computed without the report's code."""
    if moment is None:
        return False
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(SHANGHAI).date()
    return moment.year == 2024 and moment.month == 3


def cycle(values, count: int) -> list:
    return list(itertools.islice(itertools.cycle(values), count))


class World:
    """The fixtures, kept as plain lists of what was made for the test to count."""

    def __init__(self):
        self.leads = []  # (source, created_at)
        self.applications = []  # (status, submitted_at, decided_at)
        self.enrollments = []  # (sector, started_on)
        self.transitions = []  # (enrollment index, from, to, at)
        self.local_entities = []  # (company id, registered_on)
        self.events = []  # (kind, status, starts_at)
        self.registrations = []  # (event kind, event starts_at, status, checked in, event status)
        self.service_requests = []  # (company id, kind, opened_at, resolved_at, due_on)
        self.grants = []  # (currency, amount, decided_at)
        self.disbursements = []  # (currency, amount, paid_on)
        self.reports = []  # (year, quarter, revenue, currency, china, korea)
        self.meetings = []  # (slot starts_at, both checked in)
        self.meeting_requests = []  # (event starts_at, status)
        self.listings = []  # (submitted_at, reviewed_at, status)
        self.inquiries = []  # (created_at, answered_at, accepted)


def build(size: int = 1) -> World:
    """Make `size` rows of each pattern (the query-count test compares 1 with 4)."""
    world = World()
    staff = StaffFactory()
    sources = [code for code, _label in Lead.Source.choices]
    for source, moment in zip(cycle(sources, 7 * size), cycle(MOMENTS, 7 * size), strict=True):
        lead = Lead.objects.create(company_name=f"Lead {len(world.leads)}", source=source)
        Lead.objects.filter(pk=lead.pk).update(created_at=moment)
        world.leads.append((source, moment))
    _applications(world, size)
    _journey(world, size, staff)
    _events(world, size)
    _concierge_and_fund(world, size, staff)
    _exchange(world, size)
    return world


def _applications(world: World, size: int) -> None:
    statuses = [
        Application.Status.SUBMITTED,
        Application.Status.ACCEPTED,
        Application.Status.REJECTED,
        Application.Status.WAITLISTED,
        Application.Status.ACCEPTED,
        Application.Status.DRAFT,
    ]
    for n, status in enumerate(cycle(statuses, 6 * size)):
        submitted = None if status == Application.Status.DRAFT else MOMENTS[n % 5]
        decided = MOMENTS[(n + 1) % 5] if status not in ("draft", "submitted") else None
        application = ApplicationFactory()
        Application.objects.filter(pk=application.pk).update(
            status=status, submitted_at=submitted, decided_at=decided
        )
        world.applications.append((status, submitted, decided))


def _journey(world: World, size: int, staff) -> None:
    cohort = CohortFactory(starts_on=dt.date(2023, 1, 1), ends_on=dt.date(2025, 1, 1))
    sectors = ["ai", "scitech_finance", "intelligent_manufacturing", "education"]
    paths = [
        ["incubation"],
        ["incubation", "acceleration"],
        ["incubation", "acceleration", "industrialization"],
        ["incubation", "withdrawn"],
    ]
    for n in range(4 * size):
        company = CompanyFactory(sector=sectors[n % 4])
        path = paths[n % 4]
        started = MOMENTS[n % 5]
        enrollment = Enrollment.objects.create(
            company=company,
            cohort=cohort,
            stage=path[-1],
            started_on=started.astimezone(SHANGHAI).date(),
        )
        world.enrollments.append((company.sector, started.astimezone(SHANGHAI).date()))
        previous = ""
        for step, stage in enumerate(path):
            at = MOMENTS[min(n % 5 + step, 4)] + dt.timedelta(minutes=step)
            StageTransition.objects.create(
                enrollment=enrollment,
                from_stage=previous,
                to_stage=stage,
                reason="test",
                created_at=at,
            )
            world.transitions.append((company.pk, previous, stage, at))
            previous = stage
        if n % 2:
            on = started.astimezone(SHANGHAI).date() + dt.timedelta(days=n)
            LocalEntity.objects.create(
                company=company,
                name_zh=f"哈尔滨测试{n}有限公司",
                uscc=_uscc(LocalEntity.objects.count() + 1),
                registered_on=on,
                city="Harbin",
                registered_capital=Decimal("100000"),
            )
            world.local_entities.append((company.pk, on))
        for year, quarter in [(2023, 4), (2024, 1), (2024, 2)]:
            revenue = Decimal(1000 * (n + 1) * quarter)
            currency = ["CNY", "KRW"][n % 2]
            QuarterlyReport.objects.create(
                company=company,
                enrollment=enrollment,
                year=year,
                quarter=quarter,
                revenue=revenue,
                revenue_currency=currency,
                employees_china=n + quarter,
                employees_korea=2 * n,
                funding_raised=0,
                funding_currency="CNY",
                customers_china=n,
            )
            world.reports.append((year, quarter, revenue, currency, n + quarter, 2 * n))


def _uscc(serial: int) -> str:
    from programs.demo import demo_uscc

    return demo_uscc(9000 + serial)


def _events(world: World, size: int) -> None:
    kinds = [
        (Event.Kind.ROADSHOW, Event.Status.COMPLETED),
        (Event.Kind.MATCHING_SESSION, Event.Status.COMPLETED),
        (Event.Kind.ONLINE_PROGRAMME, Event.Status.PUBLISHED),
        (Event.Kind.ROADSHOW, Event.Status.CANCELLED),
        (Event.Kind.MATCHING_SESSION, Event.Status.PUBLISHED),
        (Event.Kind.DEMO_DAY, Event.Status.DRAFT),
    ]
    for n, (kind, status) in enumerate(cycle(kinds, 6 * size)):
        starts = MOMENTS[n % 5]
        event = EventFactory(
            kind=kind, status=status, starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
        )
        world.events.append((kind, status, starts))
        registrations = []
        for r, reg_status in enumerate(["registered", "registered", "waitlisted", "cancelled"]):
            checked = starts + dt.timedelta(minutes=5) if r < (n % 3) else None
            registrations.append(
                GuestRegistrationFactory(
                    event=event,
                    status=reg_status,
                    checked_in_at=checked,
                    waitlist_position=1 if reg_status == "waitlisted" else None,
                )
            )
            world.registrations.append((kind, starts, reg_status, checked is not None, status))
        if kind == Event.Kind.ONLINE_PROGRAMME:
            session = OnlineSessionFactory(event=event)
            for registration in registrations[:2]:
                SessionAttendance.objects.create(session=session, registration=registration)
        if kind == Event.Kind.MATCHING_SESSION:
            a, b, c = registrations[:3]
            MeetingRequest.objects.create(
                event=event, from_registration=a, to_registration=b, status="accepted"
            )
            MeetingRequest.objects.create(
                event=event, from_registration=b, to_registration=c, status="declined"
            )
            world.meeting_requests += [(starts, "accepted"), (starts, "declined")]
            slot = MeetingSlotFactory(event=event)
            Meeting.objects.create(
                event=event, registration_a=a, registration_b=b, slot=slot, table=1
            )
            both = a.checked_in_at is not None and b.checked_in_at is not None
            world.meetings.append((slot.starts_at, both))


def _concierge_and_fund(world: World, size: int, staff) -> None:
    enrollments = list(Enrollment.objects.order_by("-pk")[: 4 * size])
    kinds = ["visa", "tax", "company_registration"]
    for n in range(6 * size):
        company = enrollments[n % len(enrollments)].company
        opened = MOMENTS[n % 5]
        resolved = opened + dt.timedelta(days=n % 4 + 1, hours=n) if n % 3 else None
        due = opened.astimezone(SHANGHAI).date() + dt.timedelta(days=2)
        ServiceRequest.objects.create(
            company=company,
            kind=kinds[n % 3],
            subject=f"Request {n}",
            status="resolved" if resolved else "open",
            opened_at=opened,
            resolved_at=resolved,
            due_on=due,
        )
        world.service_requests.append((company.pk, kinds[n % 3], opened, resolved, due))
    for currency in ["CNY", "USD"]:
        call = FundCallFactory(currency=currency)
        for n in range(2 * size):
            decided = MOMENTS[(n + 1) % 5]
            amount = Decimal(10000 * (n + 1))
            grant = FundApplication.objects.create(
                call=call,
                company=enrollments[n].company,
                enrollment=enrollments[n],
                amount_requested=amount,
                purpose="test",
                status="granted",
                amount_granted=amount,
                decided_at=decided,
            )
            world.grants.append((currency, amount, decided))
            for paid_on in [dt.date(2024, 2, 29), dt.date(2024, 3, 31)]:
                Disbursement.objects.create(application=grant, amount=amount / 4, paid_on=paid_on)
                world.disbursements.append((currency, amount / 4, paid_on))


def _exchange(world: World, size: int) -> None:
    organisation = PartnerOrganisationFactory()
    for n in range(4 * size):
        submitted = MOMENTS[n % 5]
        reviewed = MOMENTS[(n + 1) % 5]
        status = ["approved", "rejected"][n % 2]
        listing = TechnologyListingFactory()
        TechnologyListing.objects.filter(pk=listing.pk).update(
            status=status, submitted_at=submitted, reviewed_at=reviewed
        )
        world.listings.append((submitted, reviewed, status))
        answered = MOMENTS[(n + 2) % 5] if n % 2 else None
        inquiry = TechnologyInquiry.objects.create(
            listing=listing,
            organisation=organisation,
            message="Licence terms?",
            status="answered" if answered else "sent",
            answered_at=answered,
            accepted=True if answered else None,
        )
        TechnologyInquiry.objects.filter(pk=inquiry.pk).update(created_at=submitted)
        world.inquiries.append((submitted, answered, answered is not None))
