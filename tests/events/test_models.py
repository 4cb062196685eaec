"""The events data model: what the database refuses, whatever code writes the rows."""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.models import PartnerOrganisation, PartnerPerson
from events.models import (
    CompetitionEntry,
    CompetitionRound,
    Event,
    JudgeAssignment,
    JudgingCriterion,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    Registration,
    ScheduleRun,
    Score,
)
from tests.companies.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 9, 10, 9, 0, tzinfo=dt.UTC)


@contextmanager
def refused():
    """Expect the database to refuse the write (in a savepoint, so PostgreSQL goes on)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


def make_event(**fields) -> Event:
    values = {
        "kind": Event.Kind.MATCHING_SESSION,
        "title_en": "Harbin matching day",
        "starts_at": START,
        "ends_at": START + dt.timedelta(hours=6),
        "venue_en": "Binxi center, Harbin",
        "meeting_tables": 4,
        "interpreters_per_slot": 1,
    }
    return Event.objects.create(**(values | fields))


def startup(event, name="Nam Jeong-hwa", **fields) -> Registration:
    membership = MembershipFactory()
    return Registration.objects.create(
        event=event,
        kind=Registration.Kind.STARTUP,
        user=membership.user,
        company=membership.company,
        name=name,
        **fields,
    )


def partner(event, name="Wang Lei") -> Registration:
    organisation = PartnerOrganisation.objects.create(
        kind=PartnerOrganisation.Kind.INVESTOR, name_zh="哈尔滨创投"
    )
    person = PartnerPerson.objects.create(
        organisation=organisation, user=UserFactory(), speaks_zh=True, speaks_en=True
    )
    return Registration.objects.create(
        event=event,
        kind=Registration.Kind.PARTNER,
        user=person.user,
        partner_organisation=organisation,
        name=name,
        speaks_zh=True,
        speaks_en=True,
    )


def slot(event, minutes=0) -> MeetingSlot:
    start = event.starts_at + dt.timedelta(minutes=minutes)
    return MeetingSlot.objects.create(
        event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=20)
    )


def test_an_event_cannot_end_before_it_starts():
    with refused():
        make_event(ends_at=START - dt.timedelta(minutes=1))


def test_an_event_needs_a_title_in_some_language():
    with refused():
        make_event(title_en="")
    assert make_event(title_en="", title_zh="哈尔滨对接会").title == "哈尔滨对接会"


def test_a_published_event_needs_a_place():
    with refused():
        make_event(status=Event.Status.PUBLISHED, venue_en="")
    make_event(status=Event.Status.PUBLISHED, venue_en="", online_url="https://meet.example.cn/x")


def test_a_meeting_slot_cannot_end_before_it_starts():
    event = make_event()
    with refused():
        MeetingSlot.objects.create(event=event, starts_at=START, ends_at=START)


def test_nobody_requests_a_meeting_with_themselves():
    event = make_event()
    founder = startup(event)
    with refused():
        MeetingRequest.objects.create(
            event=event, from_registration=founder, to_registration=founder
        )


def test_a_meeting_is_requested_once_per_direction():
    event = make_event()
    founder, investor = startup(event), partner(event)
    MeetingRequest.objects.create(event=event, from_registration=founder, to_registration=investor)
    MeetingRequest.objects.create(event=event, from_registration=investor, to_registration=founder)
    with refused():
        MeetingRequest.objects.create(
            event=event, from_registration=founder, to_registration=investor
        )


def test_a_person_registers_once_per_event():
    event = make_event()
    founder = startup(event)
    with refused():
        Registration.objects.create(
            event=event,
            kind=Registration.Kind.STARTUP,
            user=founder.user,
            company=founder.company,
            name="Nam again",
        )
    # The same person may register for another event.
    other = make_event(title_en="Seoul roadshow", kind=Event.Kind.ROADSHOW)
    Registration.objects.create(
        event=other,
        kind=Registration.Kind.STARTUP,
        user=founder.user,
        company=founder.company,
        name="Nam Jeong-hwa",
    )


def test_a_guest_e_mail_registers_once_per_event_whatever_its_case():
    event = make_event()
    guest = {"event": event, "kind": Registration.Kind.GUEST, "name": "Lee Min"}
    Registration.objects.create(**guest, guest_email="lee@example.kr")
    with refused():
        Registration.objects.create(**guest, guest_email="Lee@Example.KR")


def test_a_guest_has_no_account_and_a_startup_member_has_a_company():
    event = make_event()
    with refused():
        Registration.objects.create(
            event=event,
            kind=Registration.Kind.GUEST,
            user=UserFactory(),
            name="Lee Min",
            guest_email="lee@example.kr",
        )
    with refused():
        Registration.objects.create(
            event=event, kind=Registration.Kind.STARTUP, user=UserFactory(), name="No company"
        )


def test_only_the_waitlisted_have_a_position_and_positions_do_not_repeat():
    event = make_event()
    with refused():
        startup(event, status=Registration.Status.REGISTERED, waitlist_position=1)
    with refused():
        startup(event, status=Registration.Status.WAITLISTED)
    startup(event, status=Registration.Status.WAITLISTED, waitlist_position=1)
    with refused():
        startup(event, status=Registration.Status.WAITLISTED, waitlist_position=1)


def test_a_registration_gets_a_badge_code_a_search_name_and_its_languages():
    event = make_event()
    founder = startup(event, name="  Kim   Hak-bong ", speaks_ko=True, speaks_zh=True)
    other = startup(event, name="김학봉")
    assert founder.badge_code != other.badge_code
    assert len(founder.badge_code) == 10
    assert founder.search_name == "kim hak-bong"
    assert founder.languages == frozenset({"ko", "zh"})
    # 1 query: the check-in lookup by name prefix, within the event.
    found = Registration.objects.filter(event=event, search_name__startswith="kim h")
    assert list(found) == [founder]


def test_a_table_takes_one_meeting_per_slot():
    event = make_event()
    first = slot(event)
    a, b, c, d = (startup(event, name=f"Founder {i}") for i in range(4))
    a, b = sorted((a, b), key=lambda r: r.pk)
    c, d = sorted((c, d), key=lambda r: r.pk)
    Meeting.objects.create(event=event, slot=first, table=1, registration_a=a, registration_b=b)
    with refused():
        Meeting.objects.create(event=event, slot=first, table=1, registration_a=c, registration_b=d)


def test_a_meeting_pair_is_stored_in_order():
    event = make_event()
    first = slot(event)
    low, high = sorted((startup(event), partner(event)), key=lambda r: r.pk)
    with refused():
        Meeting.objects.create(
            event=event, slot=first, table=1, registration_a=high, registration_b=low
        )
    with refused():
        Meeting.objects.create(
            event=event, slot=first, table=1, registration_a=low, registration_b=low
        )


def test_clean_orders_the_pair_and_refuses_a_person_twice_in_a_slot():
    event = make_event()
    first = slot(event)
    a, b, c = sorted((startup(event, name=f"F{i}") for i in range(3)), key=lambda r: r.pk)
    Meeting.objects.create(event=event, slot=first, table=1, registration_a=a, registration_b=b)
    # b would sit as participant A here: no unique index catches it, clean() does.
    meeting = Meeting(event=event, slot=first, table=2, registration_a=c, registration_b=b)
    with pytest.raises(ValidationError, match="already has a meeting"):
        meeting.full_clean()
    meeting = Meeting(
        event=event, slot=slot(event, 30), table=2, registration_a=c, registration_b=b
    )
    meeting.full_clean()
    assert (meeting.registration_a, meeting.registration_b) == (b, c)


def test_one_schedule_run_at_a_time_per_event():
    event = make_event()
    ScheduleRun.objects.create(event=event)
    with refused():
        ScheduleRun.objects.create(event=event, status=ScheduleRun.Status.RUNNING)
    ScheduleRun.objects.filter(event=event).update(status=ScheduleRun.Status.DONE, progress=100)
    ScheduleRun.objects.create(event=event)


def test_a_score_is_not_negative_and_not_above_the_maximum():
    event = make_event(kind=Event.Kind.COMPETITION)
    round_ = CompetitionRound.objects.create(event=event, name_en="Final", order=1)
    company = MembershipFactory().company
    entry = CompetitionEntry.objects.create(round=round_, company=company, title="Speech AI")
    criterion = JudgingCriterion.objects.create(round=round_, name_en="Technology", weight=2)
    assignment = JudgeAssignment.objects.create(entry=entry, judge=UserFactory())
    with refused():
        Score.objects.create(assignment=assignment, criterion=criterion, value=Decimal("-1"))
    with pytest.raises(ValidationError):
        Score(assignment=assignment, criterion=criterion, value=Decimal("10.5")).full_clean()
    Score.objects.create(assignment=assignment, criterion=criterion, value=Decimal("9.5"))
    with refused():
        Score.objects.create(assignment=assignment, criterion=criterion, value=Decimal("8"))


def test_a_criterion_weight_is_positive():
    event = make_event(kind=Event.Kind.COMPETITION)
    round_ = CompetitionRound.objects.create(event=event, name_en="Final", order=1)
    with refused():
        JudgingCriterion.objects.create(round=round_, name_en="Team", weight=0)


def test_a_slot_shows_its_time_in_the_event_zone_and_names_it():
    event = make_event(time_zone="Asia/Seoul")
    assert timezone.localtime(event.starts_at, event.tzinfo).hour == 18
    assert str(slot(event)) == "2026-09-10 18:00–18:20 Korea time (KST)"


@pytest.mark.parametrize("language", ["ko", "zh-hans"])
def test_a_state_has_one_word_in_the_portal_and_the_admin(language):
    """The admin's status column and filter say the state as the portal and the action pages
    do: an event "published" as its Publish button says, a registration "registered" as the
    portal's counts say it."""
    from django.utils import translation

    with translation.override(language):
        published = str(Event.Status.PUBLISHED.label)
        registered = str(Registration.Status.REGISTERED.label)
        assert translation.gettext("Publish") in published
        counts = translation.gettext("%(registered)s registered, %(waitlisted)s on the waitlist.")
        assert counts.startswith(registered)
