"""factory_boy factories for the events data.

Each factory builds one valid row; tests override what they are about. An event is a
published matching session in Harbin a few weeks ahead, with registration open.
Registrations come in three flavours: `StartupRegistrationFactory` (a startup member of a
company), `PartnerRegistrationFactory` (a partner person) and `GuestRegistrationFactory`;
`RegistrationFactory` is the startup flavour.
"""

import datetime as dt

import factory
from django.utils import timezone

from companies.models import PartnerOrganisation, PartnerPerson
from events.judging import services as judging
from events.models import (
    CompetitionEntry,
    CompetitionRound,
    Event,
    JudgingCriterion,
    MeetingSlot,
    OnlineSession,
    Registration,
)
from incubator import roles
from tests.companies.factories import MembershipFactory, UserFactory, staff_in


def _in_days(days: int, hour: int = 1) -> dt.datetime:
    """Return a whole hour `days` from now, in UTC (01:00 UTC is 09:00 in Harbin)."""
    day = timezone.now().astimezone(dt.UTC).date() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


class EventFactory(factory.django.DjangoModelFactory):
    """A published matching session 30 days ahead, 09:00–17:00 in Harbin, no capacity limit."""

    class Meta:
        model = Event

    kind = Event.Kind.MATCHING_SESSION
    status = Event.Status.PUBLISHED
    title_ko = factory.Sequence(lambda n: f"하얼빈 한중 매칭 세션 {n}")
    title_zh = factory.Sequence(lambda n: f"哈尔滨中韩对接会 {n}")
    title_en = factory.Sequence(lambda n: f"Harbin China–Korea matching session {n}")
    description_en = "One-to-one meetings of Korean startups with Heilongjiang partners."
    starts_at = factory.LazyFunction(lambda: _in_days(30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=8))
    time_zone = "Asia/Shanghai"
    venue_en = "Harbin Binxi China–Korea Innovation Industry Cooperation Center"
    capacity = None
    meeting_tables = 12
    interpreters_per_slot = 3


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    kind = PartnerOrganisation.Kind.INVESTOR
    name_zh = factory.Sequence(lambda n: f"黑龙江创投 {n}")
    name_en = factory.Sequence(lambda n: f"Heilongjiang Capital {n}")
    country = PartnerOrganisation.Country.CN
    city = "Harbin"


class PartnerPersonFactory(factory.django.DjangoModelFactory):
    """A partner person with a portal account, speaking Chinese and English."""

    class Meta:
        model = PartnerPerson

    organisation = factory.SubFactory(PartnerOrganisationFactory)
    user = factory.SubFactory(
        UserFactory,
        email=factory.Sequence(lambda n: f"partner{n}@partner.example.cn"),
        full_name=factory.Sequence(lambda n: f"Partner {n}"),
        time_zone="Asia/Shanghai",
    )
    title = "Investment manager"
    speaks_zh = True
    speaks_en = True


class StartupRegistrationFactory(factory.django.DjangoModelFactory):
    """A startup member registered for their company (speaks Korean and English)."""

    class Meta:
        model = Registration
        exclude = ("membership",)

    event = factory.SubFactory(EventFactory)
    membership = factory.SubFactory(MembershipFactory)
    kind = Registration.Kind.STARTUP
    user = factory.LazyAttribute(lambda o: o.membership.user)
    company = factory.LazyAttribute(lambda o: o.membership.company)
    name = factory.LazyAttribute(lambda o: o.user.full_name)
    affiliation = factory.LazyAttribute(lambda o: o.company.name_en or o.company.name_ko)
    speaks_ko = True
    speaks_en = True
    status = Registration.Status.REGISTERED


RegistrationFactory = StartupRegistrationFactory


class PartnerRegistrationFactory(factory.django.DjangoModelFactory):
    """A partner person registered for their organisation (languages copied from the person)."""

    class Meta:
        model = Registration
        exclude = ("person",)

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PartnerPersonFactory)
    kind = Registration.Kind.PARTNER
    user = factory.LazyAttribute(lambda o: o.person.user)
    partner_organisation = factory.LazyAttribute(lambda o: o.person.organisation)
    name = factory.LazyAttribute(lambda o: o.user.full_name)
    affiliation = factory.LazyAttribute(lambda o: o.person.organisation.name)
    speaks_ko = factory.LazyAttribute(lambda o: o.person.speaks_ko)
    speaks_zh = factory.LazyAttribute(lambda o: o.person.speaks_zh)
    speaks_en = factory.LazyAttribute(lambda o: o.person.speaks_en)
    status = Registration.Status.REGISTERED


class GuestRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    kind = Registration.Kind.GUEST
    name = factory.Sequence(lambda n: f"Guest {n}")
    guest_email = factory.Sequence(lambda n: f"guest{n}@guest.example.com")
    affiliation = "Harbin Institute of Technology"
    speaks_zh = True
    status = Registration.Status.REGISTERED


class MeetingSlotFactory(factory.django.DjangoModelFactory):
    """A 20-minute slot at the start of its event; pass starts_at for the next ones."""

    class Meta:
        model = MeetingSlot

    event = factory.SubFactory(EventFactory)
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=20))


class OnlineSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnlineSession

    event = factory.SubFactory(
        EventFactory, kind=Event.Kind.ONLINE_PROGRAMME, venue_en="", meeting_tables=0
    )
    title_en = factory.Sequence(lambda n: f"Market entry webinar {n}")
    title_ko = factory.Sequence(lambda n: f"중국 시장 진출 웨비나 {n}")
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
    link = factory.Sequence(lambda n: f"https://meeting.example.cn/j/{100000 + n}")


def meeting_slots(event, count: int = 16, minutes: int = 20) -> list[MeetingSlot]:
    """Create `count` back-to-back slots from the event's start."""
    return [
        MeetingSlotFactory(
            event=event,
            starts_at=event.starts_at + dt.timedelta(minutes=minutes * i),
            ends_at=event.starts_at + dt.timedelta(minutes=minutes * (i + 1)),
        )
        for i in range(count)
    ]


def judge_sheet():
    """Return (assignment, criteria): a judge assigned, by an event coordinator (the policy
    of judge_assign), to one entry of a round with two criteria (out of 10 and 5)."""
    event = EventFactory(kind=Event.Kind.COMPETITION, meeting_tables=0, interpreters_per_slot=0)
    round_ = CompetitionRound.objects.create(event=event, name_en="Final")
    criteria = [
        JudgingCriterion.objects.create(round=round_, name_en="Technology", order=1),
        JudgingCriterion.objects.create(round=round_, name_en="Market fit", max_score=5, order=2),
    ]
    entry = CompetitionEntry.objects.create(
        round=round_, company=MembershipFactory().company, title="Alpha robot"
    )
    coordinator = staff_in(roles.EVENT_COORDINATOR)
    assignment = judging.judge_assign(entry=entry, judge=UserFactory(), actor=coordinator)
    return assignment, criteria
